"""The definitions themselves: verbatim text under a snapshot, licences, bands, codes, and purity.

Hazards: H03 (wording or recall changed without a new version), H19 (unverified codes), H27 (licences).
"""

from __future__ import annotations

import json
import os
from fractions import Fraction
from pathlib import Path

import pytest

from bounceback.instruments import INSTRUMENTS, NOT_SHIPPED, Instrument, get
from bounceback.instruments.base import Method

SNAPSHOTS = Path(__file__).parent / "snapshots"

# LOINC codes verified against a cited source (instrument spec §3.3, §3.5, §3.6, §3.16). Nothing else may be
# exported: an unverified code is worse than none (hazard H19).
VERIFIED_LOINC = {
    # PHQ-9 panel, total, items 1-9, difficulty item, answer codes
    "44249-1", "44261-6", "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5",
    "44253-3", "44260-8", "69722-7", "LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9",
    # PHQ-2 panel and total
    "55757-9", "55758-7",
    # GAD-7 panel, total, items
    "69737-5", "70274-6", "69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7",
    # Exercise Vital Sign panel, total, items
    "89574-8", "82290-8", "89555-7", "68516-4",
}  # fmt: skip

PARAMETRIZE = pytest.mark.parametrize("instrument", INSTRUMENTS.values(), ids=list(INSTRUMENTS))


def snapshot_of(instrument: Instrument) -> dict[str, object]:
    return {
        "id": instrument.id,
        "version": instrument.version,
        "language": instrument.language,
        "instructions": instrument.instructions,
        "recall_period": instrument.recall_period,
        "items": [
            {
                "id": item.id,
                "prefix": item.prefix,
                "text": item.text,
                "scored": item.scored,
                "reverse": item.reverse,
                "options": [[o.value, o.label] for o in item.options],
                "range": [item.min_value, item.max_value] if not item.options else None,
            }
            for item in instrument.items
        ],
        "bands": [[b.code, str(b.lower), str(b.upper), b.lower_open, b.upper_open] for b in instrument.bands],
    }


@PARAMETRIZE
def test_it_matches_the_snapshot_of_its_version(instrument: Instrument) -> None:
    path = SNAPSHOTS / f"{instrument.id}-v{instrument.version}.json"
    current = snapshot_of(instrument)
    if not path.exists() and os.environ.get("BOUNCEBACK_WRITE_SNAPSHOTS") == "1":
        path.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n")
    assert path.exists(), (
        f"no snapshot for {instrument.id} version {instrument.version}: a new version needs its snapshot, "
        "written with BOUNCEBACK_WRITE_SNAPSHOTS=1 (existing snapshots are never overwritten)"
    )
    assert json.loads(path.read_text()) == current, (
        f"{instrument.id} v{instrument.version} differs from its snapshot: wording, options, recall period or "
        "bands changed. Validated text is never edited in place; a real change needs a new version."
    )


@PARAMETRIZE
def test_it_has_licence_attribution_and_sources(instrument: Instrument) -> None:
    assert instrument.licence.name and instrument.licence.terms and instrument.licence.attribution
    assert instrument.licence.source.text
    assert instrument.citation.text and instrument.measures and instrument.scoring_text
    assert instrument.missing_rule
    for band in instrument.bands:
        assert band.source.text, f"{instrument.id} band {band.code} has no source"


def test_it_keeps_non_commercial_instruments_off_by_default() -> None:
    for instrument in INSTRUMENTS.values():
        if not instrument.licence.commercial_use:
            assert not instrument.licence.enabled_by_default, instrument.id
    assert not get("who5").licence.enabled_by_default


def test_it_defines_nothing_on_the_not_shipped_list() -> None:
    for name in NOT_SHIPPED:
        assert name not in INSTRUMENTS
    titles = " ".join(i.title.lower() for i in INSTRUMENTS.values())
    for word in ("connor-davidson", "columbia", "insomnia severity", "promis", "perceived stress", "mindful"):
        assert word not in titles


@PARAMETRIZE
def test_it_uses_only_verified_loinc_codes(instrument: Instrument) -> None:
    codes = {instrument.loinc_panel, instrument.loinc_total}
    codes |= {item.loinc for item in instrument.items}
    codes |= {o.loinc for item in instrument.items for o in item.options}
    codes.discard("")
    assert codes <= VERIFIED_LOINC, codes - VERIFIED_LOINC


@PARAMETRIZE
def test_it_has_item_ids_named_after_the_instrument(instrument: Instrument) -> None:
    ids = [item.id for item in instrument.items]
    assert len(ids) == len(set(ids))
    for item_id in ids:
        assert item_id.startswith(f"{instrument.id}_")
        assert item_id == item_id.lower()


@PARAMETRIZE
def test_it_has_bands_that_tile_the_score_range_without_overlap(instrument: Instrument) -> None:
    if (
        instrument.id == "asq"
    ):  # acute vs non-acute share a total range; question 5 decides (tested elsewhere)
        return
    step = Fraction(1, len(instrument.scored_items)) if instrument.method is Method.MEAN else Fraction(1)
    value = instrument.min_total
    while value <= instrument.max_total:
        matching = [b.code for b in instrument.bands if b.contains(value)]
        assert len(matching) == 1, f"{instrument.id}: total {value} falls in {matching}"
        value += step


@PARAMETRIZE
def test_it_gives_every_option_a_distinct_value_and_label(instrument: Instrument) -> None:
    for item in instrument.items:
        values = [o.value for o in item.options]
        labels = [o.label for o in item.options]
        assert len(values) == len(set(values)), item.id
        assert len(labels) == len(set(labels)), item.id
        if not item.options:
            assert item.min_value < item.max_value, item.id


# Purity (nothing under instruments/ imports Django, even indirectly): bounceback/tests/test_purity.py.


def test_it_reports_an_unknown_instrument_by_name() -> None:
    with pytest.raises(KeyError, match="phq10"):
        get("phq10")

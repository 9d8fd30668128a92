"""Hazard T23: the vectorised scorer gives exactly what ``score()`` gives, row by row, for every instrument.

Frames are random (hypothesis, and a larger seeded sample biased towards the edges): any allowed value or a
blank in every item, so incomplete rows, gates (PC-PTSD-5 exposure, EVS days = 0), the ASQ acuity rules and
the BRS band edges (25/6 normal, 26/6 high) all occur.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bounceback.instruments import INSTRUMENTS, Instrument, Result, score
from bounceback.research.bulk import CUSTOM_SCORERS, EXTRA_FLAGS, MissingCodes, plan_scoring, score_frame
from bounceback.research.files import Request, score_file

IDS = sorted(INSTRUMENTS)
NONE = MissingCodes()


def _choices(instrument: Instrument, item_id: str) -> list[int]:
    item = instrument.item(item_id)
    if item.options:
        return list(item.allowed)
    # numeric items (EVS): both ends, 0 and a few inside values
    inside = {item.min_value, item.min_value + 1, 1, 2, 5, 30, 75, 150, item.max_value - 1, item.max_value}
    return sorted(v for v in inside if item.min_value <= v <= item.max_value)


def _frame(instrument: Instrument, rows: list[dict[str, int | None]]) -> pl.DataFrame:
    columns = {item.id: [row[item.id] for row in rows] for item in instrument.items}
    return pl.DataFrame(columns, schema={item.id: pl.Int64 for item in instrument.items})


def _expected(instrument: Instrument, row: dict[str, int | None]) -> Result:
    return score(instrument.id, row)


def _assert_same(instrument: Instrument, rows: list[dict[str, int | None]]) -> None:
    frame = _frame(instrument, rows)
    plans = plan_scoring([instrument.id], frame.columns, {}, NONE)
    out = score_frame(frame, plans, NONE)
    assert out.height == len(rows)
    i = instrument.id
    for n, (row, got) in enumerate(zip(rows, out.iter_rows(named=True), strict=True)):
        want = _expected(instrument, row)
        flags = set(got[f"{i}_flags"].split(";")) - {""}
        assert (got[f"{i}_total"], got[f"{i}_band"], got[f"{i}_complete"], flags) == (
            want.total,
            want.band,
            want.complete,
            set(want.flags),
        ), (n, row)
        assert type(got[f"{i}_total"]) is type(want.total) or want.total is None, (n, row)
        # the item columns are written back unchanged
        assert all(got[item.id] == row[item.id] for item in instrument.items), (n, row)


@st.composite
def _rows(draw: Any, instrument: Instrument) -> list[dict[str, int | None]]:
    count = draw(st.integers(min_value=1, max_value=25))
    blank_rate = draw(st.sampled_from([0.0, 0.05, 0.3]))
    rows = []
    for _ in range(count):
        row: dict[str, int | None] = {}
        for item in instrument.items:
            blank = draw(st.floats(min_value=0, max_value=1)) < blank_rate
            row[item.id] = None if blank else draw(st.sampled_from(_choices(instrument, item.id)))
        rows.append(row)
    return rows


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_it_equals_score_on_random_frames(instrument_id: str, data: st.DataObject) -> None:
    instrument = INSTRUMENTS[instrument_id]
    _assert_same(instrument, data.draw(_rows(instrument)))


@pytest.mark.parametrize("instrument_id", IDS)
def test_it_equals_score_on_a_large_seeded_sample(instrument_id: str) -> None:
    instrument = INSTRUMENTS[instrument_id]
    rng = random.Random(f"bulk-{instrument_id}")
    rows = []
    for n in range(3000):
        blank_rate = (0.0, 0.02, 0.2)[n % 3]
        rows.append(
            {
                item.id: None if rng.random() < blank_rate else rng.choice(_choices(instrument, item.id))
                for item in instrument.items
            }
        )
    _assert_same(instrument, rows)


@pytest.mark.parametrize(
    ("instrument_id", "row", "band", "flags"),
    [
        # BRS means are k/6: 25/6 = 4.1667 is normal, 26/6 = 4.3333 is high; 17/6 low, 18/6 = 3.00 normal
        ("brs", {"brs_1": 5, "brs_2": 1, "brs_3": 5, "brs_4": 1, "brs_5": 5, "brs_6": 5}, "high", set()),
        ("brs", {"brs_1": 5, "brs_2": 1, "brs_3": 5, "brs_4": 1, "brs_5": 4, "brs_6": 5}, "normal", set()),
        ("brs", {"brs_1": 3, "brs_2": 3, "brs_3": 3, "brs_4": 3, "brs_5": 3, "brs_6": 3}, "normal", set()),
        ("brs", {"brs_1": 3, "brs_2": 3, "brs_3": 3, "brs_4": 3, "brs_5": 3, "brs_6": 4}, "low", set()),
        # ASQ: four noes and a yes to "right now" is acute; flags whatever is missing
        (
            "asq",
            {"asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 1},
            "acute_positive",
            {"acute_suicide_risk"},
        ),
        ("asq", {"asq_1": 1, "asq_2": None, "asq_3": 0, "asq_4": 0, "asq_5": None}, None, {"suicide_risk"}),
        (
            "asq",
            {"asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 0},
            "non_acute_positive",
            {"suicide_risk"},
        ),
        # PC-PTSD-5: "no" to exposure scores 0 whatever follows
        (
            "pcptsd5",
            {"pcptsd5_exposure": 0, **{f"pcptsd5_{n}": None for n in range(1, 6)}},
            "negative",
            set(),
        ),
        # EVS: 0 days scores 0 without minutes
        ("evs", {"evs_days": 0, "evs_minutes": None}, "inactive", set()),
        ("evs", {"evs_days": 3, "evs_minutes": 50}, "sufficiently_active", set()),
        # PHQ-9: item 9 flags whatever is missing
        (
            "phq9",
            {"phq9_9": 1, **{f"phq9_{n}": None for n in (1, 2, 3, 4, 5, 6, 7, 8, 10)}},
            None,
            {"suicidal_ideation"},
        ),
    ],
)
def test_it_scores_the_edge_cases_as_score_does(
    instrument_id: str, row: dict[str, int | None], band: str | None, flags: set[str]
) -> None:
    instrument = INSTRUMENTS[instrument_id]
    full = {item.id: row.get(item.id) for item in instrument.items}
    assert score(instrument_id, full).band == band
    assert set(score(instrument_id, full).flags) == flags
    _assert_same(instrument, [full])


def test_it_applies_the_pcl5_dsm5_rule_to_partial_answers() -> None:
    instrument = INSTRUMENTS["pcl5"]
    endorsed = {"pcl5_1": 2, "pcl5_6": 3, "pcl5_8": 2, "pcl5_9": 4, "pcl5_15": 2, "pcl5_16": 2}
    met_so_far: dict[str, int | None] = {item.id: endorsed.get(item.id) for item in instrument.items}
    not_met: dict[str, int | None] = {item.id: endorsed.get(item.id, 0) for item in instrument.items}
    not_met["pcl5_16"] = 1  # only one E item endorsed
    rows = [met_so_far, not_met]
    assert "dsm5_criteria_met" in score("pcl5", rows[0]).flags
    assert "dsm5_criteria_met" not in score("pcl5", rows[1]).flags
    _assert_same(instrument, rows)


def test_it_has_a_vectorised_twin_for_every_custom_rule() -> None:
    for instrument in INSTRUMENTS.values():
        if instrument.custom is not None:
            assert instrument.id in CUSTOM_SCORERS, instrument.id
        if instrument.flag_rules:
            assert instrument.id in EXTRA_FLAGS, instrument.id


def test_it_reads_text_and_float_cells_as_score_reads_answers() -> None:
    """'1', ' 1 ', '1.0' and 1.0 are the answer 1; blank and declared codes (7, 9, NA) are missing."""
    instrument = INSTRUMENTS["phq2"]
    codes = MissingCodes.parse("7,9,NA")
    text = pl.DataFrame({"phq2_1": ["1", " 1 ", "1.0", "", None, "7", "9.0", "NA"], "phq2_2": ["2"] * 8})
    floats = pl.DataFrame({"phq2_1": [1.0, 1.0, 1.0, None, None, 7.0, 9.0, None], "phq2_2": [2.0] * 8})
    for frame in (text, floats):
        plans = plan_scoring(["phq2"], frame.columns, {}, codes)
        out = score_frame(frame, plans, codes)
        assert out["phq2_total"].to_list() == [3, 3, 3, None, None, None, None, None]
        assert out["phq2_complete"].to_list() == [True, True, True, False, False, False, False, False]
        assert out["phq2_1"].to_list() == frame["phq2_1"].to_list()  # copied unchanged
    assert instrument.id == "phq2"


@st.composite
def _csv_rows(draw: Any, instrument: Instrument) -> list[dict[str, tuple[str, int | None]]]:
    """Rows of (cell text, the answer it means): integers, integral floats, padding, blanks, the code -99."""
    rows = []
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        row: dict[str, tuple[str, int | None]] = {}
        for item in instrument.items:
            value = draw(st.sampled_from(_choices(instrument, item.id)))
            row[item.id] = draw(
                st.sampled_from(
                    [
                        (str(value), value),
                        (f"{value}.0", value),
                        (f" {value} ", value),
                        ("", None),
                        ("-99", None),
                    ]
                )
            )
        rows.append(row)
    return rows


@pytest.mark.parametrize("instrument_id", IDS)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_it_equals_score_through_a_csv_file(instrument_id: str, data: st.DataObject, tmp_path: Path) -> None:
    instrument = INSTRUMENTS[instrument_id]
    rows = data.draw(_csv_rows(instrument))
    header = [item.id for item in instrument.items]
    lines = [",".join(header)] + [",".join(row[i][0] for i in header) for row in rows]
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n")
    request = Request(
        tmp_path / "in.csv", tmp_path / "out.csv", [instrument_id], missing=MissingCodes.parse("-99")
    )
    score_file(request)
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert out.height == len(rows)
    for row, got in zip(rows, out.iter_rows(named=True), strict=True):
        want = score(instrument_id, {i: answer for i, (_text, answer) in row.items()})
        total = None if want.total is None else str(want.total)
        flags = set((got[f"{instrument_id}_flags"] or "").split(";")) - {""}
        assert (got[f"{instrument_id}_total"], got[f"{instrument_id}_band"], flags) == (
            total,
            want.band,
            set(want.flags),
        )
        assert got[f"{instrument_id}_complete"] == str(want.complete).lower()

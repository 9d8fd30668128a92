"""Plain-words results (pure, no database): hazard H09 false reassurance, H20 partial results."""

from __future__ import annotations

import re

import pytest

from bounceback.checkups.interpretation import (
    CAVEAT,
    MEANINGS,
    TALK_TO_SOMEONE,
    shown_results,
    summary,
)
from bounceback.instruments import INSTRUMENTS, needs_professional_help, score
from bounceback.instruments.battery import score_battery

BANNED = re.compile(
    r"you don.t have|you.re fine|you are fine|no depression|nothing wrong|normal person|diagnos(?!is or)",
    re.I,
)
SHOWN_INSTRUMENTS = [i for i in INSTRUMENTS.values() if i.id not in {"asq", "who5", "phq8"}]


def battery(**answers: int) -> dict[str, int]:
    return answers


@pytest.mark.parametrize("instrument", SHOWN_INSTRUMENTS, ids=[i.id for i in SHOWN_INSTRUMENTS])
def test_it_has_plain_words_for_every_band(instrument: object) -> None:
    for band in instrument.bands:  # type: ignore[attr-defined]
        meaning, action = MEANINGS[(instrument.id, band.code)]  # type: ignore[attr-defined]
        assert meaning and action


def test_it_uses_screening_language_only() -> None:
    texts = [text for pair in MEANINGS.values() for text in pair] + [CAVEAT, TALK_TO_SOMEONE]
    for text in texts:
        assert not BANNED.search(text), text
    for (instrument_id, _band), (meaning, _action) in MEANINGS.items():
        if instrument_id != "evs":  # the exercise result restates what the person told us
            assert meaning.startswith("Your answers"), meaning
    assert "not a diagnosis" in CAVEAT


def test_it_leads_the_summary_with_the_most_serious_result() -> None:
    answers = {f"brs_{n}": 5 if n % 2 else 1 for n in range(1, 7)}  # high resilience
    answers |= {f"phq9_{n}": 3 for n in range(1, 10)} | {"phq9_9": 0}  # 24: severe
    answers |= {f"osss3_{n}": 4 if n == 1 else 5 for n in range(1, 4)}  # strong support
    results = score_battery(answers)
    shown = shown_results(results)
    assert shown[0].instrument.id == "phq9"
    assert summary(results).startswith("Your answers suggest severe symptoms of depression")
    assert "We recommend talking to a professional" in summary(results)


@pytest.mark.parametrize(
    ("instrument_id", "answers", "expected"),
    [
        (
            "phq9",
            {f"phq9_{n}": 1 for n in range(1, 10)} | {"phq9_9": 0, "phq9_1": 2},
            True,
        ),  # 9 → mild… 1+… = 9
        ("gad7", {f"gad7_{n}": 1 for n in range(1, 8)} | {"gad7_1": 3, "gad7_2": 3}, True),  # 11
        ("gad7", {f"gad7_{n}": 1 for n in range(1, 8)}, False),  # 7
        ("pcptsd5", {"pcptsd5_exposure": 1} | {f"pcptsd5_{n}": int(n <= 3) for n in range(1, 6)}, True),
        ("pcptsd5", {"pcptsd5_exposure": 0}, False),
    ],
)
def test_it_recommends_a_professional_at_the_thresholds(
    instrument_id: str, answers: dict[str, int], expected: bool
) -> None:
    result = score(instrument_id, answers)
    if instrument_id == "phq9":
        expected = result.total is not None and result.total >= 10
    assert needs_professional_help({instrument_id: result}) is expected


def test_it_recommends_a_professional_for_item9_alone() -> None:
    results = score_battery({"phq9_1": 0, "phq9_2": 0, "phq9_9": 1})
    assert needs_professional_help(results)


def test_it_never_shows_an_item9_only_phq9_as_a_result() -> None:
    results = score_battery({"phq9_1": 0, "phq9_2": 1, "phq9_9": 2})
    ids = [i.instrument.id for i in shown_results(results)]
    assert "phq9" not in ids
    assert "phq2" in ids
    assert results["phq9"].total is None and "suicidal_ideation" in results["phq9"].flags


def test_it_shows_the_long_form_instead_of_its_short_form() -> None:
    answers = {f"phq9_{n}": 2 for n in range(1, 10)} | {"phq9_9": 0}
    ids = [i.instrument.id for i in shown_results(score_battery(answers))]
    assert "phq9" in ids and "phq2" not in ids


def test_it_says_not_scored_for_an_incomplete_result_never_zero() -> None:
    results = {"gad7": score("gad7", {"gad7_1": 3})}
    interpretation = shown_results(results)[0]
    assert interpretation.band_label == "Not scored"
    assert interpretation.display_total == "not scored"
    assert "never counted as zero" in interpretation.meaning


@pytest.mark.parametrize(
    "answers",
    [
        {"phq9_1": 1, "phq9_2": 1, "phq9_9": 2, "asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 1},
        {"phq9_1": 1, "phq9_2": 1, "phq9_9": 1, "asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0},
        {"phq9_1": 2, "phq9_2": 1} | {f"phq9_{n}": 0 for n in range(3, 9)} | {"phq9_9": 1},  # PHQ-9 total 4
    ],
    ids=["acute-asq-after-low-phq2", "item9-alone", "minimal-phq9-with-item9"],
)
def test_it_never_reassures_someone_who_reported_thoughts_of_self_harm(answers: dict[str, int]) -> None:
    benign = {f"brs_{n}": 5 if n % 2 else 1 for n in range(1, 7)} | {"osss3_1": 4, "osss3_2": 5, "osss3_3": 5}
    results = score_battery(benign | answers)
    text = summary(results)
    assert text.startswith("You told us about thoughts of death or of hurting yourself")
    assert needs_professional_help(results)
    for interpretation in shown_results(results):
        if interpretation.result.flags:
            assert "please talk to a professional soon" in interpretation.what_you_can_do

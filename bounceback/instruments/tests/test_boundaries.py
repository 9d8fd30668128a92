"""Hazard T01/T21: both sides of every band boundary, minimum and maximum, worked examples and RCI thresholds.

Every expected value below is written out from the specification (instruments.md §3.1, §3.3–3.13, §3.16, §2.1,
§5.4 and Decisions 9) and the scoring contract, not computed by the code under test.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback.instruments import reliable_change, score

Answers = dict[str, Any]

SCORED_RANGES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "phq9": tuple((f"phq9_{n}", 0, 3) for n in range(1, 10)),
    "phq8": tuple((f"phq8_{n}", 0, 3) for n in range(1, 9)),
    "phq2": (("phq2_1", 0, 3), ("phq2_2", 0, 3)),
    "gad7": tuple((f"gad7_{n}", 0, 3) for n in range(1, 8)),
    "gad2": (("gad2_1", 0, 3), ("gad2_2", 0, 3)),
    "pcl5": tuple((f"pcl5_{n}", 0, 4) for n in range(1, 21)),
    "swls": tuple((f"swls_{n}", 1, 7) for n in range(1, 6)),
    "osss3": (("osss3_1", 1, 4), ("osss3_2", 1, 5), ("osss3_3", 1, 5)),
    "ucla3": tuple((f"ucla3_{n}", 1, 3) for n in range(1, 4)),
    "who5": tuple((f"who5_{n}", 0, 5) for n in range(1, 6)),
}


def answers_for_total(instrument: str, total: int, from_last: bool = False) -> Answers:
    """A complete answer set with the given total, filled from the first (or the last) item."""
    items = list(SCORED_RANGES[instrument])
    values = {item: lo for item, lo, _ in items}
    remaining = total - sum(values.values())
    assert remaining >= 0, (instrument, total)
    for item, lo, hi in reversed(items) if from_last else items:
        step = min(hi - lo, remaining)
        values[item] += step
        remaining -= step
    assert remaining == 0, (instrument, total)
    return dict(values)


# (instrument, total, band): both sides of every cut-off, plus the minimum and the maximum.
SUM_BOUNDARIES: list[tuple[str, int, str]] = [
    ("phq9", 0, "minimal"),
    ("phq9", 4, "minimal"),
    ("phq9", 5, "mild"),
    ("phq9", 9, "mild"),
    ("phq9", 10, "moderate"),
    ("phq9", 14, "moderate"),
    ("phq9", 15, "moderately_severe"),
    ("phq9", 19, "moderately_severe"),
    ("phq9", 20, "severe"),
    ("phq9", 27, "severe"),
    ("phq8", 0, "minimal"),
    ("phq8", 4, "minimal"),
    ("phq8", 5, "mild"),
    ("phq8", 9, "mild"),
    ("phq8", 10, "moderate"),
    ("phq8", 14, "moderate"),
    ("phq8", 15, "moderately_severe"),
    ("phq8", 19, "moderately_severe"),
    ("phq8", 20, "severe"),
    ("phq8", 24, "severe"),
    ("gad7", 0, "minimal"),
    ("gad7", 4, "minimal"),
    ("gad7", 5, "mild"),
    ("gad7", 9, "mild"),
    ("gad7", 10, "moderate"),
    ("gad7", 14, "moderate"),
    ("gad7", 15, "severe"),
    ("gad7", 21, "severe"),
    ("phq2", 0, "negative"),
    ("phq2", 2, "negative"),
    ("phq2", 3, "positive"),
    ("phq2", 6, "positive"),
    ("gad2", 0, "negative"),
    ("gad2", 2, "negative"),
    ("gad2", 3, "positive"),
    ("gad2", 6, "positive"),
    ("pcl5", 0, "below_threshold"),
    ("pcl5", 32, "below_threshold"),
    ("pcl5", 33, "probable_ptsd"),
    ("pcl5", 80, "probable_ptsd"),
    ("swls", 5, "extremely_dissatisfied"),
    ("swls", 9, "extremely_dissatisfied"),
    ("swls", 10, "dissatisfied"),
    ("swls", 14, "dissatisfied"),
    ("swls", 15, "slightly_dissatisfied"),
    ("swls", 19, "slightly_dissatisfied"),
    ("swls", 20, "neutral"),
    ("swls", 21, "slightly_satisfied"),
    ("swls", 25, "slightly_satisfied"),
    ("swls", 26, "satisfied"),
    ("swls", 30, "satisfied"),
    ("swls", 31, "extremely_satisfied"),
    ("swls", 35, "extremely_satisfied"),
    ("osss3", 3, "poor"),
    ("osss3", 8, "poor"),
    ("osss3", 9, "moderate"),
    ("osss3", 11, "moderate"),
    ("osss3", 12, "strong"),
    ("osss3", 14, "strong"),
    ("ucla3", 3, "not_lonely"),
    ("ucla3", 5, "not_lonely"),
    ("ucla3", 6, "lonely"),
    ("ucla3", 9, "lonely"),
    ("who5", 0, "poor_wellbeing"),
    ("who5", 12, "poor_wellbeing"),
    ("who5", 13, "adequate_wellbeing"),
    ("who5", 25, "adequate_wellbeing"),
]


@pytest.mark.parametrize("from_last", [False, True], ids=["fill-first", "fill-last"])
@pytest.mark.parametrize(("instrument", "total", "band"), SUM_BOUNDARIES)
def test_it_bands_sum_scores_on_both_sides_of_every_cut_off(
    instrument: str, total: int, band: str, from_last: bool
) -> None:
    answers = answers_for_total(instrument, total, from_last)
    result = score(instrument, answers)
    assert result.complete is True
    assert result.total == total
    assert type(result.total) is int
    assert result.band == band
    assert result.missing == ()
    if instrument == "phq9":
        expected_flags = {"suicidal_ideation"} if answers["phq9_9"] > 0 else set()
        assert result.flags == frozenset(expected_flags)
    elif instrument != "pcl5":
        assert result.flags == frozenset()


def test_it_scores_the_who5_raw_sum_not_the_percentage() -> None:
    result = score("who5", {f"who5_{n}": 5 for n in range(1, 6)})
    assert (result.total, result.band) == (25, "adequate_wellbeing")


# ------------------------------------------------------------------------------------------------------------
# BRS (§3.1): items 2, 4, 6 reversed as 6 - x; score = mean; bands compared exactly
# ------------------------------------------------------------------------------------------------------------


def brs_raw(scored: list[int]) -> Answers:
    """Raw responses that produce the given scored (after reversal) values."""
    return {f"brs_{n}": (6 - v if n % 2 == 0 else v) for n, v in enumerate(scored, start=1)}


@pytest.mark.parametrize(
    ("raw", "mean", "band"),
    [
        ([3, 3, 3, 3, 3, 3], Fraction(3), "normal"),
        ([5, 1, 5, 1, 5, 1], Fraction(5), "high"),
        ([1, 5, 1, 5, 1, 5], Fraction(1), "low"),
        ([4, 2, 4, 2, 4, 3], Fraction(23, 6), "normal"),
        ([5, 2, 5, 1, 5, 2], Fraction(28, 6), "high"),
    ],
)
def test_it_scores_the_brs_vectors_of_the_specification(raw: list[int], mean: Fraction, band: str) -> None:
    result = score("brs", {f"brs_{n}": v for n, v in enumerate(raw, start=1)})
    assert result.complete is True
    assert isinstance(result.total, float)
    assert math.isclose(result.total, float(mean), rel_tol=0, abs_tol=1e-9)
    assert result.band == band
    assert result.flags == frozenset()


@pytest.mark.parametrize(
    ("scored_sum", "band"),
    [(6, "low"), (17, "low"), (18, "normal"), (25, "normal"), (26, "high"), (30, "high")],
)
def test_it_bands_brs_means_exactly(scored_sum: int, band: str) -> None:
    # 17/6 = 2.833 low; 18/6 = 3.00 normal; 25/6 = 4.1667 normal; 26/6 = 4.3333 high
    scored = [1] * 6
    remaining = scored_sum - 6
    for i in range(6):
        step = min(4, remaining)
        scored[i] += step
        remaining -= step
    for variant in (scored, scored[::-1]):
        result = score("brs", brs_raw(variant))
        assert result.total is not None
        assert math.isclose(result.total, scored_sum / 6, rel_tol=0, abs_tol=1e-9), variant
        assert result.band == band, variant


@pytest.mark.parametrize("item", range(1, 7))
@pytest.mark.parametrize("raw", range(1, 6))
def test_it_reverses_exactly_brs_items_2_4_and_6(item: int, raw: int) -> None:
    answers: Answers = {f"brs_{n}": 3 for n in range(1, 7)}
    answers[f"brs_{item}"] = raw
    contribution = 6 - raw if item in (2, 4, 6) else raw
    result = score("brs", answers)
    assert result.total is not None
    assert math.isclose(result.total, (15 + contribution) / 6, rel_tol=0, abs_tol=1e-9)


def test_it_averages_brs_rather_than_summing() -> None:
    result = score("brs", {f"brs_{n}": 4 if n % 2 else 2 for n in range(1, 7)})
    assert result.total == pytest.approx(4.0)
    assert result.band == "normal"


# ------------------------------------------------------------------------------------------------------------
# Third-party worked examples (§5.4)
# ------------------------------------------------------------------------------------------------------------


def _phq9(values: list[int]) -> Answers:
    return {f"phq9_{n}": v for n, v in enumerate(values, start=1)}


def test_it_scores_the_awell_phq9_example() -> None:
    result = score("phq9", _phq9([3, 0, 1, 2, 0, 0, 1, 0, 3]))
    assert (result.total, result.band, result.complete) == (10, "moderate", True)
    assert result.flags == frozenset({"suicidal_ideation"})


def test_it_scores_the_hl7_sdc_phq9_example_as_10_not_13() -> None:
    result = score("phq9", _phq9([0, 0, 0, 1, 2, 1, 3, 2, 1]))
    assert result.total == 10
    assert result.total != 13
    assert result.band == "moderate"
    assert result.flags == frozenset({"suicidal_ideation"})


def test_it_scores_the_awell_best_and_worst_phq9() -> None:
    assert score("phq9", _phq9([0] * 9)).total == 0
    assert score("phq9", _phq9([3] * 9)).total == 27


def test_it_scores_the_awell_worst_pcl5_response() -> None:
    result = score("pcl5", {f"pcl5_{n}": 4 for n in range(1, 21)})
    assert (result.total, result.band) == (80, "probable_ptsd")
    assert result.flags == frozenset({"dsm5_criteria_met"})


def test_it_gives_no_pcl5_total_for_an_empty_response() -> None:
    result = score("pcl5", {})
    assert (result.total, result.band, result.complete, result.flags) == (None, None, False, frozenset())


# ------------------------------------------------------------------------------------------------------------
# PCL-5 DSM-5 rule (§3.9): item >= 2 endorsed; >= 1 of 1-5, >= 1 of 6-7, >= 2 of 8-14, >= 2 of 15-20
# ------------------------------------------------------------------------------------------------------------

MINIMAL_DSM5 = (1, 6, 8, 9, 15, 16)


def _pcl5(endorsed: tuple[int, ...], level: int = 2, rest: int | None = 0) -> Answers:
    answers: Answers = {f"pcl5_{n}": rest for n in range(1, 21)}
    for n in endorsed:
        answers[f"pcl5_{n}"] = level
    return answers


def test_it_meets_the_dsm5_rule_with_the_minimal_pattern_below_the_cut_off() -> None:
    result = score("pcl5", _pcl5(MINIMAL_DSM5))
    assert (result.total, result.band) == (12, "below_threshold")
    assert result.flags == frozenset({"dsm5_criteria_met"})


@pytest.mark.parametrize("dropped", MINIMAL_DSM5)
def test_it_misses_the_dsm5_rule_when_one_cluster_falls_short(dropped: int) -> None:
    endorsed = tuple(n for n in MINIMAL_DSM5 if n != dropped)
    result = score("pcl5", _pcl5(endorsed))
    assert result.flags == frozenset()


def test_it_does_not_count_items_at_1_as_endorsed() -> None:
    result = score("pcl5", _pcl5((), rest=1))
    assert (result.total, result.band, result.flags) == (20, "below_threshold", frozenset())


def test_it_reaches_probable_ptsd_without_the_dsm5_rule() -> None:
    # items 1-5 and 8-14 at 4 (48), nothing in C or E: total over the cut-off, rule not met
    answers = _pcl5((1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14), level=4)
    result = score("pcl5", answers)
    assert (result.total, result.band, result.flags) == (48, "probable_ptsd", frozenset())


def test_it_flags_the_dsm5_rule_when_the_answered_items_already_meet_it() -> None:
    answers = _pcl5(MINIMAL_DSM5, rest=None)
    result = score("pcl5", answers)
    assert (result.complete, result.total, result.band) == (False, None, None)
    assert result.flags == frozenset({"dsm5_criteria_met"})
    assert len(result.missing) == 14


def test_it_does_not_flag_the_dsm5_rule_from_a_partial_answer_set_that_falls_short() -> None:
    answers = _pcl5((1, 6, 8, 15, 16), rest=None)  # only one D item endorsed; item 9 unanswered
    result = score("pcl5", answers)
    assert result.flags == frozenset()
    assert result.complete is False


# ------------------------------------------------------------------------------------------------------------
# PC-PTSD-5 (§3.8, contract)
# ------------------------------------------------------------------------------------------------------------


def test_it_scores_pcptsd5_as_0_negative_when_not_exposed() -> None:
    result = score("pcptsd5", {"pcptsd5_exposure": 0})
    assert (result.complete, result.total, result.band, result.missing) == (True, 0, "negative", ())
    assert result.flags == frozenset()


def test_it_ignores_pcptsd5_symptoms_answered_without_exposure() -> None:
    answers: Answers = {"pcptsd5_exposure": 0, **{f"pcptsd5_{n}": 1 for n in range(1, 6)}}
    result = score("pcptsd5", answers)
    assert (result.complete, result.total, result.band) == (True, 0, "negative")


@pytest.mark.parametrize(
    ("count", "band"),
    [(0, "negative"), (1, "negative"), (2, "negative"), (3, "positive"), (4, "positive"), (5, "positive")],
)
def test_it_counts_pcptsd5_yes_answers(count: int, band: str) -> None:
    for yes_items in (range(1, count + 1), range(6 - count, 6)):
        answers: Answers = {"pcptsd5_exposure": 1, **{f"pcptsd5_{n}": 0 for n in range(1, 6)}}
        answers.update({f"pcptsd5_{n}": 1 for n in yes_items})
        result = score("pcptsd5", answers)
        assert (result.complete, result.total, result.band) == (True, count, band)


def test_it_leaves_pcptsd5_incomplete_without_exposure_or_with_a_gap() -> None:
    result = score("pcptsd5", {f"pcptsd5_{n}": 1 for n in range(1, 6)})
    assert (result.complete, result.total, result.band) == (False, None, None)
    assert "pcptsd5_exposure" in result.missing
    answers: Answers = {"pcptsd5_exposure": 1, **{f"pcptsd5_{n}": 1 for n in range(1, 6)}}
    answers["pcptsd5_3"] = None
    result = score("pcptsd5", answers)
    assert (result.complete, result.total, result.band, result.missing) == (False, None, None, ("pcptsd5_3",))


# ------------------------------------------------------------------------------------------------------------
# Exercise Vital Sign (§3.16): total = days x minutes; 0 inactive, 1-149 insufficiently, >= 150 sufficiently
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "minutes", "total", "band"),
    [
        (0, None, 0, "inactive"),
        (0, 60, 0, "inactive"),
        (3, 0, 0, "inactive"),
        (1, 1, 1, "insufficiently_active"),
        (1, 149, 149, "insufficiently_active"),
        (7, 21, 147, "insufficiently_active"),
        (1, 150, 150, "sufficiently_active"),
        (5, 30, 150, "sufficiently_active"),
        (3, 50, 150, "sufficiently_active"),
        (7, 1440, 10080, "sufficiently_active"),
    ],
)
def test_it_scores_the_exercise_vital_sign(days: int, minutes: int | None, total: int, band: str) -> None:
    answers: Answers = {"evs_days": days}
    if minutes is not None:
        answers["evs_minutes"] = minutes
    result = score("evs", answers)
    assert (result.complete, result.total, result.band, result.missing) == (True, total, band, ())
    assert result.flags == frozenset()


def test_it_leaves_evs_incomplete_when_active_days_have_no_minutes() -> None:
    for answers in ({"evs_days": 3}, {"evs_days": 3, "evs_minutes": None}):
        result = score("evs", answers)
        assert (result.complete, result.total, result.band, result.missing) == (
            False,
            None,
            None,
            ("evs_minutes",),
        )
    result = score("evs", {"evs_minutes": 30})
    assert (result.complete, result.total, result.band) == (False, None, None)
    assert "evs_days" in result.missing


# ------------------------------------------------------------------------------------------------------------
# ASQ (Decisions 9, contract)
# ------------------------------------------------------------------------------------------------------------


def _asq(screen: tuple[int | None, ...], acuity: int | None = None) -> Answers:
    answers: Answers = {f"asq_{n}": v for n, v in enumerate(screen, start=1)}
    if acuity is not None:
        answers["asq_5"] = acuity
    return answers


@pytest.mark.parametrize(
    ("screen", "acuity", "total", "band", "flags"),
    [
        ((0, 0, 0, 0), None, 0, "negative", set()),
        ((0, 0, 0, 0), 0, 0, "negative", set()),
        ((1, 0, 0, 0), 0, 1, "non_acute_positive", {"suicide_risk"}),
        ((0, 0, 0, 1), 0, 1, "non_acute_positive", {"suicide_risk"}),
        ((0, 1, 1, 0), 0, 2, "non_acute_positive", {"suicide_risk"}),
        ((0, 0, 1, 0), 1, 1, "acute_positive", {"suicide_risk", "acute_suicide_risk"}),
        ((1, 1, 1, 1), 1, 4, "acute_positive", {"suicide_risk", "acute_suicide_risk"}),
    ],
)
def test_it_scores_the_asq(
    screen: tuple[int, ...], acuity: int | None, total: int, band: str, flags: set[str]
) -> None:
    result = score("asq", _asq(screen, acuity))
    assert (result.complete, result.total, result.band, result.missing) == (True, total, band, ())
    assert result.flags == frozenset(flags)


def test_it_treats_a_yes_to_asq5_as_acute_even_after_four_noes() -> None:
    # Contract: "acute_positive when asq_5 is 1" carries no condition on items 1-4 (unlike non_acute_positive,
    # which requires "any is yes"), and acute_suicide_risk is raised "whenever asq_5 is 1". Decisions 9: a yes
    # to the acuity question identifies imminent risk. A negative band next to an acute flag would be unsafe.
    result = score("asq", _asq((0, 0, 0, 0), 1))
    assert result.flags == frozenset({"acute_suicide_risk"})
    assert result.band == "acute_positive"
    assert (result.complete, result.total) == (True, 0)


def test_it_leaves_a_positive_asq_without_acuity_incomplete_but_flagged() -> None:
    result = score("asq", _asq((0, 1, 0, 0)))
    assert (result.complete, result.total, result.band, result.missing) == (False, None, None, ("asq_5",))
    assert result.flags == frozenset({"suicide_risk"})


def test_it_flags_acute_risk_even_when_the_screen_is_incomplete() -> None:
    result = score("asq", _asq((None, None, 1, None), 1))
    assert (result.complete, result.total, result.band) == (False, None, None)
    assert result.flags == frozenset({"suicide_risk", "acute_suicide_risk"})
    assert {"asq_1", "asq_2", "asq_4"} <= set(result.missing)
    result = score("asq", {"asq_5": 1})
    assert (result.complete, result.total, result.band) == (False, None, None)
    assert "acute_suicide_risk" in result.flags


def test_it_leaves_an_asq_with_a_declined_screening_question_incomplete() -> None:
    result = score("asq", _asq((0, None, 0, 0), 0))
    assert (result.complete, result.total, result.band) == (False, None, None)
    assert "asq_2" in result.missing


# ------------------------------------------------------------------------------------------------------------
# Flags belong to PHQ-9, PCL-5 and ASQ only
# ------------------------------------------------------------------------------------------------------------


def test_it_raises_no_flag_on_the_phq8_phq2_or_other_instruments_at_their_maximum() -> None:
    for instrument in ("phq8", "phq2", "gad7", "gad2", "swls", "osss3", "ucla3", "who5"):
        answers = answers_for_total(instrument, sum(hi for _, _, hi in SCORED_RANGES[instrument]))
        assert score(instrument, answers).flags == frozenset(), instrument
    assert score("brs", {f"brs_{n}": 1 for n in range(1, 7)}).flags == frozenset()
    assert (
        score("pcptsd5", {"pcptsd5_exposure": 1, **{f"pcptsd5_{n}": 1 for n in range(1, 6)}}).flags
        == frozenset()
    )
    assert score("evs", {"evs_days": 7, "evs_minutes": 1440}).flags == frozenset()


# ------------------------------------------------------------------------------------------------------------
# Reliable change (§2.1, T21): threshold = 1.96 * SD * sqrt(2) * sqrt(1 - r)
# ------------------------------------------------------------------------------------------------------------

RCI_THRESHOLDS: dict[str, float] = {"phq9": 4.71, "gad7": 3.89, "brs": 1.08, "swls": 7.56, "osss3": 3.74}
RCI_PARAMETERS: dict[str, tuple[float, float]] = {
    "phq9": (4.245, 0.84),
    "gad7": (3.4, 0.83),
    "brs": (0.70, 0.69),
    "swls": (6.43, 0.82),
    "osss3": (2.25, 0.64),
}


@pytest.mark.parametrize(("instrument", "threshold"), sorted(RCI_THRESHOLDS.items()))
def test_it_uses_the_rci_thresholds_of_the_specification(instrument: str, threshold: float) -> None:
    result = reliable_change(instrument, 10, 10)
    assert round(result.threshold, 2) == threshold
    sd, r = RCI_PARAMETERS[instrument]
    assert round(1.96 * sd * math.sqrt(2) * math.sqrt(1 - r), 2) == threshold  # the table is self-consistent
    assert isinstance(result.source, str)
    assert result.source.strip()
    assert result.change == 0
    assert result.reliable is False


@pytest.mark.parametrize(
    ("instrument", "before", "after", "reliable"),
    [
        ("phq9", 15, 10, True),
        ("phq9", 15, 11, False),
        ("phq9", 10, 15, True),
        ("phq9", 11, 15, False),
        ("gad7", 12, 8, True),
        ("gad7", 12, 9, False),
        ("brs", 3.0, 25 / 6, True),
        ("brs", 3.0, 4.0, False),
        ("swls", 20, 28, True),
        ("swls", 20, 27, False),
        ("osss3", 8, 12, True),
        ("osss3", 8, 11, False),
    ],
)
def test_it_marks_change_beyond_the_threshold_as_reliable(
    instrument: str, before: float, after: float, reliable: bool
) -> None:
    result = reliable_change(instrument, before, after)
    assert result.change == pytest.approx(after - before)
    assert result.reliable is reliable


RCI_RANGES: dict[str, tuple[int, int, int]] = {
    # instrument: (lowest, highest, divisor) -> possible scores are k / divisor
    "phq9": (0, 27, 1),
    "gad7": (0, 21, 1),
    "brs": (6, 30, 6),
    "swls": (5, 35, 1),
    "osss3": (3, 14, 1),
}


@settings(max_examples=250, deadline=None)
@given(data=st.data())
def test_it_computes_reliable_change_as_the_difference_against_the_threshold(data: st.DataObject) -> None:
    instrument = data.draw(st.sampled_from(sorted(RCI_RANGES)))
    lo, hi, divisor = RCI_RANGES[instrument]
    before_k = data.draw(st.integers(lo, hi))
    after_k = data.draw(st.integers(lo, hi))
    before: float = before_k / divisor if divisor > 1 else before_k
    after: float = after_k / divisor if divisor > 1 else after_k
    result = reliable_change(instrument, before, after)
    sd, r = RCI_PARAMETERS[instrument]
    threshold = 1.96 * sd * math.sqrt(2) * math.sqrt(1 - r)
    assert result.change == pytest.approx(after - before, abs=1e-9)
    assert result.threshold == pytest.approx(threshold, abs=5e-3)
    assert result.reliable is (abs(after - before) > threshold)


@pytest.mark.parametrize(
    "instrument", ["phq8", "phq2", "gad2", "pcptsd5", "pcl5", "ucla3", "evs", "asq", "who5"]
)
def test_it_refuses_reliable_change_without_parameters(instrument: str) -> None:
    with pytest.raises(ValueError):
        reliable_change(instrument, 10, 20)


TOTAL_RANGES: dict[str, tuple[int, int]] = {
    "phq9": (0, 27),
    "phq8": (0, 24),
    "phq2": (0, 6),
    "gad7": (0, 21),
    "gad2": (0, 6),
    "pcptsd5": (0, 5),
    "pcl5": (0, 80),
    "swls": (5, 35),
    "osss3": (3, 14),
    "ucla3": (3, 9),
    "evs": (0, 300),
    "asq": (0, 4),
    "who5": (0, 25),
}


@pytest.mark.parametrize("instrument", sorted(TOTAL_RANGES))
def test_it_marks_reliable_only_strictly_beyond_the_threshold_on_every_instrument(instrument: str) -> None:
    # Whatever instruments carry parameters, .reliable must mean |after - before| > .threshold (strictly).
    lo, hi = TOTAL_RANGES[instrument]
    for before in (lo, (lo + hi) // 2):
        for after in range(lo, hi + 1):
            try:
                result = reliable_change(instrument, before, after)
            except ValueError:
                assert instrument not in RCI_THRESHOLDS
                return
            assert result.change == after - before, (before, after)
            assert result.reliable is (abs(after - before) > result.threshold), (
                before,
                after,
                result.threshold,
            )

"""Hazard T01/T02: invalid answers raise ScoringError naming the item (and its allowed values).

Contract: an integral float (2.0) is accepted as that integer. An out-of-range value, a non-integral number
(2.5), a bool (True), a string, NaN or an unknown item id raises ScoringError, a subclass of ValueError, whose
message names the item id and the allowed values. Missing (None) is not an error.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bounceback.instruments import ScoringError, score

Answers = dict[str, Any]


def _items(prefix: str, n: int, lo: int, hi: int) -> list[tuple[str, int, int]]:
    return [(f"{prefix}_{i}", lo, hi) for i in range(1, n + 1)]


ITEM_RANGES: dict[str, list[tuple[str, int, int]]] = {
    "phq9": _items("phq9", 10, 0, 3),
    "phq8": _items("phq8", 8, 0, 3),
    "phq2": _items("phq2", 2, 0, 3),
    "gad7": _items("gad7", 7, 0, 3),
    "gad2": _items("gad2", 2, 0, 3),
    "brs": _items("brs", 6, 1, 5),
    "pcptsd5": [("pcptsd5_exposure", 0, 1), *_items("pcptsd5", 5, 0, 1)],
    "pcl5": _items("pcl5", 20, 0, 4),
    "swls": _items("swls", 5, 1, 7),
    "osss3": [("osss3_1", 1, 4), ("osss3_2", 1, 5), ("osss3_3", 1, 5)],
    "ucla3": _items("ucla3", 3, 1, 3),
    "evs": [("evs_days", 0, 7), ("evs_minutes", 0, 1440)],
    "asq": _items("asq", 5, 0, 1),
    "who5": _items("who5", 5, 0, 5),
}
ALL_ITEMS: list[tuple[str, str, int, int]] = [
    (instrument, item, lo, hi) for instrument, items in ITEM_RANGES.items() for item, lo, hi in items
]
ITEM_PARAMS = [pytest.param(*case, id=case[1]) for case in ALL_ITEMS]


def _valid_background(instrument: str) -> Answers:
    """A complete, valid answer set (the lowest value of every item), so only the bad value is wrong."""
    return {item: lo for item, lo, _ in ITEM_RANGES[instrument]}


def _mentions_number(message: str, number: int) -> bool:
    return re.search(rf"(?<![\w.]){number}(?![\d])(?!\.\d)|(?<=\.\.){number}(?![\d])", message) is not None


def _raises_naming(instrument: str, item: str, bad: Any) -> str:
    answers = _valid_background(instrument)
    answers[item] = bad
    with pytest.raises(ScoringError) as caught:
        score(instrument, answers)
    message = str(caught.value)
    assert item in message, message
    # the error must not name some other item instead: "phq9_1" must not be read out of "phq9_10"
    assert re.search(rf"(?<![\w]){re.escape(item)}(?![\w])", message), message
    return message


@pytest.mark.parametrize(("instrument", "item", "lo", "hi"), ITEM_PARAMS)
def test_it_rejects_values_below_and_above_the_range_naming_the_allowed_values(
    instrument: str, item: str, lo: int, hi: int
) -> None:
    for bad in (lo - 1, hi + 1):
        message = _raises_naming(instrument, item, bad)
        assert _mentions_number(message, lo), message
        assert _mentions_number(message, hi), message


@pytest.mark.parametrize(("instrument", "item", "lo", "hi"), ITEM_PARAMS)
def test_it_rejects_non_integral_numbers(instrument: str, item: str, lo: int, hi: int) -> None:
    for bad in (lo + 0.5, hi - 0.25, lo + 1e-9):
        _raises_naming(instrument, item, bad)


@pytest.mark.parametrize(("instrument", "item", "lo", "hi"), ITEM_PARAMS)
def test_it_rejects_bools_strings_and_non_finite_numbers(
    instrument: str, item: str, lo: int, hi: int
) -> None:
    for bad in (True, False, str(lo), str(hi), "", "yes", float("nan"), float("inf"), float("-inf")):
        _raises_naming(instrument, item, bad)


@pytest.mark.parametrize(("instrument", "item", "lo", "hi"), ITEM_PARAMS)
def test_it_accepts_integral_floats_and_none(instrument: str, item: str, lo: int, hi: int) -> None:
    for good in (float(lo), float(hi), None):
        answers = _valid_background(instrument)
        answers[item] = good
        score(instrument, answers)  # must not raise


def test_it_rejects_an_out_of_range_value_even_when_other_items_are_missing() -> None:
    with pytest.raises(ScoringError, match="phq9_4"):
        score("phq9", {"phq9_4": 4})
    with pytest.raises(ScoringError, match="phq9_10"):
        score("phq9", {"phq9_10": 4})


def test_it_rejects_nhanes_refusal_codes_as_values() -> None:
    # §2 rule 2: NHANES 7 (refused) and 9 (don't know) must become missing, never values.
    for code in (7, 9, 7.0, 9.0):
        with pytest.raises(ScoringError, match="phq9_1"):
            score("phq9", {"phq9_1": code})


@pytest.mark.parametrize(
    ("answers", "item"),
    [
        ({"pcptsd5_exposure": 0, "pcptsd5_2": 2}, "pcptsd5_2"),
        ({"evs_days": 0, "evs_minutes": 1441}, "evs_minutes"),
        ({"evs_days": 0, "evs_minutes": -1}, "evs_minutes"),
        ({"asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 2}, "asq_5"),
    ],
)
def test_it_validates_items_that_the_score_does_not_need(answers: Answers, item: str) -> None:
    instrument = item.split("_", 1)[0]
    with pytest.raises(ScoringError, match=item):
        score(instrument, answers)


UNKNOWN_IDS: list[tuple[str, str]] = [
    ("phq9", "phq9_11"),
    ("phq9", "phq9_0"),
    ("phq9", "phq9"),
    ("phq9", "PHQ9_1"),
    ("phq9", "gad7_1"),
    ("phq8", "phq8_9"),
    ("phq8", "phq9_1"),
    ("phq8", "phq9_10"),
    ("phq2", "phq2_3"),
    ("phq2", "phq9_1"),
    ("gad7", "gad7_8"),
    ("gad2", "gad2_3"),
    ("brs", "brs_7"),
    ("pcptsd5", "pcptsd5_6"),
    ("pcptsd5", "pcptsd5_0"),
    ("pcl5", "pcl5_21"),
    ("swls", "swls_6"),
    ("osss3", "osss3_4"),
    ("ucla3", "ucla3_4"),
    ("evs", "evs_hours"),
    ("asq", "asq_6"),
    ("who5", "who5_6"),
    ("who5", "who5_1 "),
]


@pytest.mark.parametrize(("instrument", "unknown"), UNKNOWN_IDS)
@pytest.mark.parametrize("value", [1, 0, None])
def test_it_rejects_unknown_item_ids(instrument: str, unknown: str, value: int | None) -> None:
    answers = _valid_background(instrument)
    answers[unknown] = value
    with pytest.raises(ScoringError) as caught:
        score(instrument, answers)
    assert unknown.strip() in str(caught.value)


def test_it_raises_a_value_error_that_callers_can_catch_as_such() -> None:
    with pytest.raises(ValueError, match="gad7_3"):
        score("gad7", {"gad7_3": 2.5})

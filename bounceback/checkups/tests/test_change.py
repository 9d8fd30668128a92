"""Since the earlier check-ups: each result beside the latest earlier complete one of the same questionnaire,
judged by the instrument library's reliable change; never a partial PHQ-9 or the ASQ (H20, H21). No database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bounceback.checkups.change import Earlier, compare_with_earlier
from bounceback.instruments import Result, reliable_change, score
from bounceback.instruments.battery import score_battery
from bounceback.test import CALM_ANSWERS as CALM

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STEPPED_UP = {**CALM, "phq9_1": 2, "phq9_2": 2, **{f"phq9_{n}": 2 for n in range(3, 9)}, "phq9_10": 1}
"""PHQ-2 of 4, so the full PHQ-9 is asked: 16."""


def earlier(*checkups: dict[str, Result]) -> list[Earlier]:
    return [Earlier(T0 + timedelta(days=14 * n), r) for n, c in enumerate(checkups) for r in c.values()]


def test_it_compares_with_the_latest_earlier_complete_result_as_the_library_judges_it() -> None:
    first, second = score_battery(STEPPED_UP), score_battery({**STEPPED_UP, "phq9_3": 0, "phq9_4": 0})
    now = score_battery({**STEPPED_UP, **{f"phq9_{n}": 0 for n in range(3, 9)}})
    compared = {c.instrument.id: c for c in compare_with_earlier(now, earlier(first, second))}
    phq9 = compared["phq9"]
    assert (phq9.before.total, phq9.after.total) == (second["phq9"].total, now["phq9"].total)
    assert phq9.before_at == T0 + timedelta(days=14)
    assert phq9.reliable == reliable_change(
        "phq9", float(second["phq9"].total or 0), float(now["phq9"].total or 0)
    )
    assert (
        phq9.text == "Down 8 points: a reliable improvement" and phq9.threshold_text == "more than 4.7 points"
    )
    assert compared["brs"].text == "No change: within the range of chance"
    assert compared["ucla3"].reliable is None
    assert compared["ucla3"].text == "No change: no reliable-change verdict for this questionnaire"
    assert "phq2" not in compared  # not shown beside its complete long form


def test_it_never_compares_a_partial_phq9_nor_the_asq() -> None:
    before = score_battery({**STEPPED_UP, "phq9_9": 1, "asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0})
    now = score_battery(CALM)  # PHQ-2 below 3: the PHQ-9 is item 9 alone, no total
    assert not now["phq9"].complete and "asq" in before
    compared = {c.instrument.id for c in compare_with_earlier(now, earlier(before))}
    assert "phq9" not in compared and "asq" not in compared
    assert "phq2" in compared  # PHQ-2 against the earlier PHQ-9's first two items


def test_nothing_earlier_nothing_compared() -> None:
    assert compare_with_earlier(score_battery(CALM), []) == []
    other_version = Result("brs", 99, 3.0, "normal", True)
    assert compare_with_earlier(score_battery(CALM), [Earlier(T0, other_version)]) == []
    incomplete = score("gad7", {"gad7_1": 3})
    assert compare_with_earlier(score_battery(CALM), [Earlier(T0, incomplete)]) == []

"""The caseload's ranking and filters, and the clinic's outcomes: pure, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bounceback.dashboard.caseload import (
    TREND_POINTS,
    Facts,
    Filter,
    OpenAlert,
    Score,
    Tier,
    caseload,
    trend_of,
)
from bounceback.dashboard.outcomes import MIN_N, Course, Rate, outcome, outcomes
from bounceback.dashboard.trend import description, sparkline

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def scores(*totals: float) -> list[Score]:
    return [Score(ago(14 * (len(totals) - n)), t) for n, t in enumerate(totals)]


def names(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [r.facts.name for r in rows]


def test_it_ranks_alerts_then_deterioration_then_overdue_then_visits_then_the_rest() -> None:
    members = [
        Facts("1", "Rest"),
        Facts("2", "Visit", next_visit=NOW + timedelta(days=2)),
        Facts("3", "Overdue", results={"phq9": scores(8)}, overdue=("phq9",)),
        Facts("4", "Worse", results={"phq9": scores(5, 12)}),
        Facts("5", "Item nine", alerts=(OpenAlert("suicidal_ideation", ago(3)),)),
        Facts("6", "Acute", alerts=(OpenAlert("acute_suicide_risk", ago(1)),)),
        Facts("7", "Non-acute old", alerts=(OpenAlert("suicide_risk", ago(5)),)),
        Facts("8", "Non-acute new", alerts=(OpenAlert("suicide_risk", ago(1)),)),
        Facts("9", "Far visit", next_visit=NOW + timedelta(days=20)),
    ]
    rows = caseload(members, NOW)
    assert names(rows) == [
        "Acute",
        "Non-acute old",
        "Non-acute new",
        "Item nine",
        "Worse",
        "Overdue",
        "Visit",
        "Far visit",
        "Rest",
    ]
    assert [r.tier for r in rows][:6] == [Tier.ALERT] * 4 + [Tier.DETERIORATING, Tier.OVERDUE]


def test_it_takes_the_most_urgent_of_several_open_alerts() -> None:
    both = Facts(
        "1", "Both", alerts=(OpenAlert("suicidal_ideation", ago(9)), OpenAlert("acute_suicide_risk", ago(1)))
    )
    older = Facts("2", "Older non-acute", alerts=(OpenAlert("suicide_risk", ago(9)),))
    rows = caseload([older, both], NOW)
    assert names(rows) == ["Both", "Older non-acute"]
    assert rows[0].worst_alert == OpenAlert("acute_suicide_risk", ago(1))


def test_reliable_change_is_the_library_s_and_only_within_one_instrument() -> None:
    # PHQ-9 threshold 4.71: 5 points is reliable, 4 is not; BRS higher is better.
    worse = trend_of("phq9", scores(10, 15))
    same = trend_of("phq9", scores(10, 14))
    better = trend_of("brs", scores(2.0, 3.5))
    assert worse is not None and worse.direction == "worsened" and worse.worsened
    assert same is not None and same.direction == "no_reliable_change"
    assert better is not None and better.direction == "improved"
    one = trend_of("gad7", scores(12))
    assert one is not None and one.change is None and one.direction == ""
    assert trend_of("gad7", []) is None
    # A worse PHQ-9 and a better GAD-7 are never compared with each other.
    row = caseload([Facts("1", "A", results={"phq9": scores(3), "gad7": scores(20)})], NOW)[0]
    assert row.tier is Tier.REST and row.deteriorating == ()


def test_the_trend_keeps_the_latest_points_oldest_first() -> None:
    trend = trend_of("phq9", list(reversed(scores(*range(20)))))
    assert trend is not None
    assert len(trend.scores) == TREND_POINTS
    assert [s.total for s in trend.scores] == list(range(20 - TREND_POINTS, 20))


def test_results_not_shared_give_no_trend_and_no_deterioration() -> None:
    row = caseload([Facts("1", "Hidden", results=None)], NOW)[0]
    assert row.trends == () and row.tier is Tier.REST


def test_filters_and_the_measure() -> None:
    members = [
        Facts("1", "Alert", alerts=(OpenAlert("suicide_risk", ago(1)),), results={"gad7": scores(3)}),
        Facts("2", "Worse PHQ", results={"phq9": scores(5, 12)}),
        Facts("3", "Worse GAD", results={"gad7": scores(5, 12)}),
        Facts("4", "Overdue", results={"brs": scores(3.0)}, overdue=("brs",)),
        Facts("5", "Visit", next_visit=NOW + timedelta(days=6)),
    ]
    assert names(caseload(members, NOW, only=Filter.ALERTS)) == ["Alert"]
    assert names(caseload(members, NOW, only=Filter.DETERIORATING)) == ["Worse GAD", "Worse PHQ"]
    assert names(caseload(members, NOW, only=Filter.DETERIORATING, instrument="phq9")) == ["Worse PHQ"]
    assert names(caseload(members, NOW, only=Filter.OVERDUE)) == ["Overdue"]
    assert names(caseload(members, NOW, only=Filter.VISITS)) == ["Visit"]
    assert names(caseload(members, NOW, instrument="gad7")) == ["Alert", "Worse GAD"]
    with pytest.raises(ValueError, match="not a filter"):
        caseload(members, NOW, only="everything")
    with pytest.raises(ValueError, match="not a measure"):
        caseload(members, NOW, instrument="asq")


def test_the_trend_line_says_its_values_in_words_and_marks_by_shape() -> None:
    trend = trend_of("phq9", scores(10, 15))
    assert trend is not None
    svg = sparkline(trend, "t-1")
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<title" in svg and "style=" not in svg and "<script" not in svg
    assert "mark-worsened" in svg
    assert description(trend).startswith("PHQ-9, the last 2 results from ")
    assert "10, 15" in description(trend) and "reliably worse" in description(trend)


# --- Outcomes -------------------------------------------------------------------------------------------------


def test_outcomes_count_improvement_recovery_and_reliable_recovery() -> None:
    courses = (
        [(15.0, 5.0)] * 4  # at caseness, reliably better, recovered: reliable recovery
        + [(12.0, 9.0)] * 3  # recovered, not reliably
        + [(8.0, 2.0)] * 2  # reliably better, never at caseness
        + [(14.0, 20.0)]  # worse
        + [(9.0,)]  # one result: left out
    )
    found = outcome("phq9", courses)
    assert found.members == 10 and found.at_caseness == 8
    assert found.improved == Rate(6, 10)
    assert found.recovered == Rate(7, 8)
    assert found.reliably_recovered == Rate(4, 8)
    assert found.improved.percent == "60%"
    assert not found.recovered.shown and found.recovered.percent == "too few to show"


def test_outcomes_per_measure_never_mix_instruments() -> None:
    rows = outcomes([Course("phq9", (20.0, 4.0)), Course("gad7", (5.0, 19.0)), Course("brs", (2.0, 4.0))])
    assert [(o.instrument, o.members, o.improved.count) for o in rows] == [("phq9", 1, 1), ("gad7", 1, 0)]
    assert MIN_N == 10
    assert (
        Rate(5, 10).percent == "50%" and Rate(2, 3).shown is False and Rate(1, 8).percent == "too few to show"
    )

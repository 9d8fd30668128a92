"""The check-ins over time: weeks, the rhythm of checking in without guilt, and insights only with enough data,
worded as what went together. No database."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bounceback.progress.checkins import (
    INSIGHT_DAYS,
    MIN_DAYS_PER_GROUP,
    WEEKS_SHOWN,
    Day,
    daily,
    insights,
    rhythm,
    weekly_means,
    weeks_of,
)
from bounceback.progress.page import checkin_section, progress_page
from bounceback.progress.stats import welch_interval

TODAY = date(2026, 6, 3)  # a Wednesday


def test_weeks_start_on_monday_and_this_week_is_not_over() -> None:
    days = [Day(TODAY, exercise_minutes=30), Day(TODAY - timedelta(days=3), exercise_minutes=120)]
    weeks = weeks_of(days, TODAY)
    assert len(weeks) == WEEKS_SHOWN
    assert weeks[-1].start == date(2026, 6, 1) and weeks[-1].current and weeks[-1].label == "This week"
    assert weeks[-2].start == date(2026, 5, 25) and not weeks[-2].current
    assert (weeks[-1].exercise, weeks[-2].exercise, weeks[-3].exercise) == (30, 120, None)
    window = daily(days, TODAY)
    assert window[0].day == date(2026, 3, 9) and window[-1].day == TODAY


def test_an_unanswered_question_is_missing_not_zero() -> None:
    week = weeks_of([Day(TODAY, mood=5), Day(TODAY - timedelta(days=1), connected=False)], TODAY)[-1]
    assert week.exercise is None and week.mindfulness is None
    assert (week.connected_days, week.connected_answered) == (0, 1)
    window = daily([Day(TODAY, mood=5), Day(TODAY - timedelta(days=1), mood=8)], TODAY)
    moods = [None if d.mood is None else float(d.mood) for d in window]
    assert weekly_means(window, moods) == [(date(2026, 6, 2), 6.5)]  # this week: Monday to today, middle day


def test_a_missed_day_never_breaks_a_run_and_this_week_cannot_break_it_yet() -> None:
    # Checked in once a week for five weeks, nothing yet this week: five weeks in a row, no guilt.
    days = [Day(date(2026, 5, 26) - timedelta(weeks=n), mood=6) for n in range(5)]
    r = rhythm(days, TODAY)
    assert r.weeks_in_a_row == 5
    assert r.days_checked_in == 5
    assert "5 weeks in a row" in r.text
    section = checkin_section(days, TODAY)
    assert section is not None
    words = f"{r.text} {section.gentle}".lower()
    assert "not a failure" in words
    for guilt in ("broke", "lost your", "missed your", "failed", "don't break", "keep your streak"):
        assert guilt not in words
    gap = rhythm([*days[:2], *days[3:]], TODAY)
    assert gap.weeks_in_a_row == 2  # a week with no check-in at all ends the run; nothing else does


def make_days(with_mood: int, without_mood: int, n_with: int, n_without: int) -> list[Day]:
    days = []
    for n in range(n_with):
        days.append(Day(TODAY - timedelta(days=n), mood=with_mood + (n % 3) - 1, exercise_minutes=30))
    for n in range(n_without):
        days.append(
            Day(TODAY - timedelta(days=n_with + n), mood=without_mood + (n % 3) - 1, exercise_minutes=0)
        )
    return days


def test_an_insight_waits_for_enough_days_on_each_side() -> None:
    shown, waiting = insights(make_days(7, 5, MIN_DAYS_PER_GROUP, MIN_DAYS_PER_GROUP - 1), TODAY)
    assert shown == []
    exercise = next(w for w in waiting if w.factor.key == "exercise")
    assert (exercise.with_days, exercise.without_days) == (MIN_DAYS_PER_GROUP, MIN_DAYS_PER_GROUP - 1)
    assert f"{MIN_DAYS_PER_GROUP} of each are needed" in exercise.text
    shown, _waiting = insights(make_days(7, 5, MIN_DAYS_PER_GROUP, MIN_DAYS_PER_GROUP), TODAY)
    assert [i.factor.key for i in shown] == ["exercise"]


def test_an_insight_gives_means_counts_and_welchs_interval_worded_as_going_together() -> None:
    days = make_days(7, 5, 12, 15)
    (insight,) = insights(days, TODAY)[0]
    expected = welch_interval(
        [float(d.mood or 0) for d in days if d.exercise_minutes],
        [float(d.mood or 0) for d in days if d.exercise_minutes == 0],
    )
    assert insight.difference == expected
    text = insight.text
    assert (
        "On the 12 days you exercised, your mood averaged 7.0 out of 10; on the 15 days you did not, 5.0."
        in text
    )
    assert "Exercise went together with a mood 2.0 points higher (95% interval" in text
    for causal in ("because", "caused", "causes", "leads to", "improves", "makes you", "boost"):
        assert causal not in text.lower()


def test_an_insight_whose_interval_holds_zero_says_it_could_be_chance() -> None:
    days = make_days(6, 6, 12, 12)
    (insight,) = insights(days, TODAY)[0]
    assert not insight.clear
    assert "could be chance" in insight.text and "did not clearly go together" in insight.text
    assert re.search(r"95% interval −\d\.\d to \d\.\d points", insight.text)


def test_insights_look_only_at_the_last_90_days_with_a_mood() -> None:
    old = [Day(TODAY - timedelta(days=INSIGHT_DAYS + n), mood=9, exercise_minutes=30) for n in range(30)]
    no_mood = [Day(TODAY - timedelta(days=n), exercise_minutes=30) for n in range(30)]
    shown, waiting = insights([*old, *no_mood], TODAY)
    assert shown == []
    assert all(w.with_days == 0 for w in waiting)


def test_the_page_has_no_check_in_section_without_check_ins() -> None:
    page = progress_page([], [], TODAY)
    assert page.empty and page.checkins is None
    section = checkin_section([Day(TODAY, mood=6)], TODAY)
    assert section is not None
    assert [c.chart_id for c in section.day_charts + section.week_charts] == [
        "chart-mood",
        "chart-sleep",
        "chart-exercise",
        "chart-mindfulness",
        "chart-connection",
    ]
    assert [r.day for r in section.day_rows] == ["3 June 2026"]

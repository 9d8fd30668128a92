"""Extra schedules beside the member's own (``reminders.assigned``): pure, no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bounceback.reminders.assigned import Extra, asked_words, combined, standing
from bounceback.reminders.rules import Schedule, State

JOINED = datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_an_assigned_measure_falls_due_the_day_it_is_asked_when_not_answered_lately() -> None:
    own = Schedule(instruments=("brs",), every_days=28, zone="UTC")
    asked = datetime(2026, 3, 2, 15, tzinfo=UTC)
    extra = Extra(("phq9",), 14, asked, "Maya Chen", "To see how sleep affects mood")
    plan = combined(
        own, [extra], {"phq9": datetime(2026, 1, 5, tzinfo=UTC)}, JOINED, asked + timedelta(hours=1)
    )
    phq = next(d for d in plan.due if d.instrument == "phq9")
    assert phq.state is State.DUE and phq.since == date(2026, 3, 2)
    assert "phq9" in plan.due_now
    assert any("phq9" in s.instruments and s.due_date == date(2026, 3, 2) for s in plan.sends)
    # Answered since: due again 14 days after that answer.
    later = combined(
        own, [extra], {"phq9": datetime(2026, 3, 3, 10, tzinfo=UTC)}, JOINED, datetime(2026, 3, 4, tzinfo=UTC)
    )
    phq = next(d for d in later.due if d.instrument == "phq9")
    assert phq.state is State.UPCOMING and phq.since == date(2026, 3, 17)


def test_sends_on_one_date_share_one_reminder_and_the_member_s_own_is_kept() -> None:
    own = Schedule(instruments=("brs", "phq9"), every_days=14, zone="UTC")
    extra = Extra(("phq9", "gad7"), 7, JOINED + timedelta(days=7), "Maya Chen")
    plan = combined(own, [extra], {}, JOINED, JOINED + timedelta(days=14, hours=1))
    dates = [s.due_date for s in plan.sends]
    assert len(dates) == len(set(dates))
    today = next(s for s in plan.sends if s.due_date == date(2026, 1, 15))
    assert today.instruments == ("brs", "phq9", "gad7")
    assert [d.instrument for d in plan.due] == ["brs", "phq9", "gad7"]


def test_standing_says_when_an_assigned_measure_is_overdue() -> None:
    extra = Extra(("gad7",), 14, JOINED, "Maya Chen")
    assert standing(extra, {}, "UTC", JOINED)[0].state is State.DUE
    assert standing(extra, {}, "UTC", JOINED + timedelta(days=1))[0].state is State.OVERDUE
    answered = {"gad7": JOINED + timedelta(days=1)}
    assert standing(extra, answered, "UTC", JOINED + timedelta(days=2))[0].state is State.UPCOMING


def test_the_member_reads_who_asked_for_what() -> None:
    extra = Extra(("gad7", "phq9"), 14, JOINED, "Maya Chen")
    assert asked_words(extra) == "Maya Chen asked you to answer the PHQ-9 and the GAD-7 every 14 days"

"""The pure reminder rules (hazard H17, test T17): due dates, the local time across both daylight-saving
changes in New York, London and Sydney and in a zone without one (Kolkata), the spring-forward gap and the
fall-back fold, quiet hours, and one catch-up. No database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback.reminders.rules import (
    QuietHours,
    Schedule,
    State,
    at_local,
    backoff,
    due,
    is_quiet,
    out_of_quiet,
    plan,
    planned_at,
    send_time,
)

NO_QUIET = QuietHours(time(0), time(0))

# (zone, the day clocks spring forward, the day they fall back) in 2026.
TRANSITIONS = [
    ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
    ("Europe/London", date(2026, 3, 29), date(2026, 10, 25)),
    ("Australia/Sydney", date(2026, 10, 4), date(2026, 4, 5)),
]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


@pytest.mark.parametrize(("zone", "spring", "fall"), TRANSITIONS)
def test_it_keeps_nine_oclock_local_across_both_changes(zone: str, spring: date, fall: date) -> None:
    schedule = Schedule(zone=zone, at=time(9), quiet=QuietHours(time(21), time(8)))
    for change in (spring, fall):
        offsets = set()
        for day in (change - timedelta(days=1), change, change + timedelta(days=1)):
            sent = planned_at(schedule, day)
            wall = local(sent, zone)
            assert (wall.date(), wall.time()) == (day, time(9)), (zone, day, wall)
            offsets.add(wall.utcoffset())
        assert len(offsets) == 2, f"{zone} changes its offset on {change}"


def test_it_keeps_nine_oclock_in_a_zone_without_daylight_saving() -> None:
    schedule = Schedule(zone="Asia/Kolkata")
    for day in (date(2026, 1, 15), date(2026, 3, 29), date(2026, 7, 1), date(2026, 11, 1)):
        assert planned_at(schedule, day) == datetime.combine(day, time(3, 30), tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_utc", "expected_wall"),
    [
        ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30), time(3, 30)),
        ("Europe/London", date(2026, 3, 29), time(1, 30), utc(2026, 3, 29, 1, 30), time(2, 30)),
        ("Australia/Sydney", date(2026, 10, 4), time(2, 30), utc(2026, 10, 3, 16, 30), time(3, 30)),
    ],
)
def test_a_time_the_clocks_skip_moves_later_by_the_gap(
    zone: str, day: date, at: time, expected_utc: datetime, expected_wall: time
) -> None:
    sent = planned_at(Schedule(zone=zone, at=at, quiet=NO_QUIET), day)
    assert sent == expected_utc
    assert local(sent, zone).time() == expected_wall


@pytest.mark.parametrize(
    ("zone", "day", "at", "first"),
    [
        ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # 01:30 EDT
        ("Europe/London", date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30)),  # 01:30 BST
        ("Australia/Sydney", date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30)),  # 02:30 AEDT
    ],
)
def test_a_time_that_happens_twice_is_sent_once_at_its_first(
    zone: str, day: date, at: time, first: datetime
) -> None:
    schedule = Schedule(zone=zone, at=at, quiet=NO_QUIET, every_days=14)
    joined = at_local(day - timedelta(days=14), time(12), ZoneInfo(zone))
    before = first - timedelta(hours=3)
    sends = plan(schedule, {}, joined, before).sends
    assert [(s.due_date, s.send_at) for s in sends] == [(day, first)]
    wall = local(first, zone)
    assert wall.time() == at and wall.fold == 0
    # the second 01:30 (an hour later) is past the planned time: it is the one send, not another
    assert send_time(schedule, day, first + timedelta(hours=1)) == first + timedelta(hours=1)


def test_it_never_plans_inside_quiet_hours() -> None:
    quiet = QuietHours(time(22), time(7))
    late = Schedule(zone="Europe/London", at=time(23, 30), quiet=quiet)
    sent = planned_at(late, date(2026, 6, 10))
    assert local(sent, "Europe/London") == datetime(2026, 6, 11, 7, tzinfo=ZoneInfo("Europe/London"))
    early = Schedule(zone="Europe/London", at=time(6, 15), quiet=quiet)
    assert local(planned_at(early, date(2026, 6, 10)), "Europe/London").time() == time(7)
    same_day = QuietHours(time(12), time(14))
    lunch = Schedule(zone="Asia/Tokyo", at=time(12, 30), quiet=same_day)
    assert local(planned_at(lunch, date(2026, 6, 10)), "Asia/Tokyo").time() == time(14)


def test_quiet_hours_ending_in_the_gap_end_by_the_gap_rule() -> None:
    zone = "America/New_York"
    quiet = QuietHours(time(1), time(2, 30))
    sent = out_of_quiet(utc(2026, 3, 8, 6, 15), ZoneInfo(zone), quiet)  # 01:15 EST
    assert local(sent, zone).time() == time(3, 30)
    assert not is_quiet(sent, ZoneInfo(zone), quiet)


def test_it_catches_a_missed_send_up_once_and_never_at_night() -> None:
    zone = "America/New_York"
    schedule = Schedule(zone=zone, at=time(9), quiet=QuietHours(time(21), time(8)))
    day = date(2026, 6, 10)
    planned = planned_at(schedule, day)
    assert send_time(schedule, day, planned - timedelta(minutes=1)) == planned
    afternoon = at_local(day, time(14), ZoneInfo(zone))
    assert send_time(schedule, day, afternoon) == afternoon  # the worker is back: at once
    night = at_local(day, time(23), ZoneInfo(zone))
    morning = send_time(schedule, day, night)
    assert local(morning, zone) == datetime(2026, 6, 11, 8, tzinfo=ZoneInfo(zone))


def test_after_a_long_outage_only_the_current_due_date_is_planned() -> None:
    schedule = Schedule(zone="Europe/London", every_days=7)
    joined = utc(2026, 5, 1, 12)
    now = utc(2026, 6, 20, 13)  # seven weeks later, every reminder since missed
    result = plan(schedule, {}, joined, now)
    assert [s.due_date for s in result.sends] == [date(2026, 6, 19)]
    assert result.sends[0].send_at == now  # one catch-up, now (13:00 is not quiet)
    assert {d.since for d in result.due} == {date(2026, 5, 8)}
    assert {d.state for d in result.due} == {State.OVERDUE}


def test_it_counts_from_the_last_scored_result_or_sign_up() -> None:
    schedule = Schedule(zone="Australia/Sydney")
    joined = utc(2026, 1, 1, 0)
    results = {"brs": utc(2026, 2, 1, 0), "phq9": None}  # GAD-7: none either
    anchors = {"brs": utc(2026, 2, 1, 0), "phq9": joined, "gad7": joined}
    standing = {d.instrument: d for d in due(schedule, anchors, utc(2026, 2, 10))}
    assert standing["brs"].since == date(2026, 2, 15) and standing["brs"].state is State.UPCOMING
    assert standing["phq9"].since == date(2026, 1, 15) and standing["phq9"].state is State.OVERDUE
    result = plan(schedule, results, joined, utc(2026, 2, 10))
    assert result.due_now == ("phq9", "gad7")
    assert [(s.due_date, s.instruments) for s in result.sends] == [
        (date(2026, 1, 29), ("phq9", "gad7")),  # the second cycle: 15 January was the first
        (date(2026, 2, 15), ("brs",)),
    ]


def test_due_on_its_date_and_overdue_from_the_next() -> None:
    schedule = Schedule(zone="Asia/Kolkata", instruments=("gad7",), every_days=28)
    joined = utc(2026, 1, 1, 6)  # 11:30 on 1 January in Kolkata
    assert due(schedule, {"gad7": joined}, utc(2026, 1, 28, 18, 29))[0].state is State.UPCOMING
    assert due(schedule, {"gad7": joined}, utc(2026, 1, 28, 18, 30))[0].state is State.DUE  # midnight there
    assert due(schedule, {"gad7": joined}, utc(2026, 1, 29, 18, 30))[0].state is State.OVERDUE


def test_a_zone_change_moves_the_send() -> None:
    day = date(2026, 6, 10)
    assert planned_at(Schedule(zone="Europe/London"), day) == utc(2026, 6, 10, 8)
    assert planned_at(Schedule(zone="America/New_York"), day) == utc(2026, 6, 10, 13)


def test_it_refuses_what_is_not_a_schedule() -> None:
    with pytest.raises(ValueError, match="every_days"):
        Schedule(every_days=10)
    with pytest.raises(ValueError, match="re-assessed"):
        Schedule(instruments=("pcl5",))
    with pytest.raises(ValueError, match="aware"):
        send_time(Schedule(), date(2026, 1, 1), datetime(2026, 1, 1))


def test_back_off_doubles_up_to_a_cap() -> None:
    assert [backoff(n, 60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(30, 60) == timedelta(hours=6)


ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Asia/Tokyo", "UTC"]
times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@settings(max_examples=400, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    at=times,
    start=times,
    end=times,
    late_by=st.integers(0, 60 * 24 * 3),
)
def test_no_send_ever_falls_in_quiet_hours(
    zone: str, day: date, at: time, start: time, end: time, late_by: int
) -> None:
    quiet = QuietHours(start, end)
    schedule = Schedule(zone=zone, at=at, quiet=quiet)
    tz = ZoneInfo(zone)
    planned = planned_at(schedule, day)
    assert not is_quiet(planned, tz, quiet)
    assert planned >= at_local(day, at, tz)
    exists = at_local(day, at, tz).astimezone(tz).time() == at  # not skipped by the clocks that day
    if exists and not quiet.contains(at):
        assert planned.astimezone(tz).time() == at
    now = planned + timedelta(minutes=late_by)
    caught_up = send_time(schedule, day, now)
    assert caught_up >= min(planned, now) and not is_quiet(caught_up, tz, quiet)

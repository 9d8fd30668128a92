"""Bookable slots from weekly hours, across daylight-saving changes in both hemispheres and a half-hour zone
(hazard H22, test T22). Pure: no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback.clinics.availability import (
    Block,
    Rules,
    Slot,
    by_local_day,
    format_start,
    in_zone,
    offered,
    parse_start,
    slots,
    wall_to_instant,
    zone_name,
)

EVERY_DAY_MORNING = tuple(Block(weekday, time(9), time(12)) for weekday in range(7))
EVERY_NIGHT = tuple(Block(weekday, time(0), time(4)) for weekday in range(7))

# (zone, local date of the change, wall times skipped that night, wall times that happen twice that night)
CHANGES = [
    ("America/New_York", date(2027, 3, 14), {time(2), time(2, 30)}, set()),
    ("America/New_York", date(2027, 11, 7), set(), {time(1), time(1, 30)}),
    ("Europe/London", date(2027, 3, 28), {time(1), time(1, 30)}, set()),
    ("Europe/London", date(2027, 10, 31), set(), {time(1), time(1, 30)}),
    ("Australia/Sydney", date(2027, 4, 4), set(), {time(2), time(2, 30)}),
    ("Australia/Sydney", date(2027, 10, 3), {time(2), time(2, 30)}, set()),
    ("Australia/Adelaide", date(2027, 4, 4), set(), {time(2), time(2, 30)}),
    ("Australia/Adelaide", date(2027, 10, 3), {time(2), time(2, 30)}, set()),
]
IDS = [f"{zone}-{day}" for zone, day, _, _ in CHANGES]


def local_start(day: date, zone: str) -> datetime:
    """Midnight of a local date as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def assert_never_overlap(found: list[Slot], buffer: timedelta = timedelta(0)) -> None:
    for earlier, later in pairwise(found):
        assert earlier.ends_at + buffer <= later.starts_at, (earlier, later)


@pytest.mark.parametrize(("zone", "day", "skipped", "twice"), CHANGES, ids=IDS)
def test_it_keeps_the_clinicians_morning_hours_through_each_change(
    zone: str, day: date, skipped: set[time], twice: set[time]
) -> None:
    rules = Rules(zone=zone, blocks=EVERY_DAY_MORNING, min_notice=timedelta(0), horizon_days=10)
    found = slots(rules, now=local_start(day - timedelta(days=4), zone))
    by_day = by_local_day(found, zone)
    assert len(by_day) == 10
    assert day in dict(by_day)
    for local_day, day_slots in by_day:
        walls = [in_zone(s.starts_at, zone).time() for s in day_slots]
        assert walls == [time(9), time(10), time(11)], local_day
    assert all(s.starts_at.tzinfo is not None and s.starts_at.utcoffset() == timedelta(0) for s in found)
    assert_never_overlap(found, rules.buffer)


@pytest.mark.parametrize(("zone", "day", "skipped", "twice"), CHANGES, ids=IDS)
def test_it_skips_times_that_do_not_exist_and_offers_a_repeated_time_once(
    zone: str, day: date, skipped: set[time], twice: set[time]
) -> None:
    rules = Rules(
        zone=zone,
        blocks=EVERY_NIGHT,
        slot_minutes=30,
        buffer_minutes=0,
        min_notice=timedelta(0),
        horizon_days=1,
    )
    tz = ZoneInfo(zone)
    found = [s for s in slots(rules, now=local_start(day, zone)) if in_zone(s.starts_at, zone).date() == day]
    walls = [in_zone(s.starts_at, zone).time() for s in found]
    every_half_hour = [time(h, m) for h in range(4) for m in (0, 30)]
    expected = [wall for wall in every_half_hour if wall not in skipped]
    # A skipped hour loses its wall times; a repeated hour offers each wall time once, at its first occurrence
    # (the second pass of that hour is left free).
    assert walls == expected
    assert len({s.starts_at for s in found}) == len(found)
    assert_never_overlap(found)
    for s in found:
        wall = in_zone(s.starts_at, zone)
        if wall.time() in twice:
            first = datetime.combine(day, wall.time(), tzinfo=tz)  # fold=0
            assert s.starts_at == first.astimezone(UTC)
            assert wall.utcoffset() == first.utcoffset()
        assert s.ends_at - s.starts_at == timedelta(minutes=30), "a visit lasts its real length"


def test_it_reads_a_skipped_wall_time_as_none_and_a_repeated_one_as_the_first() -> None:
    new_york = ZoneInfo("America/New_York")
    assert wall_to_instant(date(2027, 3, 14), time(2, 30), new_york) is None
    assert wall_to_instant(date(2027, 11, 7), time(1, 30), new_york) == datetime(
        2027, 11, 7, 5, 30, tzinfo=UTC
    )
    assert wall_to_instant(date(2027, 11, 7), time(3), new_york) == datetime(2027, 11, 7, 8, tzinfo=UTC)


def test_it_never_overlaps_a_visit_that_runs_across_the_skipped_hour() -> None:
    """40-minute visits every 40 minutes from 01:10: the 01:50 visit ends at 03:30 new time, so 03:10 (which
    exists) would overlap it and is not offered."""
    rules = Rules(
        zone="America/New_York",
        blocks=(Block(6, time(1, 10), time(5)),),
        slot_minutes=40,
        buffer_minutes=0,
        min_notice=timedelta(0),
        horizon_days=1,
    )
    found = slots(rules, now=local_start(date(2027, 3, 14), "America/New_York"))
    walls = [in_zone(s.starts_at, "America/New_York").strftime("%H:%M") for s in found]
    assert walls == ["01:10", "01:50", "03:50"]
    assert_never_overlap(found)


def test_a_new_york_nine_oclock_shows_in_london_as_two_and_as_one_while_their_clocks_differ() -> None:
    """T22: the same New York Monday 09:00 on London's clock, each week of spring and autumn 2027."""
    rules = Rules(
        zone="America/New_York",
        blocks=(Block(0, time(9), time(9, 50)),),
        min_notice=timedelta(0),
        horizon_days=70,
    )
    spring = slots(rules, now=datetime(2027, 3, 1, tzinfo=UTC))
    autumn = slots(rules, now=datetime(2027, 10, 18, tzinfo=UTC))
    shown = {
        in_zone(s.starts_at, "America/New_York").date(): in_zone(s.starts_at, "Europe/London").strftime(
            "%H:%M"
        )
        for s in spring + autumn
    }
    assert all(in_zone(s.starts_at, "America/New_York").time() == time(9) for s in spring + autumn)
    assert shown[date(2027, 3, 8)] == "14:00"  # neither on summer time
    assert shown[date(2027, 3, 15)] == "13:00"  # New York moved on 14 March, London not yet
    assert shown[date(2027, 3, 22)] == "13:00"
    assert shown[date(2027, 3, 29)] == "14:00"  # London moved on 28 March
    assert shown[date(2027, 10, 25)] == "14:00"
    assert shown[date(2027, 11, 1)] == "13:00"  # London moved back on 31 October, New York not yet
    assert shown[date(2027, 11, 8)] == "14:00"  # New York moved back on 7 November


def test_it_names_the_zone_beside_a_time() -> None:
    summer = datetime(2027, 7, 1, 12, tzinfo=UTC)
    assert zone_name(summer, "Europe/London") == "Europe/London (BST)"
    assert zone_name(datetime(2027, 1, 1, tzinfo=UTC), "Europe/London") == "Europe/London (GMT)"
    assert zone_name(summer, "Asia/Kolkata") == "Asia/Kolkata (IST)"
    assert zone_name(summer, "America/Sao_Paulo") == "America/Sao_Paulo"  # "-03" is not a name
    assert zone_name(summer, "Not/AZone") == "UTC"


def test_a_half_hour_zone_member_sees_a_los_angeles_clinicians_day_across_two_of_their_dates() -> None:
    rules = Rules(
        zone="America/Los_Angeles",
        blocks=(Block(0, time(9), time(17)),),
        min_notice=timedelta(0),
        horizon_days=7,
    )
    found = slots(rules, now=datetime(2027, 7, 4, tzinfo=UTC))  # a Sunday; Monday 5 July is worked
    assert len(found) == 8
    groups = by_local_day(found, "Asia/Kolkata")
    # 09:00 PDT is 21:30 IST on Monday; 11:00 PDT is 23:30 IST; noon PDT is 00:30 IST on Tuesday.
    assert [d for d, _ in groups] == [date(2027, 7, 5), date(2027, 7, 6)]
    assert [in_zone(s.starts_at, "Asia/Kolkata").strftime("%H:%M") for s in groups[0][1]] == [
        "21:30",
        "22:30",
        "23:30",
    ]
    assert in_zone(groups[1][1][0].starts_at, "Asia/Kolkata").strftime("%H:%M") == "00:30"


def test_an_adelaide_clinician_keeps_half_past_times_in_utc() -> None:
    rules = Rules(
        zone="Australia/Adelaide",
        blocks=(Block(0, time(9), time(10)),),
        min_notice=timedelta(0),
        horizon_days=7,
    )
    [slot] = slots(rules, now=datetime(2027, 1, 3, tzinfo=UTC))  # summer time there: +10:30
    assert slot.starts_at == datetime(2027, 1, 3, 22, 30, tzinfo=UTC)
    [winter] = slots(rules, now=datetime(2027, 7, 4, tzinfo=UTC))  # +09:30
    assert winter.starts_at == datetime(2027, 7, 4, 23, 30, tzinfo=UTC)


def test_leave_blocks_whole_local_days() -> None:
    """A Sydney clinician's day off is their own date, although it starts the day before in UTC."""
    week = tuple(Block(weekday, time(8), time(11)) for weekday in range(5))
    now = datetime(2027, 6, 6, tzinfo=UTC)  # a Sunday
    working = slots(Rules(zone="Australia/Sydney", blocks=week, min_notice=timedelta(0), horizon_days=7), now)
    on_leave = slots(
        Rules(
            zone="Australia/Sydney",
            blocks=week,
            min_notice=timedelta(0),
            horizon_days=7,
            time_off=[(date(2027, 6, 8), date(2027, 6, 9))],
        ),
        now,
    )
    days = {in_zone(s.starts_at, "Australia/Sydney").date() for s in on_leave}
    assert date(2027, 6, 8) not in days and date(2027, 6, 9) not in days
    assert date(2027, 6, 7) in days and date(2027, 6, 10) in days
    assert len(working) - len(on_leave) == 2 * 3
    # Tuesday 8 June 08:00 in Sydney is Monday 7 June 22:00 UTC: gone all the same.
    assert datetime(2027, 6, 7, 22, tzinfo=UTC) in {s.starts_at for s in working}
    assert datetime(2027, 6, 7, 22, tzinfo=UTC) not in {s.starts_at for s in on_leave}


def test_notice_and_horizon() -> None:
    rules = Rules(
        zone="UTC",
        blocks=tuple(Block(d, time(9), time(17)) for d in range(7)),
        min_notice=timedelta(hours=12),
        horizon_days=2,
    )
    now = datetime(2027, 5, 3, 0, 30, tzinfo=UTC)
    found = slots(rules, now)
    assert found[0].starts_at == datetime(2027, 5, 3, 13, tzinfo=UTC)  # 12:00 is 11 h 30 min away
    assert found[-1].starts_at == datetime(2027, 5, 4, 16, tzinfo=UTC)  # 5 May 09:00 is past 2 days


@pytest.mark.parametrize(
    ("slot_minutes", "buffer_minutes", "expected"),
    [
        (50, 10, ["09:00", "10:00", "11:00"]),  # the last visit ends 11:50, its pause after the block
        (60, 0, ["09:00", "10:00", "11:00"]),
        (45, 30, ["09:00", "10:15", "11:30"]),  # 11:30 ends 12:15: past the block, not offered
        (30, 15, ["09:00", "09:45", "10:30", "11:15"]),
    ],
)
def test_slots_step_by_visit_plus_buffer_and_the_visit_fits_the_block(
    slot_minutes: int, buffer_minutes: int, expected: list[str]
) -> None:
    rules = Rules(
        zone="Europe/London",
        blocks=(Block(2, time(9), time(12)),),
        slot_minutes=slot_minutes,
        buffer_minutes=buffer_minutes,
        min_notice=timedelta(0),
        horizon_days=7,
    )
    found = slots(rules, datetime(2027, 1, 4, tzinfo=UTC))
    walls = [in_zone(s.starts_at, "Europe/London").strftime("%H:%M") for s in found]
    assert walls == [w for w in expected if w != "11:30"]


def test_booked_visits_are_removed_with_their_buffer() -> None:
    rules = Rules(zone="UTC", blocks=(Block(0, time(9), time(13)),), min_notice=timedelta(0), horizon_days=7)
    now = datetime(2027, 1, 3, tzinfo=UTC)
    ten = datetime(2027, 1, 4, 10, tzinfo=UTC)
    found = slots(rules, now, booked=[(ten, ten + timedelta(minutes=50))])
    assert [s.starts_at.hour for s in found] == [9, 11, 12]
    off_grid = datetime(2027, 1, 4, 10, 30, tzinfo=UTC)  # booked before the hours changed
    found = slots(rules, now, booked=[(off_grid, off_grid + timedelta(minutes=50))])
    assert [s.starts_at.hour for s in found] == [9, 12]
    assert offered(rules, now, datetime(2027, 1, 4, 12, tzinfo=UTC)) is not None
    assert offered(rules, now, datetime(2027, 1, 4, 12, 5, tzinfo=UTC)) is None


def test_start_round_trips_through_a_query_string() -> None:
    instant = datetime(2027, 3, 8, 14, tzinfo=UTC)
    assert format_start(instant) == "2027-03-08T14:00:00Z"
    assert parse_start(format_start(instant)) == instant
    assert parse_start("2027-03-08T09:00:00-05:00") == instant
    for hostile in (
        "",
        "2027-03-08T14:00:00",
        "tomorrow",
        "<script>",
        "9" * 100,
        "0001-01-01T00:00:00+14:00",
    ):
        assert parse_start(hostile) is None


ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Pacific/Chatham",
    "UTC",
]


@st.composite
def diaries(draw: st.DrawFn) -> tuple[Rules, datetime]:
    blocks = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, 22 * 4)) * 15
        end = draw(st.integers(start // 15 + 1, 24 * 4 - 1)) * 15
        blocks.append(
            Block(draw(st.integers(0, 6)), time(start // 60, start % 60), time(end // 60, end % 60))
        )
    rules = Rules(
        zone=draw(st.sampled_from(ZONES)),
        blocks=tuple(blocks),
        slot_minutes=draw(st.integers(10, 120)),
        buffer_minutes=draw(st.integers(0, 30)),
        min_notice=timedelta(hours=draw(st.integers(0, 48))),
        horizon_days=draw(st.integers(1, 21)),
        time_off=[(date(2027, 3, 20), date(2027, 3, 22))],
    )
    now = datetime(2027, 1, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 365 * 24 * 60)))
    return rules, now


@settings(max_examples=300, deadline=None)
@given(diaries())
def test_any_diary_gives_ordered_unique_slots_on_the_clinicians_wall_clock(
    case: tuple[Rules, datetime],
) -> None:
    rules, now = case
    found = slots(rules, now)
    assert found == sorted(found)
    assert_never_overlap(found, rules.buffer)
    for s in found:
        assert s.starts_at.utcoffset() == timedelta(0)
        assert s.ends_at - s.starts_at == rules.slot
        assert now + rules.min_notice <= s.starts_at < now + timedelta(days=rules.horizon_days)
        local = in_zone(s.starts_at, rules.zone)
        assert not date(2027, 3, 20) <= local.date() <= date(2027, 3, 22), "time off"
        assert local.fold == 0, "never the second pass of a repeated hour"
        on_grid = [
            b
            for b in rules.blocks
            if b.weekday == local.date().weekday()
            and b.start <= local.time().replace(fold=0) < b.end
            and (datetime.combine(local.date(), local.time()) - datetime.combine(local.date(), b.start))
            % rules.step
            == timedelta(0)
        ]
        assert on_grid, f"{local} is not on a block's grid"


@settings(max_examples=150, deadline=None)
@given(diaries(), st.data())
def test_booking_any_slot_removes_it_and_leaves_no_overlap(
    case: tuple[Rules, datetime], data: st.DataObject
) -> None:
    rules, now = case
    found = slots(rules, now)
    if not found:
        return
    chosen = data.draw(st.lists(st.sampled_from(found), max_size=5, unique=True))
    booked = [(s.starts_at, s.ends_at) for s in chosen]
    left = slots(rules, now, booked)
    assert set(left) <= set(found)
    assert not set(chosen) & set(left)
    for s in left:
        for start, end in booked:
            assert s.ends_at + rules.buffer <= start or end + rules.buffer <= s.starts_at

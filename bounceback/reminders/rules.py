"""When re-assessments fall due and when their reminders go out. Pure functions: no Django, no database, no
clock (``now`` is an argument, in UTC).

**Due.** Each instrument of the member's schedule falls due ``every_days`` (7, 14 or 28; 14 by default) after
its anchor: the member's last complete, scored result of that instrument, or sign-up when there is none. The
days count in the member's own time zone: an anchor on 3 March (their date) falls due on 17 March (their
date). An instrument is *upcoming* before that date, *due* on it, and *overdue* from the day after until a new
result moves its anchor. While it stays undone it comes round again every ``every_days`` (the cycle dates
17 March, 31 March, …): each cycle date is one due item, reminded once.

**When a reminder goes.** At the member's preferred local time on the cycle date, read in their IANA zone
(``zoneinfo``) on that very day, so 09:00 stays 09:00 on both sides of a daylight-saving change:

- a local time that does not exist that day (clocks spring forward over it) is read with the offset in force
  before the gap, so it moves later by the gap's length: 02:30 on the spring-forward night in New York is sent
  at 03:30 EDT (RFC 5545, 3.3.5, as ``zoneinfo`` with ``fold=0``);
- a local time that happens twice (clocks fall back) means its first occurrence (01:30 EDT, not 01:30 EST),
  and it is one instant, so it is sent once;
- never inside the member's quiet hours (a local wall-clock span, which may run past midnight): a time inside
  them moves to the moment they end (read by the same two rules);
- a missed time (the worker or scheduler was down) is caught up once, as soon as possible outside quiet hours;
  an older cycle date that a newer one has replaced is never sent (``plan`` no longer lists it), so however
  long the outage, one reminder per member and channel catches up.

Instruments falling due on the same date share one reminder. The database side (the outbox, ``outbox.py``)
keeps each (member, due item, due date, channel) once, which is what makes "never twice" hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

INSTRUMENTS = ("brs", "phq9", "gad7")
"""The instruments re-assessed on a schedule, in the order a focused re-assessment asks them."""
INSTRUMENT_NAMES = {"brs": "Brief Resilience Scale", "phq9": "PHQ-9", "gad7": "GAD-7"}
"""Shown only on the member's own pages, never in an email, a notification or an address (hazard H18)."""
INTERVALS = (7, 14, 28)
DEFAULT_INTERVAL = 14
DEFAULT_AT = time(9, 0)
DEFAULT_QUIET_START = time(21, 0)
DEFAULT_QUIET_END = time(8, 0)
REASSESSMENT = "reassessment"
"""The due item's kind in the outbox key (clinician-assigned measures and appointments will add their own)."""


class State(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class QuietHours:
    """A local wall-clock span in which nothing is sent: ``start`` ≤ t < ``end``, across midnight when ``end``
    is earlier than ``start`` (21:00–08:00). ``start == end`` means no quiet hours."""

    start: time = DEFAULT_QUIET_START
    end: time = DEFAULT_QUIET_END

    def contains(self, moment: time) -> bool:
        t = moment.replace(tzinfo=None, fold=0)
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end


@dataclass(frozen=True)
class Schedule:
    instruments: tuple[str, ...] = INSTRUMENTS
    every_days: int = DEFAULT_INTERVAL
    at: time = DEFAULT_AT
    quiet: QuietHours = field(default_factory=QuietHours)
    zone: str = "UTC"

    def __post_init__(self) -> None:
        unknown = [i for i in self.instruments if i not in INSTRUMENTS]
        if unknown:
            raise ValueError(f"not a re-assessed instrument: {', '.join(unknown)}")
        if self.every_days not in INTERVALS:
            raise ValueError(f"every_days must be one of {INTERVALS}, not {self.every_days}")

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.zone)


@dataclass(frozen=True)
class Due:
    """One instrument's standing: its first due date not yet done (``since``), the cycle date now current
    (the latest one on or before today, else ``since``), and the state today."""

    instrument: str
    since: date
    cycle: date
    state: State


@dataclass(frozen=True)
class Send:
    """One planned reminder: the due date it is for, the instruments due on it, and when it goes (UTC)."""

    due_date: date
    instruments: tuple[str, ...]
    send_at: datetime


@dataclass(frozen=True)
class Plan:
    due: tuple[Due, ...]
    sends: tuple[Send, ...]

    @property
    def due_now(self) -> tuple[str, ...]:
        """The instruments due or overdue today, in the order a focused re-assessment asks them."""
        waiting = {d.instrument for d in self.due if d.state is not State.UPCOMING}
        return tuple(i for i in INSTRUMENTS if i in waiting)


def zone(name: str) -> ZoneInfo:
    """The IANA zone, or UTC when the name is not one this machine knows."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("times must be aware (UTC)")
    return instant.astimezone(UTC)


def at_local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The instant (UTC) the clocks in ``tz`` read ``at`` on ``day``: a time in a spring-forward gap is read with
    the offset before the gap (02:30 → 03:30), a time that happens twice means the first (fold=0)."""
    return datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def is_quiet(instant: datetime, tz: ZoneInfo, quiet: QuietHours) -> bool:
    return quiet.contains(_utc(instant).astimezone(tz).time())


def out_of_quiet(instant: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """``instant`` itself when it is outside the quiet hours, else the moment they end (UTC)."""
    instant = _utc(instant)
    for _ in range(
        4
    ):  # the end of quiet hours is outside them; a second pass only for a gap moving it back in
        local = instant.astimezone(tz)
        if not quiet.contains(local.time()):
            return instant
        day = local.date() if local.time() < quiet.end else local.date() + timedelta(days=1)
        later = at_local(day, quiet.end, tz)
        instant = later if later > instant else instant + timedelta(hours=1)
    return instant


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return _utc(instant).astimezone(tz).date()


def due(schedule: Schedule, anchors: Mapping[str, datetime], now: datetime) -> tuple[Due, ...]:
    """Each scheduled instrument's standing today. ``anchors``: its last scored result's time, or sign-up."""
    tz = schedule.tz
    today = local_date(now, tz)
    every = timedelta(days=schedule.every_days)
    found = []
    for instrument in schedule.instruments:
        since = local_date(anchors[instrument], tz) + every
        if today < since:
            found.append(Due(instrument, since, since, State.UPCOMING))
            continue
        cycles = (today - since).days // schedule.every_days
        cycle = since + cycles * every
        found.append(Due(instrument, since, cycle, State.DUE if today == since else State.OVERDUE))
    return tuple(found)


def planned_at(schedule: Schedule, due_date: date) -> datetime:
    """When the reminder for ``due_date`` goes if all is well: the preferred local time that day, out of quiet
    hours (UTC)."""
    tz = schedule.tz
    return out_of_quiet(at_local(due_date, schedule.at, tz), tz, schedule.quiet)


def send_time(schedule: Schedule, due_date: date, now: datetime) -> datetime:
    """The planned time, or, when it has passed unsent (a missed send), the catch-up: now, or the end of the
    quiet hours when now is inside them."""
    planned = planned_at(schedule, due_date)
    now = _utc(now)
    return planned if planned >= now else out_of_quiet(now, schedule.tz, schedule.quiet)


def plan(
    schedule: Schedule, last_results: Mapping[str, datetime | None], joined: datetime, now: datetime
) -> Plan:
    """What is due, and the reminders to keep planned: one per current cycle date, with its instruments."""
    anchors = {i: last_results.get(i) or joined for i in schedule.instruments}
    standing = due(schedule, anchors, now)
    by_date: dict[date, list[str]] = {}
    for item in standing:
        by_date.setdefault(item.cycle, []).append(item.instrument)
    sends = tuple(
        Send(day, tuple(i for i in INSTRUMENTS if i in names), send_time(schedule, day, now))
        for day, names in sorted(by_date.items())
    )
    return Plan(standing, sends)


def backoff(attempts: int, base_seconds: int, cap_seconds: int = 6 * 60 * 60) -> timedelta:
    """The wait after a failed attempt: ``base``, doubling with each attempt (1 → base, 2 → 2·base, …)."""
    return timedelta(seconds=min(cap_seconds, base_seconds * 2 ** max(0, attempts - 1)))


def instruments_text(instruments: Sequence[str]) -> str:
    """Instrument ids as stored in the outbox ("brs,phq9")."""
    return ",".join(i for i in INSTRUMENTS if i in instruments)


def parse_instruments(text: str) -> tuple[str, ...]:
    names = {part.strip() for part in text.split(",") if part.strip()}
    return tuple(i for i in INSTRUMENTS if i in names)

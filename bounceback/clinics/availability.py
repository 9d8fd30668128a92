"""Bookable times, computed from a clinician's weekly hours (pure: no Django, no database).

The clinician thinks in wall-clock time in their own IANA zone ("Mondays 09:00 to 17:00"), so slots are laid
out on that wall clock, one local date at a time, and only then turned into instants (aware UTC datetimes). A
daylight-saving change therefore never moves the clinician's 09:00 (hazard H22). The rules, in order:

- **Blocks.** Each weekly block (weekday, start, end) on each local date yields wall-clock starts at
  ``start``, ``start + step``, ``start + 2 step`` … where ``step`` is the visit plus the buffer after it.
- **The visit fits the block; the buffer need not.** A slot is kept when the visit itself ends by the block's
  end (an instant: the visit's real length counts). The buffer is the clinician's pause after a visit; the last
  visit of a block may end exactly at the block's end, with its pause after working hours.
- **A wall time that does not exist** (the hour skipped when clocks go forward) is not offered: that slot is
  skipped, the others keep their wall-clock times.
- **A wall time that happens twice** (the hour repeated when clocks go back) means its first occurrence
  (``fold=0``, the offset before the change); the second occurrence is never offered, so no time is offered
  twice. The repeated hour's second pass is left free.
- **Never overlapping.** A visit's real length is ``slot_minutes`` of elapsed time. Near a change, or where
  blocks overlap, a start that would fall before the previous kept visit's end plus its buffer is dropped (the
  earlier one wins).
- **Time off** blocks whole local dates of the clinician, inclusive.
- **Notice and horizon.** A slot starts at least ``min_notice`` after ``now``, and before ``now`` plus
  ``horizon_days`` days.
- **Booked visits** remove every slot whose visit-plus-buffer overlaps a booked visit plus the buffer (a booked
  visit off the grid, after the hours changed, still keeps its pause around it).

The member sees the same instants in their own zone (``in_zone``, ``by_local_day``, ``zone_name``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Block:
    """Working time on one weekday (0 is Monday), wall clock in the clinician's zone; ``start < end``."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Rules:
    """Everything about a clinician's diary that decides what is bookable."""

    zone: str
    blocks: Sequence[Block]
    slot_minutes: int = 50
    buffer_minutes: int = 10
    min_notice: timedelta = timedelta(hours=12)
    horizon_days: int = 28
    time_off: Sequence[tuple[date, date]] = field(default_factory=tuple)
    """Inclusive ranges of the clinician's local dates."""

    @property
    def slot(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    @property
    def step(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes + self.buffer_minutes)


@dataclass(frozen=True, order=True)
class Slot:
    """One bookable visit: aware UTC instants, ``starts_at < ends_at``."""

    starts_at: datetime
    ends_at: datetime


def zone_of(name: str) -> ZoneInfo:
    """The IANA zone by name; UTC for an empty or unknown name (a stored zone is validated where it is set)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def wall_to_instant(day: date, wall: time, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a wall-clock time on a local date: the first occurrence of an ambiguous time, None for
    a time the clocks skip."""
    local = datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None  # skipped: read back, the wall clock shows another time
    return instant


def _end_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """A block's end as an instant. An end inside a skipped hour is read with the offset before the change (so
    02:30 on a spring-forward night ends the block at 03:30 new time, the same elapsed length)."""
    return datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=zone).astimezone(UTC)


def _off(day: date, time_off: Sequence[tuple[date, date]]) -> bool:
    return any(first <= day <= last for first, last in time_off)


def _candidates(rules: Rules, day: date, zone: ZoneInfo) -> Iterator[Slot]:
    """Every slot of one local date from the blocks alone, in no particular order."""
    for block in rules.blocks:
        if block.weekday != day.weekday() or block.start >= block.end:
            continue
        block_end = _end_instant(day, block.end, zone)
        wall = datetime.combine(day, block.start)
        last = datetime.combine(day, block.end)
        while wall < last:
            starts_at = wall_to_instant(day, wall.time(), zone)
            if starts_at is not None:
                if starts_at + rules.slot > block_end:
                    break
                yield Slot(starts_at, starts_at + rules.slot)
            wall += rules.step


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def slots(
    rules: Rules,
    now: datetime,
    booked: Iterable[tuple[datetime, datetime]] = (),
) -> list[Slot]:
    """The bookable slots from ``now`` to the horizon, earliest first (see the module's rules)."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if rules.slot_minutes <= 0 or rules.buffer_minutes < 0:
        return []
    zone = zone_of(rules.zone)
    earliest = now + rules.min_notice
    latest = now + timedelta(days=rules.horizon_days)
    taken = sorted((start, end + rules.buffer) for start, end in booked if end + rules.buffer > earliest)
    first_day = earliest.astimezone(zone).date() - timedelta(days=1)
    last_day = latest.astimezone(zone).date() + timedelta(days=1)
    found: list[Slot] = []
    day = first_day
    while day <= last_day:
        if not _off(day, rules.time_off):
            found.extend(_candidates(rules, day, zone))
        day += timedelta(days=1)
    found.sort()
    kept: list[Slot] = []
    free_from: datetime | None = None
    for slot in found:
        if free_from is not None and slot.starts_at < free_from:
            continue  # overlaps the previous kept visit or its buffer (a change of offset, overlapping blocks)
        free_from = slot.ends_at + rules.buffer
        kept.append(slot)
    return [
        slot
        for slot in kept
        if earliest <= slot.starts_at < latest
        and not any(_overlaps(slot.starts_at, slot.ends_at + rules.buffer, s, e) for s, e in taken)
    ]


def offered(
    rules: Rules,
    now: datetime,
    starts_at: datetime,
    booked: Iterable[tuple[datetime, datetime]] = (),
) -> Slot | None:
    """The slot starting at this instant if it is bookable now, else None."""
    for slot in slots(rules, now, booked):
        if slot.starts_at == starts_at:
            return slot
    return None


def next_free(
    rules: Rules, now: datetime, booked: Iterable[tuple[datetime, datetime]] = (), count: int = 3
) -> list[Slot]:
    return slots(rules, now, booked)[:count]


# The member's side: the same instants on the member's own clock.


def in_zone(instant: datetime, zone: str) -> datetime:
    """An instant on the wall clock of the named zone (for display; the stored value stays UTC)."""
    if instant.tzinfo is None:
        raise ValueError("instant must be an aware datetime")
    return instant.astimezone(zone_of(zone))


def zone_name(instant: datetime, zone: str) -> str:
    """The zone as shown beside a time: the IANA name and the abbreviation in force then, e.g.
    "Europe/London (BST)"; only the name when the abbreviation is a bare offset such as "+0530"."""
    name = zone_of(zone).key
    abbreviation = in_zone(instant, zone).tzname() or ""
    if not abbreviation or abbreviation[0] in "+-" or abbreviation == name:
        return name
    return f"{name} ({abbreviation})"


def by_local_day(found: Iterable[Slot], zone: str) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by the date they start on in the viewer's zone, in order."""
    groups: dict[date, list[Slot]] = {}
    for slot in sorted(found):
        groups.setdefault(in_zone(slot.starts_at, zone).date(), []).append(slot)
    return list(groups.items())


def parse_start(value: str) -> datetime | None:
    """A slot start from a query string or form (ISO 8601 with an offset, e.g. 2027-03-08T14:00:00Z), as aware
    UTC; None for anything else (never an exception: the value comes from outside)."""
    text = (value or "").strip()[:40]
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def format_start(instant: datetime) -> str:
    """The form a slot start takes in links and forms: UTC, to the second, e.g. 2027-03-08T14:00:00Z."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

"""Schedules someone else asked a member to keep (a clinician's assigned measures), beside the member's own.

Plain Python (no Django). A higher app registers a *source*: a function of member ids giving each member's extra
schedules (``Extra``). Planning (``outbox.py``) asks every source in one call per batch of members and unions
each member's extras with their own schedule (``combined``): the reminders go at the member's own time, outside
their own quiet hours, through their own channels, with the same fixed words; only the instruments and the
interval come from the extra schedule. A source stops returning a schedule when it no longer applies (care
ended), and planning cancels what it no longer wants, as for the member's own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .rules import INSTRUMENT_NAMES, INSTRUMENTS, Due, Plan, Schedule, Send, State, due, plan


@dataclass(frozen=True)
class Extra:
    """Instruments every so many days, asked for by someone, from ``start`` (the asking)."""

    instruments: tuple[str, ...]
    every_days: int
    start: datetime
    asked_by: str
    """Who asked, by the name they go by (shown to the member only)."""
    reason: str = ""
    """Why, in the asker's words (shown to the member only; never in a reminder)."""


def asked_words(extra: Extra) -> str:
    """What the member reads: "Maya Chen asked you to answer the PHQ-9 and the GAD-7 every 14 days"."""
    names = [f"the {INSTRUMENT_NAMES[i]}" for i in INSTRUMENTS if i in extra.instruments]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{extra.asked_by} asked you to answer {listed} every {extra.every_days} days"


Source = Callable[[list[int]], Mapping[int, list[Extra]]]
_SOURCES: list[Source] = []


def register_source(source: Source) -> None:
    """Add a source of extra schedules (once: registering the same function again changes nothing)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def extras_for(member_ids: Iterable[int]) -> dict[int, list[Extra]]:
    """Every registered source's extra schedules for these members."""
    ids = list(member_ids)
    found: dict[int, list[Extra]] = {}
    if not ids:
        return found
    for source in _SOURCES:
        for member_id, extras in source(ids).items():
            found.setdefault(member_id, []).extend(extras)
    return found


def anchors(extra: Extra, last_results: Mapping[str, datetime | None]) -> dict[str, datetime | None]:
    """What each of the extra schedule's instruments counts from: its last scored result, but never earlier
    than one interval before the asking, so it is due on the day it was asked at the latest."""
    floor = extra.start - timedelta(days=extra.every_days)
    return {i: max(last_results.get(i) or floor, floor) for i in extra.instruments}


def standing(
    extra: Extra, last_results: Mapping[str, datetime | None], zone: str, now: datetime
) -> tuple[Due, ...]:
    """Each of the extra schedule's instruments' standing today, in the member's zone."""
    schedule = Schedule(instruments=extra.instruments, every_days=extra.every_days, zone=zone)
    return due(schedule, {i: a or extra.start for i, a in anchors(extra, last_results).items()}, now)


def _pressing(items: list[Due]) -> Due:
    """Of one instrument's standings under several schedules, the one that asks soonest: waiting ones before
    upcoming ones, then the earliest first due date."""
    return min(items, key=lambda d: (d.state is State.UPCOMING, d.since, d.cycle))


def combined(
    own: Schedule,
    extras: Iterable[Extra],
    last_results: Mapping[str, datetime | None],
    joined: datetime,
    now: datetime,
) -> Plan:
    """The member's own plan united with their extra schedules. An extra schedule's instrument falls due
    ``every_days`` after its last scored result, but never before the asking: first on the day it was asked
    (when not answered within the interval before), then every ``every_days``. Sends on the same date share one
    reminder (one outbox row per date and channel, as before)."""
    plans = [plan(own, last_results, joined, now)]
    for extra in extras:
        schedule = replace(own, instruments=extra.instruments, every_days=extra.every_days)
        plans.append(plan(schedule, anchors(extra, last_results), extra.start, now))
    if len(plans) == 1:
        return plans[0]
    by_instrument: dict[str, list[Due]] = {}
    sends: dict[date, tuple[set[str], datetime]] = {}
    for each in plans:
        for item in each.due:
            by_instrument.setdefault(item.instrument, []).append(item)
        for send in each.sends:
            names, at = sends.get(send.due_date, (set(), send.send_at))
            sends[send.due_date] = (names | set(send.instruments), min(at, send.send_at))
    due = tuple(_pressing(by_instrument[i]) for i in INSTRUMENTS if i in by_instrument)
    return Plan(
        due,
        tuple(
            Send(day, tuple(i for i in INSTRUMENTS if i in names), at)
            for day, (names, at) in sorted(sends.items())
        ),
    )

"""A clinician's caseload ranked by need (measurement-based care). Pure Python: no Django, no database, no clock.

Each member arrives as plain facts (``Facts``): their open (unacknowledged) safety alerts, their recent complete
results of each measure when they share results now (``None`` when they do not: nothing about results is shown
or inferred), which assigned measures are overdue, their next visit. The ranking:

1. an unacknowledged safety alert: acute first, then an ASQ non-acute positive, then PHQ-9 item 9 alone (the
   alerts' own order, ``alerts.loop.KIND_RANK``), oldest first within each;
2. reliable deterioration on any measure: the latest complete result against the one before it, judged by the
   instrument library's one function (``instruments.reliable_change``, Jacobson–Truax); never across
   instruments, never for an incomplete result (there are none here: only complete results come in), and no
   verdict for an instrument without reliable-change parameters;
3. an assigned measure overdue;
4. a visit in the coming week, soonest first;
5. everyone else, by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum
from functools import cache
from typing import NamedTuple

from bounceback.alerts.loop import KIND_RANK
from bounceback.instruments import ReliableChange, get, reliable_change
from bounceback.reminders.rules import INSTRUMENT_NAMES, INSTRUMENTS

MEASURES = INSTRUMENTS
"""The measures on the dashboard: those a clinician can assign and the reminders deliver."""
TREND_POINTS = 8
"""How many recent complete results each trend line shows (and the access layer reads)."""
VISIT_WINDOW = timedelta(days=7)

ALERT_WORDS = {
    "acute_suicide_risk": "Acute suicide risk",
    "suicide_risk": "Suicide risk",
    "suicidal_ideation": "PHQ-9 item 9 answered above 0",
}


class Tier(IntEnum):
    ALERT = 0
    DETERIORATING = 1
    OVERDUE = 2
    VISIT = 3
    REST = 4


TIER_WORDS = {
    Tier.ALERT: "Safety alert not yet acknowledged",
    Tier.DETERIORATING: "Reliably worse on a measure",
    Tier.OVERDUE: "A measure you assigned is overdue",
    Tier.VISIT: "Visit in the coming week",
    Tier.REST: "",
}


class Filter:
    ALL = ""
    ALERTS = "alerts"
    DETERIORATING = "deteriorating"
    OVERDUE = "overdue"
    VISITS = "visits"


FILTERS = (Filter.ALERTS, Filter.DETERIORATING, Filter.OVERDUE, Filter.VISITS)
FILTER_WORDS = {
    Filter.ALL: "Everyone",
    Filter.ALERTS: "Open alerts",
    Filter.DETERIORATING: "Reliably worse",
    Filter.OVERDUE: "Overdue measures",
    Filter.VISITS: "Visits this week",
}


class Score(NamedTuple):
    """One complete, scored result (a tuple: a caseload makes thousands)."""

    at: datetime
    total: float
    band: str = ""
    """The band's code as stored ("moderate"), or empty."""


@dataclass(frozen=True)
class OpenAlert:
    kind: str
    raised_at: datetime


@dataclass(frozen=True)
class Facts:
    key: str
    """The member's public id."""
    name: str
    alerts: tuple[OpenAlert, ...] = ()
    results: Mapping[str, Sequence[Score]] | None = None
    """Each measure's recent complete results, oldest first; None when results are not shared now."""
    overdue: tuple[str, ...] = ()
    next_visit: datetime | None = None
    shared: frozenset[str] = frozenset()
    """What the member shares now (``care.Kind`` values)."""


@dataclass(frozen=True)
class Trend:
    instrument: str
    scores: tuple[Score, ...]
    """Oldest first; the last is the latest."""
    change: ReliableChange | None
    """The latest result against the one before it; None with one result or no parameters."""

    @property
    def latest(self) -> Score:
        return self.scores[-1]

    @property
    def name(self) -> str:
        return INSTRUMENT_NAMES.get(self.instrument, self.instrument)

    @property
    def band_label(self) -> str:
        return _band_labels(self.instrument).get(self.latest.band, "")

    @property
    def direction(self) -> str:
        """improved, worsened, no_reliable_change, or "" without a verdict."""
        return self.change.direction if self.change is not None else ""

    @property
    def worsened(self) -> bool:
        return self.direction == "worsened"


@dataclass(frozen=True)
class Row:
    facts: Facts
    tier: Tier
    trends: tuple[Trend, ...] = ()
    visit_soon: bool = False
    worst_alert: OpenAlert | None = None
    order: tuple[object, ...] = field(default=(), compare=False)

    @property
    def deteriorating(self) -> tuple[str, ...]:
        return tuple(t.instrument for t in self.trends if t.worsened)

    @property
    def reason(self) -> str:
        return TIER_WORDS[self.tier]


@cache
def _band_labels(instrument: str) -> dict[str, str]:
    return {band.code: band.label for band in get(instrument).bands}


@cache
def _has_rci(instrument: str) -> bool:
    return get(instrument).rci is not None


def trend_of(instrument: str, scores: Sequence[Score]) -> Trend | None:
    """A measure's trend from its recent complete results (oldest first), or None when there are none."""
    kept = tuple(sorted(scores, key=lambda s: s.at))[-TREND_POINTS:]
    if not kept:
        return None
    change = None
    if len(kept) >= 2 and _has_rci(instrument):
        change = reliable_change(instrument, kept[-2].total, kept[-1].total)
    return Trend(instrument, kept, change)


def _worst(alerts: Iterable[OpenAlert]) -> OpenAlert | None:
    return min(alerts, key=lambda a: (KIND_RANK.get(a.kind, len(KIND_RANK)), a.raised_at), default=None)


def row_of(facts: Facts, now: datetime) -> Row:
    trends = tuple(
        t
        for t in (
            trend_of(i, (facts.results or {}).get(i, ())) for i in MEASURES if facts.results is not None
        )
        if t is not None
    )
    worst = _worst(facts.alerts)
    soon = facts.next_visit is not None and now <= facts.next_visit <= now + VISIT_WINDOW
    name = facts.name.casefold()
    order: tuple[object, ...]
    if worst is not None:
        tier, order = Tier.ALERT, (KIND_RANK.get(worst.kind, len(KIND_RANK)), worst.raised_at, name)
    elif any(t.worsened for t in trends):
        tier, order = Tier.DETERIORATING, (-sum(t.worsened for t in trends), name)
    elif facts.overdue:
        tier, order = Tier.OVERDUE, (-len(facts.overdue), name)
    elif soon:
        assert facts.next_visit is not None
        tier, order = Tier.VISIT, (facts.next_visit, name)
    else:
        tier, order = Tier.REST, (name,)
    return Row(facts, tier, trends, soon, worst, order)


def _kept(row: Row, wanted: str, instrument: str) -> bool:
    if (
        instrument
        and not any(t.instrument == instrument for t in row.trends)
        and instrument not in row.facts.overdue
    ):
        return False
    if wanted == Filter.ALERTS:
        return row.worst_alert is not None
    if wanted == Filter.DETERIORATING:
        return bool(row.deteriorating) and (not instrument or instrument in row.deteriorating)
    if wanted == Filter.OVERDUE:
        return bool(row.facts.overdue) and (not instrument or instrument in row.facts.overdue)
    if wanted == Filter.VISITS:
        return row.visit_soon
    return True


def caseload(
    members: Iterable[Facts], now: datetime, *, only: str = Filter.ALL, instrument: str = ""
) -> list[Row]:
    """The members ranked by need, kept by the filter (``Filter``) and, when given, the measure."""
    if only not in (Filter.ALL, *FILTERS):
        raise ValueError(f"not a filter: {only!r}")
    if instrument and instrument not in MEASURES:
        raise ValueError(f"not a measure: {instrument!r}")
    rows = [row_of(facts, now) for facts in members]
    rows.sort(key=lambda r: (r.tier, r.order))
    return [r for r in rows if _kept(r, only, instrument)]

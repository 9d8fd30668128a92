"""Each questionnaire over time, and which changes are reliable.

Pure Python (no Django). Built from plain records (one stored result of one completed check-up, with when it
completed in the member's own time zone), so the web page, the PDF report and tests share it.

What is charted for a check-up is what its results page shows (``checkups.interpretation.shown_results``): never
the ASQ (answered at the time, not a trend), never a PHQ-9 asked as item 9 alone (it has no total: hazard H20),
and a short screen (PHQ-2, GAD-2) only when its long form was not completed in that check-up. An incomplete
result has no total: it is a gap, never 0 (hazards H02, H20). Each change between consecutive complete results is
judged by the instrument library's Jacobson–Truax function (``instruments.reliable_change``); an instrument
without reliable-change parameters gets no verdict at all (hazard H21).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from functools import cached_property, lru_cache

from bounceback.checkups.change import amount_text
from bounceback.checkups.interpretation import shown_results
from bounceback.instruments import (
    INSTRUMENTS,
    Instrument,
    Method,
    ReliableChange,
    Result,
    get,
    reliable_change,
)

NOT_CHARTED = frozenset({"asq"})
"""Answered and acted on at the time (the crisis flow), never drawn as a trend."""
LONG_FORMS = {"phq2": "phq9", "gad2": "gad7"}


@dataclass(frozen=True)
class Record:
    """One stored result of one completed check-up."""

    checkup: Hashable
    at: datetime
    """When the check-up completed, in the member's own time zone."""
    result: Result


@dataclass(frozen=True)
class Point:
    at: datetime
    result: Result

    @property
    def day(self) -> date:
        return self.at.date()

    @cached_property
    def total(self) -> float | None:
        """The total when the result is complete, else None (never 0)."""
        if not self.result.complete or self.result.total is None:
            return None
        return float(self.result.total)


IMPROVED, WORSENED, NO_RELIABLE_CHANGE, NO_VERDICT = (
    "improved",
    "worsened",
    "no_reliable_change",
    "no_verdict",
)


@dataclass(frozen=True)
class Change:
    """From one complete result to the next complete one."""

    before: Point
    after: Point
    reliable: ReliableChange | None
    """The library's verdict; None when the instrument has no reliable-change parameters."""

    @property
    def points(self) -> float:
        return (self.after.total or 0.0) - (self.before.total or 0.0)

    @property
    def verdict(self) -> str:
        return NO_VERDICT if self.reliable is None else self.reliable.direction


@dataclass(frozen=True)
class Threshold:
    """The Jacobson–Truax threshold of an instrument, and the smallest change its scale can show beyond it."""

    points: float
    smallest: Fraction
    decimals: int

    @property
    def smallest_text(self) -> str:
        return format_points(self.smallest, self.decimals)

    @property
    def text(self) -> str:
        return (
            f"A change of {self.smallest_text} points or more is reliable: more than the "
            f"{self.points:.2f} points that measuring twice can differ by chance (Jacobson–Truax)."
        )


def format_points(value: float | Fraction, decimals: int) -> str:
    """A number of points as the instrument shows its totals (BRS: two decimals)."""
    if decimals:
        return f"{float(value):.{decimals}f}"
    return str(round(value)) if float(value).is_integer() else f"{float(value):.1f}"


def threshold_of(instrument: Instrument) -> Threshold | None:
    """The reliable-change threshold, or None when the instrument has no parameters (no verdict is given)."""
    if instrument.rci is None:
        return None
    step = step_of(instrument)
    limit = Fraction(instrument.rci.threshold)
    smallest = (math.floor(limit / step) + 1) * step  # reliable means strictly more than the threshold
    return Threshold(instrument.rci.threshold, smallest, instrument.decimals)


def step_of(instrument: Instrument) -> Fraction:
    """The smallest difference two totals of this instrument can have (a mean of n items moves by 1/n)."""
    if instrument.method is Method.MEAN:
        return Fraction(1, len(instrument.scored_items))
    return Fraction(1)


@dataclass(frozen=True)
class Series:
    instrument: Instrument
    points: tuple[Point, ...]
    """Chronological: every charted result, complete or not."""
    changes: tuple[Change, ...]
    """Between consecutive complete results."""
    overall: Change | None
    """From the first complete result to the latest (None with fewer than two)."""
    threshold: Threshold | None
    charted_elsewhere: int = 0
    """Check-ups with a result of this instrument that is charted under another (a short screen's long form, or
    a PHQ-9 asked as item 9 alone, charted as PHQ-2)."""

    @cached_property
    def complete(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.total is not None)

    @cached_property
    def incomplete(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.total is None)

    @cached_property
    def _changes_into(self) -> dict[int, Change]:
        return {id(c.after): c for c in self.changes}

    def change_into(self, point: Point) -> Change | None:
        """The change that ends at this point (None for the first complete result and unscored ones)."""
        return self._changes_into.get(id(point))

    @property
    def reliable_improvements(self) -> int:
        return sum(1 for c in self.changes if c.verdict == IMPROVED)

    @property
    def reliable_worsenings(self) -> int:
        return sum(1 for c in self.changes if c.verdict == WORSENED)


def charted(results: dict[str, Result]) -> list[str]:
    """The instruments of one check-up that are charted: those its results page shows, except the ASQ."""
    return [i.instrument.id for i in shown_results(results) if i.instrument.id not in NOT_CHARTED]


def series_of(records: Iterable[Record]) -> list[Series]:
    """Every instrument with at least one charted result, in the library's order."""
    by_checkup: dict[Hashable, tuple[datetime, dict[str, Result]]] = {}
    for record in records:
        at, results = by_checkup.setdefault(record.checkup, (record.at, {}))
        results[record.result.instrument_id] = record.result
    points: dict[str, list[Point]] = {}
    elsewhere: dict[str, int] = {}
    for at, results in sorted(by_checkup.values(), key=lambda entry: entry[0]):
        ordered = {i: results[i] for i in INSTRUMENTS if i in results}
        shown = charted(ordered)
        for instrument_id in ordered:
            if instrument_id in shown:
                points.setdefault(instrument_id, []).append(Point(at, ordered[instrument_id]))
            elif instrument_id not in NOT_CHARTED:
                elsewhere[instrument_id] = elsewhere.get(instrument_id, 0) + 1
    return [
        build_series(get(instrument_id), points[instrument_id], elsewhere.get(instrument_id, 0))
        for instrument_id in INSTRUMENTS
        if instrument_id in points
    ]


def _change(instrument: Instrument, before: Point, after: Point) -> Change:
    verdict = None
    if instrument.rci is not None and before.total is not None and after.total is not None:
        verdict = reliable_change(instrument.id, before.total, after.total)
    return Change(before, after, verdict)


def build_series(instrument: Instrument, points: Iterable[Point], charted_elsewhere: int = 0) -> Series:
    ordered = tuple(sorted(points, key=lambda p: p.at))
    complete = [p for p in ordered if p.total is not None]
    changes = tuple(_change(instrument, a, b) for a, b in itertools.pairwise(complete))
    overall = _change(instrument, complete[0], complete[-1]) if len(complete) >= 2 else None
    return Series(instrument, ordered, changes, overall, threshold_of(instrument), charted_elsewhere)


# --- Words ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def band_label(instrument: Instrument, result: Result) -> str:
    if not result.complete or result.band is None:
        return "Not scored"
    return next(b.label for b in instrument.bands if b.code == result.band)


def score_text(instrument: Instrument, point: Point) -> str:
    if point.total is None:
        return "Not scored"
    return instrument.format_total(point.result.total)


VERDICT_WORDS = {
    IMPROVED: "a reliable improvement",
    WORSENED: "a reliable worsening",
    NO_RELIABLE_CHANGE: "within the range of chance",
    NO_VERDICT: "no reliable-change verdict for this questionnaire",
}


def change_text(instrument: Instrument, change: Change) -> str:
    """E.g. "Down 9 points: a reliable improvement"."""
    points = change.points
    size = amount_text(instrument.id, format_points(abs(points), instrument.decimals))
    moved = "No change" if points == 0 else f"{'Up' if points > 0 else 'Down'} {size}"
    return f"{moved}: {VERDICT_WORDS[change.verdict]}"


@dataclass(frozen=True)
class Row:
    """One line of a chart's data table (the text alternative, also for the PDF)."""

    day: str
    score: str
    band: str
    change: str


def rows_of(series: Series) -> list[Row]:
    instrument = series.instrument
    rows = []
    first = series.complete[0] if series.complete else None
    for point in series.points:
        change = series.change_into(point)
        if point.total is None:
            words = "Not scored: some questions were not answered (never counted as 0)"
        elif change is None:
            words = "First result" if point is first else ""
        else:
            words = change_text(instrument, change)
        rows.append(
            Row(
                long_date(point.day),
                score_text(instrument, point),
                band_label(instrument, point.result),
                words,
            )
        )
    return rows


def where_you_stand(series: Series) -> str:
    """Where the member started, where they are, and whether the whole change is reliable, in one or two lines."""
    instrument = series.instrument
    complete = series.complete
    if not complete:
        return "No complete result yet: every result so far was missing some answers, so none is drawn."
    first, last = complete[0], complete[-1]

    def at(point: Point) -> str:
        return f"{score_text(instrument, point)} ({band_label(instrument, point.result)}) on {long_date(point.day)}"

    if len(complete) == 1:
        return f"One result so far: {at(first)}. Take the check-up again to see how it changes."
    assert series.overall is not None
    return (
        f"First {at(first)}; latest {at(last)}. Overall: {change_text(instrument, series.overall).lower()}."
    )


def description(series: Series) -> str:
    """The chart's description (its <desc>): what is drawn and what stands out, in words."""
    instrument = series.instrument
    complete = series.complete
    parts = [
        f"{instrument.short_title} total at each check-up, on its scale from "
        f"{format_points(instrument.min_total, 0)} to {format_points(instrument.max_total, 0)}, "
        f"with its bands shaded. {where_you_stand(series)}"
    ]
    if series.incomplete:
        n = len(series.incomplete)
        parts.append(
            f"{n} check-up{'s' if n > 1 else ''} without a score {'are' if n > 1 else 'is'} marked by a dashed line."
        )
    if len(complete) >= 2:
        if series.threshold is None:
            parts.append(
                "No reliable-change parameters exist for this questionnaire, so no change is marked."
            )
        else:
            improved, worsened = series.reliable_improvements, series.reliable_worsenings
            total = len(series.changes)
            parts.append(
                f"Of {total} change{'s' if total > 1 else ''} from one check-up to the next, {improved} "
                f"{'was a reliable improvement' if improved == 1 else 'were reliable improvements'} and {worsened} "
                f"{'was a reliable worsening' if worsened == 1 else 'were reliable worsenings'}."
            )
    return " ".join(parts)

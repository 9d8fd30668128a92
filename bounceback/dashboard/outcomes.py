"""A clinic's outcomes per measure, as aggregates only. Pure Python: no Django, no database.

For each measure with both a documented caseness cut-off and reliable-change parameters (PHQ-9 and GAD-7), over
the members with at least two complete results of it, comparing their first and latest complete results:

- **reliable improvement**: the change is a reliable improvement (``instruments.reliable_change``,
  Jacobson–Truax), over every such member;
- **recovery**: the first result at or above the caseness cut-off and the latest below it, over the members
  whose first result was at or above it (recovery means nothing for someone who started below);
- **reliable recovery**: both, over the same members as recovery.

Counts are always shown; a rate over fewer than ``MIN_N`` members is not shown ("too few to show").
Cut-offs (docs/instruments.md, from the shared reference): PHQ-9 ≥ 10 (Kroenke 2001: sensitivity 88%,
specificity 88%), GAD-7 ≥ 10 (Spitzer 2006). NHS Talking Therapies uses GAD-7 ≥ 8 for caseness; we keep the
authors' screening cut-off for both. The BRS, OSSS-3 and SWLS have reliable-change parameters but no caseness
cut-off, so they are not in the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from bounceback.instruments import get, reliable_change

MIN_N = 10


@dataclass(frozen=True)
class Caseness:
    cut_off: float
    source: str


CASENESS = {
    "phq9": Caseness(10, "PHQ-9 10 or more (Kroenke, Spitzer & Williams 2001)"),
    "gad7": Caseness(10, "GAD-7 10 or more (Spitzer, Kroenke, Williams & Löwe 2006)"),
}
MEASURES = tuple(i for i in CASENESS if get(i).rci is not None)


@dataclass(frozen=True)
class Rate:
    count: int
    n: int

    @property
    def shown(self) -> bool:
        return self.n >= MIN_N

    @property
    def percent(self) -> str:
        """The rate as a whole percentage (half away from zero), or "too few to show"."""
        if not self.shown:
            return "too few to show"
        value = Fraction(100 * self.count, self.n)
        return f"{int(value + Fraction(1, 2))}%"


@dataclass(frozen=True)
class Outcome:
    instrument: str
    members: int
    """Members with at least two complete results of this measure."""
    at_caseness: int
    """Of those, how many started at or above the cut-off."""
    improved: Rate
    recovered: Rate
    reliably_recovered: Rate

    @property
    def name(self) -> str:
        return get(self.instrument).short_title

    @property
    def caseness(self) -> Caseness:
        return CASENESS[self.instrument]


@dataclass(frozen=True)
class Course:
    """One member's complete totals of one measure, oldest first (at least the first and the latest)."""

    instrument: str
    totals: Sequence[float]


def outcome(instrument: str, courses: Iterable[Sequence[float]]) -> Outcome:
    """The measure's outcome over each member's course (their complete totals, oldest first)."""
    cut = CASENESS[instrument].cut_off
    members = at_case = improved = recovered = both = 0
    for totals in courses:
        if len(totals) < 2:
            continue
        first, last = totals[0], totals[-1]
        members += 1
        better = reliable_change(instrument, first, last).direction == "improved"
        improved += better
        if first >= cut:
            at_case += 1
            if last < cut:
                recovered += 1
                both += better
    return Outcome(
        instrument, members, at_case, Rate(improved, members), Rate(recovered, at_case), Rate(both, at_case)
    )


def outcomes(courses: Iterable[Course]) -> list[Outcome]:
    """Every measure's outcome (in ``MEASURES`` order), from all members' courses of any measure."""
    by_measure: dict[str, list[Sequence[float]]] = {i: [] for i in MEASURES}
    for course in courses:
        if course.instrument in by_measure:
            by_measure[course.instrument].append(course.totals)
    return [outcome(i, by_measure[i]) for i in MEASURES]

"""The results of a check-up as one value: shared by the results page, and by the PDF, API and dashboard to come.

Pure Python (no Django): built from the raw answers, so it is always what the answers say.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bounceback.instruments import Result, needs_professional_help, safety_flags
from bounceback.instruments.battery import DEFAULT, Battery

from .interpretation import CAVEAT, TALK_TO_SOMEONE, Interpretation, shown_results, summary
from .pages import Scale, scale_for


@dataclass(frozen=True)
class ShownResult:
    interpretation: Interpretation
    scale: Scale | None


@dataclass(frozen=True)
class ResultsSummary:
    results: dict[str, Result]
    """Every administered instrument's result, in battery order (shown or not: the ASQ, an item-9-only PHQ)."""
    shown: list[ShownResult]
    """The results to show, most serious first."""
    headline: str
    professional_help: bool
    safety_flags: frozenset[str]
    finished: bool
    """No required question is left (the check-up is, or is about to be, complete)."""
    caveat: str = CAVEAT
    talk_to_someone: str = TALK_TO_SOMEONE


def summarise(
    answers: Mapping[str, int | None], declined: Collection[str] = (), battery: Battery = DEFAULT
) -> ResultsSummary:
    results = battery.score(answers, declined)
    return ResultsSummary(
        results=results,
        shown=[ShownResult(i, scale_for(i.result)) for i in shown_results(results)],
        headline=summary(results),
        professional_help=needs_professional_help(results),
        safety_flags=safety_flags(results),
        finished=battery.next_step(answers, declined) is None,
    )

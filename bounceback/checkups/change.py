"""What changed since the member's earlier check-ups: each result of this check-up beside the latest earlier
complete result of the same questionnaire, with the instrument library's reliable-change verdict (Jacobson–Truax).

Pure Python (no Django): the results page shows it, and the PDF report and API can share it. Only what the results
page shows is compared (never the ASQ, never a PHQ-9 asked as item 9 alone, a short screen only when its long form
was not completed: hazard H20), and only complete totals of the same instrument version. An instrument without
reliable-change parameters gets the change in points and no verdict (hazard H21).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from bounceback.instruments import Instrument, ReliableChange, Result, get, reliable_change

from .interpretation import shown_results

NOT_COMPARED = frozenset({"asq"})
UNITS = {"evs": ("minute", "minutes")}
"""Totals counted in something other than points (the Exercise Vital Sign: minutes a week)."""


def amount_text(instrument_id: str, size: str) -> str:
    """E.g. "1 point", "9 points", "10 minutes"."""
    one, many = UNITS.get(instrument_id, ("point", "points"))
    return f"{size} {one if size == '1' else many}"


@dataclass(frozen=True)
class Earlier:
    """A complete result of an earlier check-up, and when that check-up completed."""

    at: datetime
    result: Result


@dataclass(frozen=True)
class Compared:
    instrument: Instrument
    before: Result
    before_at: datetime
    after: Result
    reliable: ReliableChange | None
    """None when the instrument has no reliable-change parameters."""

    @property
    def points(self) -> float:
        return float(self.after.total or 0) - float(self.before.total or 0)

    @property
    def before_text(self) -> str:
        return self.instrument.format_total(self.before.total)

    @property
    def after_text(self) -> str:
        return self.instrument.format_total(self.after.total)

    @property
    def direction(self) -> str:
        """ "improved", "worsened", "no_reliable_change", or "no_verdict" (no parameters)."""
        return "no_verdict" if self.reliable is None else self.reliable.direction

    @property
    def text(self) -> str:
        """E.g. "Down 9 points: a reliable improvement"."""
        decimals = self.instrument.decimals
        size = abs(self.points)
        amount = amount_text(self.instrument.id, f"{size:.{decimals}f}" if decimals else f"{size:g}")
        moved = "No change" if self.points == 0 else f"{'Up' if self.points > 0 else 'Down'} {amount}"
        verdict = {
            "improved": "a reliable improvement",
            "worsened": "a reliable worsening",
            "no_reliable_change": "within the range of chance",
            "no_verdict": "no reliable-change verdict for this questionnaire",
        }[self.direction]
        return f"{moved}: {verdict}"

    @property
    def threshold_text(self) -> str:
        if self.reliable is None:
            return ""
        decimals = self.instrument.decimals or 1
        return f"more than {self.reliable.threshold:.{decimals}f} points"


def compare_with_earlier(current: Mapping[str, Result], earlier: Iterable[Earlier]) -> list[Compared]:
    """Each complete result this check-up's results page shows, beside the latest earlier complete result of the
    same instrument and version, in the battery's order. ``earlier`` may come in any order."""
    latest: dict[tuple[str, int], Earlier] = {}
    for item in earlier:
        if not item.result.complete or item.result.total is None:
            continue
        key = (item.result.instrument_id, item.result.version)
        if key not in latest or item.at > latest[key].at:
            latest[key] = item
    shown = {i.instrument.id for i in shown_results(current)} - NOT_COMPARED
    compared = []
    for instrument_id, result in current.items():
        if instrument_id not in shown or not result.complete or result.total is None:
            continue
        before = latest.get((instrument_id, result.version))
        if before is None:
            continue
        instrument = get(instrument_id)
        verdict = None
        if instrument.rci is not None:
            verdict = reliable_change(instrument_id, float(before.result.total or 0), float(result.total))
        compared.append(Compared(instrument, before.result, before.at, result, verdict))
    return compared

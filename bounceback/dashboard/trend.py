"""A measure's small trend line for a caseload row, as SVG drawn on the server. Pure Python (no Django).

The same conventions as the progress charts (``progress.charts``): ``role="img"`` named by its ``<title>``,
which gives the values in words; presentation attributes only (the strict CSP holds); the latest result marked
by shape (a diamond for a reliable improvement, a triangle for a reliable worsening, else a circle) and never by
colour alone; the row beside it says the same in words.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from html import escape

from bounceback.instruments import get
from bounceback.progress.charts import AXIS, INK, LINE, marker
from bounceback.progress.series import format_points

from .caseload import Trend

WIDTH = 160
HEIGHT = 48
PAD = 10

CHANGE_WORDS = {
    "improved": "reliably better than the result before",
    "worsened": "reliably worse than the result before",
    "no_reliable_change": "no reliable change from the result before",
}


def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


@cache
def scale(instrument_id: str) -> tuple[float, float, int]:
    """The instrument's lowest and highest totals, and the decimals its totals are shown with."""
    instrument = get(instrument_id)
    return float(instrument.min_total), float(instrument.max_total), instrument.decimals


def points_text(trend: Trend) -> str:
    decimals = scale(trend.instrument)[2]
    return ", ".join(format_points(s.total, decimals) for s in trend.scores)


def description(trend: Trend) -> str:
    """The chart's values in words: its text alternative."""
    count = len(trend.scores)
    first, last = trend.scores[0].at, trend.latest.at
    span = f"from {_day(first)} to {_day(last)}" if count > 1 else f"on {_day(last)}"
    words = f"{trend.name}, {'the last ' + str(count) + ' results' if count > 1 else 'one result'} {span}: "
    words += points_text(trend)
    if trend.direction:
        words += f"; the latest is {CHANGE_WORDS[trend.direction]}"
    return words + "."


def sparkline(trend: Trend, chart_id: str) -> str:
    low, high, _decimals = scale(trend.instrument)
    count = len(trend.scores)

    def x(n: int) -> float:
        return WIDTH / 2 if count == 1 else PAD + n * (WIDTH - 2 * PAD) / (count - 1)

    def y(total: float) -> float:
        share = (total - low) / (high - low) if high > low else 0.5
        return HEIGHT - PAD - share * (HEIGHT - 2 * PAD)

    coords = [(x(n), y(s.total)) for n, s in enumerate(trend.scores)]
    cid = escape(chart_id, quote=True)
    body = [
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="{AXIS}" '
        'stroke-width="1"/>'
    ]
    if count > 1:
        line = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
        body.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for cx, cy in coords[:-1]:
        body.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2.5" fill="{INK}"/>')
    body.append(marker(trend.direction, *coords[-1]))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" class="sparkline" role="img" aria-labelledby="{cid}-title" focusable="false">'
        f'<title id="{cid}-title">{escape(description(trend))}</title>{"".join(body)}</svg>'
    )

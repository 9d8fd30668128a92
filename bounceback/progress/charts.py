"""Charts as SVG markup, drawn on the server: a questionnaire over time with its bands, day-by-day lines and
week-by-week bars for the daily check-ins.

Pure Python (no Django, nothing about the web): the page and the PDF report embed the same markup. Every chart is
an ``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>`` (``aria-labelledby`` and
``aria-describedby``); the numbers are in a data table beside it, which the caller renders. Colours are
presentation attributes (no style attribute, no script, nothing fetched), so a chart looks the same anywhere and
passes a strict content security policy; class names let a stylesheet adjust it. The viewBox scales the chart to
its container's width, so it fits a 360-px phone without scrolling sideways.

Colour is never the only signal: a reliable improvement is a diamond, a reliable worsening a triangle, any other
result a circle, and an unscored check-up a dashed line with no point (never a 0).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from html import escape

from bounceback.instruments import Band, Instrument

from .series import IMPROVED, WORSENED, Series, step_of

WIDTH = 360
HEIGHT = 250
FONT = 14
SMALL = 12

INK = "#17232e"
MUTED = "#4a5664"
LINE = "#8a9aa3"
AXIS = "#cbd8dc"
IMPROVED_FILL = "#1d6b2e"
WORSENED_FILL = "#a3001b"
BAR = "#0b5c6b"
HALO = "#ffffff"

BAND_TINTS = ("#e2f1e8", "#edf4e2", "#f6f3df", "#fbeddc", "#fae4dc", "#f8dcdc", "#f4d2d8")
"""Band shades from the best band to the worst: all light, so the ink, labels and markers keep their contrast."""


def _n(value: float) -> str:
    """A coordinate, short."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = FONT,
    anchor: str = "start",
    fill: str = MUTED,
    cls: str = "chart-label",
    halo: bool = False,
    weight: str = "",
) -> str:
    extra = f' stroke="{HALO}" stroke-width="3" paint-order="stroke"' if halo else ""
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"{extra}{bold} '
        f'class="{cls}">{escape(content)}</text>'
    )


def _svg(chart_id: str, title: str, desc: str, body: Sequence[str], cls: str, height: int = HEIGHT) -> str:
    cid = escape(chart_id, quote=True)
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="chart {cls}" '
            f'role="img" aria-labelledby="{cid}-title" aria-describedby="{cid}-desc" '
            f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" preserveAspectRatio="xMidYMid meet">',
            f'<title id="{cid}-title">{escape(title)}</title>',
            f'<desc id="{cid}-desc">{escape(desc)}</desc>',
            *body,
            "</svg>",
        ]
    )


@dataclass(frozen=True)
class Frame:
    """The plotting area and the values it shows."""

    left: float
    right: float
    top: float
    bottom: float
    y_low: float
    y_high: float
    x_low: float
    x_high: float

    def x(self, value: float) -> float:
        if self.x_high == self.x_low:
            return (self.left + self.right) / 2
        return self.left + (value - self.x_low) / (self.x_high - self.x_low) * (self.right - self.left)

    def y(self, value: float) -> float:
        share = (value - self.y_low) / (self.y_high - self.y_low)
        return self.bottom - share * (self.bottom - self.top)


def _tick_text(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _spaced(
    ticks: Sequence[tuple[float, str]], frame: Frame, gap: float = FONT + 1
) -> list[tuple[float, str]]:
    """Keep ticks at least ``gap`` apart on screen: the highest always, then downwards."""
    kept: list[tuple[float, str]] = []
    for value, label in sorted(ticks, key=lambda t: -t[0]):
        if all(abs(frame.y(value) - frame.y(k)) >= gap for k, _ in kept):
            kept.append((value, label))
    return kept


def _y_axis(frame: Frame, ticks: Sequence[tuple[float, str]]) -> list[str]:
    out = []
    for value, label in _spaced(ticks, frame):
        y = frame.y(value)
        out.append(
            f'<line x1="{_n(frame.left - 4)}" y1="{_n(y)}" x2="{_n(frame.left)}" y2="{_n(y)}" stroke="{LINE}" '
            'stroke-width="1" class="chart-tick"/>'
        )
        out.append(_text(frame.left - 6, y + FONT * 0.35, label, anchor="end"))
    return out


def _date_label(day: date, long_span: bool) -> str:
    return f"{day:%b %Y}" if long_span else f"{day.day} {day:%b}"


def _x_dates(frame: Frame, first: datetime, last: datetime, count: int = 4) -> list[str]:
    """Date labels under the plot: the first and last dates and evenly spaced ones between."""
    span = last - first
    long_span = span > timedelta(days=300)
    if span < timedelta(days=1):
        count = 1
    elif span < timedelta(days=21):
        count = 2
    out = [
        f'<line x1="{_n(frame.left)}" y1="{_n(frame.bottom)}" x2="{_n(frame.right)}" y2="{_n(frame.bottom)}" '
        f'stroke="{AXIS}" stroke-width="1" class="chart-axis"/>'
    ]
    for n in range(count):
        at = first + span * (n / (count - 1)) if count > 1 else first
        x = frame.x(at.timestamp())
        anchor = "middle" if count == 1 else ("start" if n == 0 else "end" if n == count - 1 else "middle")
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(frame.bottom)}" x2="{_n(x)}" y2="{_n(frame.bottom + 4)}" '
            f'stroke="{LINE}" stroke-width="1" class="chart-tick"/>'
        )
        out.append(_text(x, frame.bottom + 4 + FONT, _date_label(at.date(), long_span), anchor=anchor))
    return out


# --- Markers ----------------------------------------------------------------------------------------------


def marker(kind: str, x: float, y: float, tooltip: str = "") -> str:
    """A result's mark: a diamond for a reliable improvement, a triangle for a reliable worsening, else a circle."""
    title = f"<title>{escape(tooltip)}</title>" if tooltip else ""
    if kind == IMPROVED:
        points = f"{_n(x)},{_n(y - 8)} {_n(x + 8)},{_n(y)} {_n(x)},{_n(y + 8)} {_n(x - 8)},{_n(y)}"
        return (
            f'<polygon points="{points}" fill="{IMPROVED_FILL}" stroke="{HALO}" stroke-width="1.5" '
            f'class="mark mark-improved">{title}</polygon>'
        )
    if kind == WORSENED:
        points = f"{_n(x)},{_n(y - 8)} {_n(x + 8)},{_n(y + 6)} {_n(x - 8)},{_n(y + 6)}"
        return (
            f'<polygon points="{points}" fill="{WORSENED_FILL}" stroke="{HALO}" stroke-width="1.5" '
            f'class="mark mark-worsened">{title}</polygon>'
        )
    return (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5" fill="{INK}" stroke="{HALO}" stroke-width="1.5" '
        f'class="mark mark-result">{title}</circle>'
    )


def legend_icon(kind: str) -> str:
    """A small decorative copy of a mark for the legend beside a chart (hidden from screen readers: the legend's
    words carry the meaning)."""
    inner = (
        f'<line x1="2" y1="10" x2="18" y2="10" stroke="{MUTED}" stroke-width="2" stroke-dasharray="3 3"/>'
        if kind == "unscored"
        else marker(kind, 10, 10)
    )
    return f'<svg viewBox="0 0 20 20" width="20" height="20" class="legend-icon" aria-hidden="true" focusable="false">{inner}</svg>'


# --- A questionnaire over time ---------------------------------------------------------------------------


def attainable(instrument: Instrument, band: Band) -> tuple[Fraction, Fraction]:
    """The lowest and highest totals a band can hold, on the instrument's grid of totals (whole numbers, or
    sixths for the BRS mean): 5 to 9 for PHQ-9 "mild"; 3.00 to 4.17 for BRS "normal" (3.00 ≤ mean ≤ 4.30)."""
    step = step_of(instrument)
    low = math.ceil(band.lower / step) * step
    if band.lower_open and low == band.lower:
        low += step
    high = math.floor(band.upper / step) * step
    if band.upper_open and high == band.upper:
        high -= step
    return low, high


@dataclass(frozen=True)
class BandSpan:
    bottom: Fraction
    top: Fraction
    lowest: Fraction
    """The lowest total the band holds (its tick)."""
    label: str
    rank: int
    """0 for the best band."""


def band_spans(instrument: Instrument, y_high: Fraction) -> list[BandSpan]:
    """Each band drawn from half a step below its lowest total to half a step above its highest (PHQ-9 "mild",
    5 to 9, from 4.5 to 9.5), so every possible total sits inside its own band and never on an edge."""
    half = step_of(instrument) / 2
    bands = [b for b in instrument.bands if attainable(instrument, b)[0] <= y_high]
    count = len(bands)
    spans = []
    for n, band in enumerate(bands):
        low, high = attainable(instrument, band)
        rank = n if not instrument.higher_is_better else count - 1 - n
        spans.append(BandSpan(low - half, min(high, y_high) + half, low, band.label, rank))
    return spans


def _tint(rank: int, count: int) -> str:
    if count == 1:
        return BAND_TINTS[0]
    return BAND_TINTS[round(rank * (len(BAND_TINTS) - 1) / (count - 1))]


def shown_maximum(series: Series) -> Fraction:
    """The top of the chart: the scale's maximum, except the Exercise Vital Sign (up to 10,080 minutes a week),
    drawn to 300 or the member's highest total rounded up to 50, so ordinary weeks are not flattened."""
    instrument = series.instrument
    if instrument.id == "evs":
        highest = max((p.total or 0.0 for p in series.points), default=0.0)
        return max(Fraction(300), Fraction(math.ceil(highest / 50) * 50))
    return instrument.max_total


Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def instrument_chart(series: Series, chart_id: str, title: str, desc: str) -> str:
    """The questionnaire's totals over time, its bands shaded and labelled, each reliable change marked.

    Band names are written inside their band where they fit without touching a result or its value; the page
    lists every band beside the chart in any case.
    """
    instrument = series.instrument
    y_high = shown_maximum(series)
    half = step_of(instrument) / 2
    left, right, top, bottom = 36.0, WIDTH - 6.0, 8.0, HEIGHT - 26.0
    stamp = {id(p): p.at.timestamp() for p in series.points}
    times = list(stamp.values())
    lo, hi = (min(times), max(times)) if times else (0.0, 1.0)
    if hi > lo:
        pad = 18.0
        per = (hi - lo) / (right - left - 2 * pad)
        lo, hi = lo - pad * per, hi + pad * per
    frame = Frame(left, right, top, bottom, float(instrument.min_total - half), float(y_high + half), lo, hi)

    complete = series.complete
    coords = [(frame.x(stamp[id(p)]), frame.y(p.total or 0.0)) for p in complete]
    labelled = len(complete) <= 8
    taken: list[Box] = []
    marks: list[str] = []
    for n, (point, (x, y)) in enumerate(zip(complete, coords, strict=True)):
        change = series.change_into(point)
        value = instrument.format_total(point.result.total)
        marks.append(
            marker(change.verdict if change else "", x, y, f"{value} on {point.day.day} {point.day:%B %Y}")
        )
        taken.append((x - 9, y - 9, x + 9, y + 9))
        if labelled or n in (0, len(complete) - 1):
            above = y - 11 - SMALL >= top
            base = y - 11 if above else y + 11 + SMALL
            marks.append(
                _text(
                    x,
                    base,
                    value,
                    size=SMALL,
                    anchor="middle",
                    fill=INK,
                    cls="value-label",
                    halo=True,
                    weight="600",
                )
            )
            width = len(value) * SMALL * 0.62
            taken.append((x - width / 2 - 2, base - SMALL, x + width / 2 + 2, base + 3))
    for a, b in itertools.pairwise(coords):  # the line between results: sampled for the label check
        steps = max(1, min(8, round(abs(b[0] - a[0]) / 6 + abs(b[1] - a[1]) / 6)))
        for k in range(1, steps):
            x, y = a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps
            taken.append((x - 3, y - 3, x + 3, y + 3))

    body: list[str] = []
    spans = band_spans(instrument, y_high)
    for span in spans:
        y_top, y_bottom = frame.y(float(span.top)), frame.y(float(span.bottom))
        body.append(
            f'<rect x="{_n(left)}" y="{_n(y_top)}" width="{_n(right - left)}" height="{_n(y_bottom - y_top)}" '
            f'fill="{_tint(span.rank, len(spans))}" class="band band-{span.rank}"><title>{escape(span.label)}'
            "</title></rect>"
        )
    for span in spans:
        y_top, y_bottom = frame.y(float(span.top)), frame.y(float(span.bottom))
        if y_bottom - y_top < SMALL + 4:
            continue
        width = len(span.label) * SMALL * 0.56
        spots = [
            (x, base) for base in (y_top + SMALL + 2, y_bottom - 4) for x in (left + 5, right - 5 - width)
        ]
        near = [t for t in taken if t[1] < y_bottom and t[3] > y_top]  # only what lies within this band
        for x, base in spots:
            box = (x - 2, base - SMALL, x + width + 2, base + 3)
            if not any(_overlaps(box, t) for t in near):
                body.append(_text(x, base, span.label, size=SMALL, cls="band-label"))
                break
    ticks = [(float(s.lowest), _tick_text(float(s.lowest))) for s in spans]
    ticks.append((float(y_high), _tick_text(float(y_high))))
    body += _y_axis(frame, ticks)
    if series.points:
        body += _x_dates(frame, series.points[0].at, series.points[-1].at)
    for point in series.incomplete:
        x = frame.x(stamp[id(point)])
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" stroke="{MUTED}" stroke-width="1.5" '
            f'stroke-dasharray="4 4" class="unscored"><title>Not scored on {point.day.day} {point.day:%B %Y}'
            "</title></line>"
        )
    if len(coords) > 1:
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
        body.append(f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="2" class="trend"/>')
    body += marks
    return _svg(chart_id, title, desc, body, "chart-instrument")


# --- Daily check-ins -------------------------------------------------------------------------------------


DAY_LINE = "#5b8794"
"""The day-by-day line: lighter than the weekly average drawn over it (and thinner, so colour is not the only
difference), still 3.9:1 against white."""


def day_line_chart(
    chart_id: str,
    title: str,
    desc: str,
    days: Sequence[tuple[date, float | None]],
    *,
    y_high: float,
    ticks: Sequence[float],
    weekly: Sequence[tuple[date, float]] = (),
) -> str:
    """Values day by day: a thin line joins consecutive days only, so a day without a check-in is a gap (nothing is
    filled in, and a missed day is never drawn as 0). ``weekly`` (each week's middle day and its average) is drawn
    over it as a thick line with square marks, named in a key above the plot."""
    left, right, bottom = 34.0, WIDTH - 6.0, HEIGHT - 26.0
    top = 30.0 if weekly else 10.0
    if not days:
        return _svg(chart_id, title, desc, [], "chart-days")
    first, last = days[0][0], days[-1][0]
    frame = Frame(left, right, top, bottom, 0.0, y_high, first.toordinal() - 0.5, last.toordinal() + 0.5)
    body = [
        f'<line x1="{_n(left)}" y1="{_n(frame.y(t))}" x2="{_n(right)}" y2="{_n(frame.y(t))}" stroke="{AXIS}" '
        'stroke-width="1" class="chart-grid"/>'
        for t in ticks
    ]
    body += _y_axis(frame, [(t, _tick_text(t)) for t in ticks])
    body += _x_day_labels(frame, [d for d, _ in days])
    runs: list[list[tuple[float, float]]] = []
    previous: date | None = None
    for day, value in days:
        if value is None:
            previous = None
            continue
        xy = (frame.x(day.toordinal()), frame.y(value))
        if previous is not None and (day - previous).days == 1:
            runs[-1].append(xy)
        else:
            runs.append([xy])
        previous = day
    for run in runs:
        if len(run) > 1:
            path = " ".join(f"{_n(x)},{_n(y)}" for x, y in run)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{DAY_LINE}" stroke-width="1.25" class="trend-day"/>'
            )
    for run in runs:
        for x, y in run:
            body.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="2" fill="{DAY_LINE}" class="mark mark-day"/>')
    if weekly:
        coords = [(frame.x(day.toordinal()), frame.y(value)) for day, value in weekly]
        if len(coords) > 1:
            path = " ".join(f"{_n(x)},{_n(y)}" for x, y in coords)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="3" class="trend"/>'
            )
        for x, y in coords:
            body.append(
                f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" fill="{INK}" stroke="{HALO}" '
                'stroke-width="1" class="mark mark-week"/>'
            )
        body.append(
            f'<line x1="{_n(left)}" y1="12" x2="{_n(left + 20)}" y2="12" stroke="{DAY_LINE}" stroke-width="1.25"/>'
        )
        body.append(_text(left + 25, 12 + SMALL * 0.35, "each day", size=SMALL, fill=INK, cls="key-label"))
        key = left + 100
        body.append(
            f'<line x1="{_n(key)}" y1="12" x2="{_n(key + 20)}" y2="12" stroke="{INK}" stroke-width="3"/>'
        )
        body.append(
            f'<rect x="{_n(key + 6)}" y="8" width="8" height="8" fill="{INK}" stroke="{HALO}" stroke-width="1"/>'
        )
        body.append(
            _text(key + 25, 12 + SMALL * 0.35, "the week's average", size=SMALL, fill=INK, cls="key-label")
        )
    return _svg(chart_id, title, desc, body, "chart-days")


def _x_day_labels(frame: Frame, days: Sequence[date]) -> list[str]:
    out = [
        f'<line x1="{_n(frame.left)}" y1="{_n(frame.bottom)}" x2="{_n(frame.right)}" y2="{_n(frame.bottom)}" '
        f'stroke="{AXIS}" stroke-width="1" class="chart-axis"/>'
    ]
    first, last = days[0], days[-1]
    count = 4 if (last - first).days >= 21 else 2 if last > first else 1
    for n in range(count):
        day = first + timedelta(days=round((last - first).days * n / (count - 1))) if count > 1 else first
        x = frame.x(day.toordinal())
        anchor = "middle" if count == 1 else ("start" if n == 0 else "end" if n == count - 1 else "middle")
        out.append(_text(x, frame.bottom + 4 + FONT, _date_label(day, False), anchor=anchor))
    return out


@dataclass(frozen=True)
class Bar:
    label: str
    """Under the bar (shown for some bars only, when they fit)."""
    value: float | None
    """None: nothing to show that week (no check-in answered the question): no bar, never a 0."""
    shown: str
    """The value as text above the bar."""


def week_bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    *,
    y_high: float,
    ticks: Sequence[float],
    reference: tuple[float, str] | None = None,
) -> str:
    """One bar per week, each labelled with its value; an optional dashed reference line (150 minutes a week),
    named in a key above the plot rather than over the bars."""
    left, right, bottom = 34.0, WIDTH - 6.0, HEIGHT - 26.0
    top = 30.0 if reference is not None else 14.0
    frame = Frame(left, right, top, bottom, 0.0, y_high, 0, max(len(bars), 1))
    slot = (right - left) / max(len(bars), 1)
    body = [
        f'<line x1="{_n(left)}" y1="{_n(frame.y(t))}" x2="{_n(right)}" y2="{_n(frame.y(t))}" stroke="{AXIS}" '
        'stroke-width="1" class="chart-grid"/>'
        for t in ticks
    ]
    body += _y_axis(frame, [(t, _tick_text(t)) for t in ticks])
    last = len(bars) - 1

    def width_of(label: str) -> float:
        return len(label) * FONT * 0.58

    last_left = right - width_of(bars[-1].label) if bars else right
    next_free = left
    for n, bar in enumerate(bars):
        centre = left + slot * (n + 0.5)
        if bar.value is not None and bar.value > 0:
            y = frame.y(min(bar.value, y_high))
            width = slot * 0.66
            body.append(
                f'<rect x="{_n(centre - width / 2)}" y="{_n(y)}" width="{_n(width)}" height="{_n(bottom - y)}" '
                f'fill="{BAR}" class="bar"><title>{escape(bar.label)}: {escape(bar.shown)}</title></rect>'
            )
        if bar.value is not None and slot >= 20:
            y = frame.y(min(bar.value, y_high))
            body.append(
                _text(
                    centre, y - 4, bar.shown, size=11, anchor="middle", fill=INK, cls="value-label", halo=True
                )
            )
        if n == last:
            body.append(_text(right, bottom + 4 + FONT, bar.label, anchor="end"))
            continue
        start = left if n == 0 else centre - width_of(bar.label) / 2
        end = start + width_of(bar.label)
        if start >= next_free and end <= last_left - 8:
            body.append(_text(start, bottom + 4 + FONT, bar.label))
            next_free = end + 14
    body.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" stroke="{LINE}" '
        'stroke-width="1" class="chart-axis"/>'
    )
    if reference is not None:
        value, label = reference
        y = frame.y(value)
        dashed = f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 4" class="reference"'
        body.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" {dashed}/>')
        body.append(f'<line x1="{_n(left)}" y1="10" x2="{_n(left + 26)}" y2="10" {dashed}/>')
        body.append(_text(left + 32, 10 + SMALL * 0.35, label, size=SMALL, fill=INK, cls="reference-label"))
    return _svg(chart_id, title, desc, body, "chart-weeks")

"""The SVG charts: accessible names, nothing a strict CSP or a PDF would refuse, every total inside its own band,
shapes as well as colours, gaps never drawn as 0. No database."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from bounceback.instruments import INSTRUMENTS, Result, get, score
from bounceback.progress import charts
from bounceback.progress.series import Point, build_series, step_of

from .test_series import phq9, points

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own markup, parsed to check it is well formed


def chart_of(totals: list[int | None], instrument_id: str = "phq9") -> str:
    results: list[Result] = [
        phq9(t) if t is not None else score("phq9", {"phq9_1": 2, "phq9_2": 2}) for t in totals
    ]
    series = build_series(get(instrument_id), points(results))
    return charts.instrument_chart(series, "chart-phq9", "PHQ-9 <over> time", "A description & more")


def test_it_is_an_image_named_by_its_title_and_described_by_its_desc() -> None:
    svg = parse(chart_of([16, 10, 7]))
    assert svg.get("role") == "img"
    assert svg.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    assert svg.get("width") is None and svg.get("height") is None  # the viewBox scales it to its container
    title, desc = svg.find("svg:title", NS), svg.find("svg:desc", NS)
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == title.get("id") == "chart-phq9-title"
    assert svg.get("aria-describedby") == desc.get("id") == "chart-phq9-desc"
    assert (
        title.text == "PHQ-9 <over> time" and desc.text == "A description & more"
    )  # escaped, then read back


def test_it_has_nothing_a_strict_csp_or_a_pdf_would_refuse() -> None:
    markup = chart_of([16, None, 10, 7])
    assert "style=" not in markup and "<style" not in markup
    assert "<script" not in markup
    attributes = {name for el in parse(markup).iter() for name in el.attrib}
    assert not [a for a in attributes if a.lower().startswith("on") or a == "style"], attributes
    assert "href" not in markup
    assert re.findall(r"https?://[^\"]+", markup) == ["http://www.w3.org/2000/svg"]


def test_a_reliable_change_is_a_shape_not_only_a_colour() -> None:
    svg = parse(chart_of([16, 10, 12, 19]))  # 16 -> 10 improved, 10 -> 12 not reliable, 12 -> 19 worsened
    marks = [el for el in svg.iter() if "mark" in (el.get("class") or "").split()]
    kinds = [(el.tag.split("}")[1], el.get("class")) for el in marks]
    assert kinds == [
        ("circle", "mark mark-result"),
        ("polygon", "mark mark-improved"),
        ("circle", "mark mark-result"),
        ("polygon", "mark mark-worsened"),
    ]
    diamond, triangle = (el.get("points", "").split() for el in marks if el.tag.endswith("polygon"))
    assert (len(diamond), len(triangle)) == (4, 3)


def test_an_unscored_check_up_is_a_dashed_line_never_a_point_at_zero() -> None:
    svg = parse(chart_of([16, None, 7]))
    marks = [el for el in svg.iter() if "mark" in (el.get("class") or "").split()]
    assert len(marks) == 2
    unscored = [el for el in svg.iter() if el.get("class") == "unscored"]
    assert len(unscored) == 1 and unscored[0].get("stroke-dasharray")
    bottom = charts.HEIGHT - 26.0
    zero_y = bottom - 0.5 / 28 * (bottom - 8.0)  # where a 0 would sit on the PHQ-9's 0-27 scale
    assert all(abs(centre_y(m) - zero_y) > 10 for m in marks)


def centre_y(mark: ET.Element) -> float:
    if mark.get("cy") is not None:
        return float(mark.get("cy") or 0)
    ys = [float(p.split(",")[1]) for p in (mark.get("points") or "").split()]
    return (min(ys) + max(ys)) / 2


@pytest.mark.parametrize("instrument_id", [i for i in INSTRUMENTS if i != "asq"])
def test_every_possible_total_sits_inside_its_own_band(instrument_id: str) -> None:
    instrument = get(instrument_id)
    series = build_series(instrument, [])
    top = charts.shown_maximum(series)
    spans = charts.band_spans(instrument, top)
    step = step_of(instrument)
    total = instrument.min_total
    while total <= top:
        inside = [s for s in spans if s.bottom < total < s.top]
        assert len(inside) == 1, (instrument_id, total)
        assert inside[0].label == instrument.band_for(total).label, (instrument_id, total)
        total += step
    for lower, upper in itertools.pairwise(spans):
        assert lower.top == upper.bottom  # bands tile the chart with no gap and no overlap


def test_bands_are_labelled_and_the_brs_is_drawn_on_its_own_grid() -> None:
    spans = charts.band_spans(get("brs"), Fraction(5))
    assert [(s.label, s.lowest) for s in spans] == [
        ("Low resilience", Fraction(1)),
        ("Normal resilience", Fraction(3)),
        ("High resilience", Fraction(13, 3)),  # above 4.30: the first mean above it is 26/6
    ]
    assert [s.rank for s in spans] == [2, 1, 0]  # higher is better: the low band is the worst
    markup = chart_of([16, 7])
    assert markup.count('class="band band-') == 5
    assert (
        "<title>Moderately severe</title>" in markup
    )  # each band names itself, whether or not its label fits


def test_the_exercise_vital_sign_scale_grows_with_the_members_totals() -> None:
    low = build_series(get("evs"), points([score("evs", {"evs_days": 2, "evs_minutes": 30})]))
    high = build_series(get("evs"), points([score("evs", {"evs_days": 7, "evs_minutes": 90})]))
    assert charts.shown_maximum(low) == 300
    assert charts.shown_maximum(high) == 650


DAY0 = date(2026, 5, 4)


def test_a_day_without_an_answer_breaks_the_line() -> None:
    values: list[float | None] = [5, 6, None, 7, 7, 8, None, None, 4]
    days = [(DAY0 + timedelta(days=n), v) for n, v in enumerate(values)]
    svg = parse(charts.day_line_chart("chart-mood", "Mood", "Mood by day", days, y_high=10, ticks=(0, 5, 10)))
    lines = [el for el in svg.iter() if el.get("class") == "trend-day"]
    assert [len(el.get("points", "").split()) for el in lines] == [2, 3]  # the lone 4 is a dot, no line
    dots = [el for el in svg.iter() if el.get("class") == "mark mark-day"]
    assert len(dots) == 6


def test_weekly_bars_leave_out_weeks_without_an_answer_and_draw_a_reference_line() -> None:
    bars = [
        charts.Bar("4 May", 200, "200"),
        charts.Bar("11 May", None, "—"),
        charts.Bar("18 May", 0, "0"),
        charts.Bar("This week", 60, "60"),
    ]
    markup = charts.week_bar_chart(
        "chart-exercise",
        "Exercise",
        "Minutes",
        bars,
        y_high=300,
        ticks=(0, 150, 300),
        reference=(150, "150 a week"),
    )
    svg = parse(markup)
    rects = [el for el in svg.iter() if el.get("class") == "bar"]
    assert len(rects) == 2  # 0 has its label and no bar; a week with no answer has neither
    labels = [el.text for el in svg.iter() if el.get("class") == "value-label"]
    assert labels == ["200", "0", "60"]
    assert len([el for el in svg.iter() if el.get("class") == "reference"]) == 2  # the line and its key
    assert "150 a week" in markup


def test_legend_icons_are_hidden_from_screen_readers() -> None:
    for kind in ("", "improved", "worsened", "unscored"):
        icon = parse(charts.legend_icon(kind))
        assert icon.get("aria-hidden") == "true" and icon.get("focusable") == "false"


def test_a_chart_with_one_result_still_draws() -> None:
    svg = parse(chart_of([12]))
    assert len([el for el in svg.iter() if "mark" in (el.get("class") or "")]) == 1
    point = Point(datetime(2026, 1, 1, tzinfo=UTC), phq9(3))
    assert build_series(get("phq9"), [point]).overall is None

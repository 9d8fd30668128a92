"""The progress page as one value: each questionnaire's chart with its words and table, and the check-ins'.

Pure Python (no Django): the web page renders it, and the PDF report can render the same sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bounceback.instruments import get

from . import charts
from .checkins import (
    EXERCISE_MINUTES_A_WEEK,
    GENTLE,
    INSIGHT_DAYS,
    MIN_DAYS_PER_GROUP,
    Day,
    Insight,
    NotYet,
    Rhythm,
    Week,
    connection_description,
    daily,
    day_description,
    exercise_description,
    insights,
    long_date,
    mindfulness_description,
    rhythm,
    weekly_means,
    weeks_of,
)
from .series import (
    IMPROVED,
    LONG_FORMS,
    NOT_CHARTED,
    WORSENED,
    Record,
    Row,
    Series,
    description,
    rows_of,
    series_of,
    where_you_stand,
)
from .tables import Table, table_html

NO_PARAMETERS = (
    "No reliable-change parameters are published for this questionnaire in a form we can use, so no change is "
    "marked as reliable or not: read the ups and downs with care."
)


@dataclass(frozen=True)
class LegendEntry:
    icon: str
    words: str


@dataclass(frozen=True)
class InstrumentSection:
    series: Series
    chart_id: str
    heading: str
    direction: str
    svg: str
    summary: str
    threshold: str
    legend: list[LegendEntry]
    bands: list[str]
    """Every band with its range, in words (the chart writes a band's name only where it fits)."""
    notes: list[str]
    rows: list[Row]
    table: str
    """The rows as an HTML table (``progress.tables``): the chart's text alternative."""


def _notes(series: Series) -> list[str]:
    notes = []
    instrument = series.instrument
    elsewhere = series.charted_elsewhere
    if elsewhere and instrument.id in LONG_FORMS:
        long_form = LONG_FORMS[instrument.id]
        notes.append(
            f"{elsewhere} other check-up{'s' if elsewhere > 1 else ''} asked the full "
            f"{get(long_form).short_title}, charted there."
        )
    elif elsewhere and instrument.id == "phq9":
        notes.append(
            f"In {elsewhere} check-up{'s' if elsewhere > 1 else ''} the first two questions were below the cut-off, "
            "so the rest of the PHQ-9 was not asked and there is no PHQ-9 total: those are charted under PHQ-2."
        )
    if series.incomplete:
        notes.append(
            "A dashed line marks a check-up where this questionnaire was not finished: it has no score, and it is "
            "never drawn as 0."
        )
    return notes


def _legend(series: Series) -> list[LegendEntry]:
    entries = [LegendEntry(charts.legend_icon(""), "A result")]
    if series.reliable_improvements:
        entries.append(
            LegendEntry(charts.legend_icon(IMPROVED), "A reliable improvement since the check-up before")
        )
    if series.reliable_worsenings:
        entries.append(
            LegendEntry(charts.legend_icon(WORSENED), "A reliable worsening since the check-up before")
        )
    if series.incomplete:
        entries.append(LegendEntry(charts.legend_icon("unscored"), "Not scored (not finished; never 0)"))
    return entries


def instrument_section(series: Series) -> InstrumentSection:
    instrument = series.instrument
    chart_id = f"chart-{instrument.id}"
    rows = rows_of(series)
    title = f"{instrument.title} over time"
    return InstrumentSection(
        series=series,
        chart_id=chart_id,
        heading=instrument.title,
        direction="Higher scores are better." if instrument.higher_is_better else "Lower scores are better.",
        svg=charts.instrument_chart(series, chart_id, title, description(series)),
        summary=where_you_stand(series),
        threshold=series.threshold.text if series.threshold is not None else NO_PARAMETERS,
        legend=_legend(series),
        bands=[f"{b.range_text(instrument.decimals)}: {b.label}" for b in instrument.bands],
        notes=_notes(series),
        rows=rows,
        table=table_html(
            Table(
                f"{instrument.title}: every result, oldest first",
                ("Date", "Score", "Band", "Change since the check-up before"),
                ("Date", "Score", "Band", "Change"),
                [(r.day, r.score, r.band, r.change or "—") for r in rows],
            )
        ),
    )


@dataclass(frozen=True)
class CheckInChart:
    chart_id: str
    heading: str
    svg: str


@dataclass(frozen=True)
class DayRow:
    day: str
    mood: str
    sleep: str
    sleep_quality: str
    exercise: str
    mindfulness: str
    connected: str


@dataclass(frozen=True)
class WeekRow:
    week: str
    days: int
    exercise: str
    mindfulness: str
    connected: str


@dataclass(frozen=True)
class CheckInSection:
    first_day: str
    last_day: str
    rhythm: Rhythm
    gentle: str
    day_charts: list[CheckInChart]
    week_charts: list[CheckInChart]
    day_rows: list[DayRow]
    week_rows: list[WeekRow]
    day_table: str
    week_table: str
    insights: list[Insight]
    not_yet: list[NotYet]
    insight_days: int = INSIGHT_DAYS
    min_days: int = MIN_DAYS_PER_GROUP


QUALITY = {1: "Very poor", 2: "Poor", 3: "Fair", 4: "Good", 5: "Very good"}


def _or_dash(value: object, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}{unit}"
    return f"{value}{unit}"


def _day_rows(days: Sequence[Day]) -> list[DayRow]:
    return [
        DayRow(
            long_date(d.day),
            _or_dash(d.mood),
            _or_dash(d.sleep_hours, " h"),
            QUALITY.get(d.sleep_quality or 0, "—"),
            _or_dash(d.exercise_minutes, " min"),
            _or_dash(d.mindfulness_minutes, " min"),
            "—" if d.connected is None else "Yes" if d.connected else "No",
        )
        for d in reversed(days)
        if any(
            v is not None
            for v in (
                d.mood,
                d.sleep_hours,
                d.sleep_quality,
                d.exercise_minutes,
                d.mindfulness_minutes,
                d.connected,
            )
        )
    ]


def _week_rows(weeks: Sequence[Week]) -> list[WeekRow]:
    return [
        WeekRow(
            f"{'This week, from' if w.current else 'Week of'} {long_date(w.start)}",
            len(w.days),
            _or_dash(w.exercise, " min"),
            _or_dash(w.mindfulness, " min"),
            "—" if w.connected_days is None else f"{w.connected_days} of {w.connected_answered} days",
        )
        for w in reversed(weeks)
    ]


def checkin_section(days: Iterable[Day], today: date) -> CheckInSection | None:
    """The check-in charts, or None when the member has no check-in at all."""
    every = list(days)
    if not every:
        return None
    window = daily(every, today)
    weeks = weeks_of(every, today)
    moods = [None if d.mood is None else float(d.mood) for d in window]
    sleeps = [d.sleep_hours for d in window]
    sleep_high = max(12.0, max((s for s in sleeps if s is not None), default=0.0))
    day_charts = [
        CheckInChart(
            "chart-mood",
            "Mood",
            charts.day_line_chart(
                "chart-mood",
                "Mood, day by day",
                day_description("Mood from 0 (worst) to 10 (best)", "", window, moods),
                [(d.day, v) for d, v in zip(window, moods, strict=True)],
                y_high=10,
                ticks=(0, 5, 10),
                weekly=weekly_means(window, moods),
            ),
        ),
        CheckInChart(
            "chart-sleep",
            "Hours of sleep",
            charts.day_line_chart(
                "chart-sleep",
                "Hours of sleep, night by night",
                day_description("Hours of sleep", " hours", window, sleeps),
                [(d.day, v) for d, v in zip(window, sleeps, strict=True)],
                y_high=sleep_high,
                ticks=(0, 4, 8, 12) if sleep_high == 12 else (0, 6, 12, 18, 24),
                weekly=weekly_means(window, sleeps),
            ),
        ),
    ]
    exercise_high = max(300.0, *(float(w.exercise or 0) for w in weeks))
    week_charts = [
        CheckInChart(
            "chart-exercise",
            f"Exercise against {EXERCISE_MINUTES_A_WEEK} minutes a week",
            charts.week_bar_chart(
                "chart-exercise",
                "Minutes of exercise, week by week",
                exercise_description(weeks),
                [charts.Bar(w.label, w.exercise, _or_dash(w.exercise)) for w in weeks],
                y_high=exercise_high,
                ticks=(0, 150, 300) if exercise_high == 300 else (0, 150, exercise_high),
                reference=(
                    EXERCISE_MINUTES_A_WEEK,
                    f"{EXERCISE_MINUTES_A_WEEK} minutes a week (the guideline)",
                ),
            ),
        ),
        CheckInChart(
            "chart-mindfulness",
            "Mindfulness minutes",
            charts.week_bar_chart(
                "chart-mindfulness",
                "Minutes of mindfulness, week by week",
                mindfulness_description(weeks),
                [charts.Bar(w.label, w.mindfulness, _or_dash(w.mindfulness)) for w in weeks],
                y_high=max(60.0, *(float(w.mindfulness or 0) * 1.15 for w in weeks)),
                ticks=(0, 30, 60),
            ),
        ),
        CheckInChart(
            "chart-connection",
            "Days with someone who matters",
            charts.week_bar_chart(
                "chart-connection",
                "Days with time with someone who matters, week by week",
                connection_description(weeks),
                [charts.Bar(w.label, w.connected_days, _or_dash(w.connected_days)) for w in weeks],
                y_high=7.5,
                ticks=(0, 7),
            ),
        ),
    ]
    shown, waiting = insights(every, today)
    day_rows, week_rows = _day_rows(window), _week_rows(weeks)
    return CheckInSection(
        first_day=long_date(window[0].day),
        last_day=long_date(window[-1].day),
        rhythm=rhythm(every, today),
        gentle=GENTLE,
        day_charts=day_charts,
        week_charts=week_charts,
        day_rows=day_rows,
        week_rows=week_rows,
        day_table=table_html(
            Table(
                "Your check-ins, newest first",
                (
                    "Day",
                    "Mood (0–10)",
                    "Sleep",
                    "How well",
                    "Exercise",
                    "Mindfulness",
                    "With someone who matters",
                ),
                ("Day", "Mood", "Sleep", "How well", "Exercise", "Mindfulness", "With someone"),
                [
                    (r.day, r.mood, r.sleep, r.sleep_quality, r.exercise, r.mindfulness, r.connected)
                    for r in day_rows
                ],
            )
        ),
        week_table=table_html(
            Table(
                "Your check-ins week by week, this week first",
                ("Week", "Days checked in", "Exercise", "Mindfulness", "Days with someone who matters"),
                ("Week", "Days checked in", "Exercise", "Mindfulness", "With someone"),
                [(r.week, str(r.days), r.exercise, r.mindfulness, r.connected) for r in week_rows],
            )
        ),
        insights=shown,
        not_yet=waiting,
    )


@dataclass(frozen=True)
class ProgressPage:
    instruments: list[InstrumentSection]
    checkins: CheckInSection | None
    safety_answers: bool
    """The member answered the suicide-risk questions (ASQ) at some point: they are not charted, and the page
    says why."""

    @property
    def empty(self) -> bool:
        return not self.instruments and self.checkins is None


def progress_page(records: Iterable[Record], days: Iterable[Day], today: date) -> ProgressPage:
    every = list(records)
    return ProgressPage(
        instruments=[instrument_section(s) for s in series_of(every)],
        checkins=checkin_section(days, today),
        safety_answers=any(r.result.instrument_id in NOT_CHARTED for r in every),
    )

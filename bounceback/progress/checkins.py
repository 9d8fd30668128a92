"""The daily check-ins over the last weeks: day by day, week by week, the rhythm of checking in, and what went
together with a better or worse mood.

Pure Python (no Django). Built from plain days (one check-in's answers, on the member's own local date); a day
without a check-in, or a question left unanswered, is missing, never 0.

**Streaks without guilt.** We count weeks, not days: a week counts when it has at least one check-in, and the
current week never breaks the run before it is over. A missed day is a gap in a chart, nothing more.

**Insights.** Mood on days with and without something (exercise, time with someone who matters, 7 hours of
sleep or more, mindfulness), over the last :data:`INSIGHT_DAYS` days, shown only when each group has at least
:data:`MIN_DAYS_PER_GROUP` days with a mood answer. The difference in mean mood comes with Welch's 95% interval
(``progress.stats``), and the words say "went together with", never that one caused the other.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .series import long_date as series_long_date
from .stats import Difference, welch_interval

WEEKS_SHOWN = 13
"""Weeks drawn in the check-in charts: this one and the twelve before it (about three months)."""
INSIGHT_DAYS = 90
"""Insights look at the check-ins of the last 90 days (today included): recent enough to be about now."""
MIN_DAYS_PER_GROUP = 10
"""Days with a mood answer needed on each side of a comparison before it is shown. With fewer, the interval is
so wide it says little, and a handful of unusual days could carry it."""
EXERCISE_MINUTES_A_WEEK = 150
"""The guideline for adults: 150 minutes of moderate activity a week (WHO 2020; see plans.content)."""
SLEEP_HOURS_ENOUGH = 7
"""Seven hours or more a night is the amount recommended for adults (Watson et al., AASM and SRS, 2015)."""


@dataclass(frozen=True)
class Day:
    """One check-in's answers (None: not answered), on the member's local date."""

    day: date
    mood: int | None = None
    sleep_hours: float | None = None
    sleep_quality: int | None = None
    exercise_minutes: int | None = None
    mindfulness_minutes: int | None = None
    connected: bool | None = None


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def window_start(today: date, weeks: int = WEEKS_SHOWN) -> date:
    """The Monday that starts the first week shown."""
    return monday_of(today) - timedelta(weeks=weeks - 1)


def short_date(day: date) -> str:
    return f"{day.day} {day:%b}"


def long_date(day: date) -> str:
    return series_long_date(day)


@dataclass(frozen=True)
class Week:
    start: date
    days: tuple[Day, ...]
    current: bool
    """This week, not over yet."""

    def _total(self, values: Iterable[int | None]) -> int | None:
        answered = [v for v in values if v is not None]
        return sum(answered) if answered else None

    @property
    def exercise(self) -> int | None:
        """Minutes of exercise on the days that answered; None when no day did (no bar, never 0)."""
        return self._total(d.exercise_minutes for d in self.days)

    @property
    def mindfulness(self) -> int | None:
        return self._total(d.mindfulness_minutes for d in self.days)

    @property
    def connected_answered(self) -> int:
        return sum(1 for d in self.days if d.connected is not None)

    @property
    def connected_days(self) -> int | None:
        if not self.connected_answered:
            return None
        return sum(1 for d in self.days if d.connected)

    @property
    def label(self) -> str:
        return "This week" if self.current else short_date(self.start)


def weeks_of(days: Iterable[Day], today: date, count: int = WEEKS_SHOWN) -> list[Week]:
    first = window_start(today, count)
    by_week: dict[date, list[Day]] = {}
    for day in days:
        if first <= day.day <= today:
            by_week.setdefault(monday_of(day.day), []).append(day)
    this_week = monday_of(today)
    return [
        Week(start, tuple(sorted(by_week.get(start, []), key=lambda d: d.day)), start == this_week)
        for start in (first + timedelta(weeks=n) for n in range(count))
    ]


def daily(days: Iterable[Day], today: date, count: int = WEEKS_SHOWN) -> list[Day]:
    """Every date of the window, oldest first, with its check-in's answers (an empty Day when none)."""
    first = window_start(today, count)
    found = {d.day: d for d in days if first <= d.day <= today}
    return [
        found.get(first + timedelta(days=n), Day(first + timedelta(days=n)))
        for n in range((today - first).days + 1)
    ]


def weekly_means(days: Sequence[Day], values: Sequence[float | None]) -> list[tuple[date, float]]:
    """Each week's average of the values answered (weeks with none are left out), placed on the week's middle
    day, or on the middle of the days so far for a week not over yet."""
    by_week: dict[date, list[tuple[date, float]]] = {}
    for day, value in zip(days, values, strict=True):
        if value is not None:
            by_week.setdefault(monday_of(day.day), []).append((day.day, value))
    last = days[-1].day if days else date.min
    out = []
    for monday, answered in sorted(by_week.items()):
        end = min(monday + timedelta(days=6), last)
        middle = monday + timedelta(days=(end - monday).days // 2)
        out.append((middle, statistics.fmean(v for _d, v in answered)))
    return out


@dataclass(frozen=True)
class Rhythm:
    days_checked_in: int
    days_in_window: int
    weeks_in_a_row: int
    """Weeks with at least one check-in, up to this one (or last week, while this one has none yet)."""

    @property
    def text(self) -> str:
        if not self.days_checked_in:
            return "No check-ins in these weeks yet."
        weeks = self.weeks_in_a_row
        run = (
            f" You have checked in every week for {weeks} week{'s' if weeks != 1 else ''} in a row."
            if weeks >= 2
            else ""
        )
        return f"You checked in on {self.days_checked_in} of the last {self.days_in_window} days.{run}"


GENTLE = (
    "A missed day is not a failure: it is simply a gap in the charts, and you can still fill in a day up to 7 "
    "days later. Weeks count, not days."
)


def rhythm(days: Iterable[Day], today: date, count: int = WEEKS_SHOWN) -> Rhythm:
    all_days = sorted({d.day for d in days if d.day <= today})
    first = window_start(today, count)
    checked = sum(1 for d in all_days if d >= first)
    weeks = {monday_of(d) for d in all_days}
    start = monday_of(today)
    if start not in weeks:
        start -= timedelta(weeks=1)  # this week is not over: it cannot break the run yet
    run = 0
    while start in weeks:
        run += 1
        start -= timedelta(weeks=1)
    return Rhythm(checked, (today - first).days + 1, run)


# --- Insights ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Factor:
    key: str
    title: str
    with_words: str
    without_words: str
    noun: str
    """What went together with mood, as the sentence names it."""
    split: Callable[[Day], bool | None]
    """True: the day had it; False: it did not; None: not answered that day."""


def _exercised(day: Day) -> bool | None:
    return None if day.exercise_minutes is None else day.exercise_minutes > 0


def _connected(day: Day) -> bool | None:
    return day.connected


def _slept(day: Day) -> bool | None:
    return None if day.sleep_hours is None else day.sleep_hours >= SLEEP_HOURS_ENOUGH


def _practised(day: Day) -> bool | None:
    return None if day.mindfulness_minutes is None else day.mindfulness_minutes > 0


FACTORS = (
    Factor("exercise", "Mood and exercise", "days you exercised", "days you did not", "exercise", _exercised),
    Factor(
        "connection",
        "Mood and time with people who matter",
        "days you spent time with someone who matters to you",
        "days you did not",
        "time with someone who matters",
        _connected,
    ),
    Factor(
        "sleep",
        "Mood and sleep",
        f"days after {SLEEP_HOURS_ENOUGH} hours of sleep or more",
        f"days after less than {SLEEP_HOURS_ENOUGH} hours",
        f"{SLEEP_HOURS_ENOUGH} hours of sleep or more",
        _slept,
    ),
    Factor(
        "mindfulness",
        "Mood and mindfulness",
        "days you practised mindfulness",
        "days you did not",
        "mindfulness",
        _practised,
    ),
)


def signed(value: float, decimals: int = 1) -> str:
    """A number with a true minus sign (read as "minus" by screen readers)."""
    text = f"{value:.{decimals}f}"
    if text.startswith("-"):
        return "−" + text[1:] if float(text) != 0 else text[1:]
    return text


@dataclass(frozen=True)
class Insight:
    factor: Factor
    difference: Difference

    @property
    def clear(self) -> bool:
        """The 95% interval leaves out 0: a difference this size is unlikely to be chance alone."""
        return self.difference.excludes_zero

    @property
    def text(self) -> str:
        d = self.difference
        f = self.factor
        means = (
            f"On the {d.n_first} {f.with_words}, your mood averaged {d.mean_first:.1f} out of 10; on the "
            f"{d.n_second} {f.without_words}, {d.mean_second:.1f}."
        )
        interval = f"95% interval {signed(d.low)} to {signed(d.high)} points"
        if self.clear:
            direction = "higher" if d.difference > 0 else "lower"
            verdict = (
                f"{f.noun[0].upper()}{f.noun[1:]} went together with a mood {abs(d.difference):.1f} points "
                f"{direction} ({interval})."
            )
        else:
            verdict = (
                f"The difference, {signed(d.difference)} points ({interval}), could be chance: in these days, "
                f"{f.noun} and your mood did not clearly go together."
            )
        return f"{means} {verdict}"


@dataclass(frozen=True)
class NotYet:
    factor: Factor
    with_days: int
    without_days: int

    @property
    def text(self) -> str:
        return (
            f"{self.factor.title}: not enough days yet ({self.with_days} {self.factor.with_words} and "
            f"{self.without_days} {self.factor.without_words} with a mood answer; {MIN_DAYS_PER_GROUP} of each "
            "are needed)."
        )


def insights(days: Iterable[Day], today: date) -> tuple[list[Insight], list[NotYet]]:
    """Each factor's comparison when there is enough data, else how far it is from enough."""
    first = today - timedelta(days=INSIGHT_DAYS - 1)
    recent = [d for d in days if first <= d.day <= today and d.mood is not None]
    shown: list[Insight] = []
    waiting: list[NotYet] = []
    for factor in FACTORS:
        with_it = [float(d.mood) for d in recent if factor.split(d) is True and d.mood is not None]
        without = [float(d.mood) for d in recent if factor.split(d) is False and d.mood is not None]
        if len(with_it) < MIN_DAYS_PER_GROUP or len(without) < MIN_DAYS_PER_GROUP:
            waiting.append(NotYet(factor, len(with_it), len(without)))
            continue
        try:
            shown.append(Insight(factor, welch_interval(with_it, without)))
        except ValueError:  # every mood the same on both sides: nothing to compare
            waiting.append(NotYet(factor, len(with_it), len(without)))
    return shown, waiting


# --- Words for the charts -----------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def day_description(what: str, unit: str, days: Sequence[Day], values: Sequence[float | None]) -> str:
    answered = [v for v in values if v is not None]
    first, last = days[0].day, days[-1].day
    span = f"from {long_date(first)} to {long_date(last)}"
    if not answered:
        return f"{what} {span}: no answers yet."
    head = [v for d, v in zip(days, values, strict=True) if v is not None and (d.day - first).days < 28]
    tail = [v for d, v in zip(days, values, strict=True) if v is not None and (last - d.day).days < 28]
    text = (
        f"{what} on each day you answered, {span}: {len(answered)} days, average {statistics.fmean(answered):.1f}"
        f"{unit}, lowest {min(answered):g}, highest {max(answered):g}. Days without an answer are gaps; a thicker line "
        "with square marks joins each week's average."
    )
    start, end = _mean(head), _mean(tail)
    if start is not None and end is not None and (last - first).days >= 56:
        text += (
            f" Average in the first four weeks shown {start:.1f}{unit}; in the last four, {end:.1f}{unit}."
        )
    return text


def exercise_description(weeks: Sequence[Week]) -> str:
    full = [w for w in weeks if not w.current and w.exercise is not None]
    reached = sum(1 for w in full if (w.exercise or 0) >= EXERCISE_MINUTES_A_WEEK)
    now = weeks[-1].exercise if weeks else None
    text = (
        f"Minutes of exercise in each of the last {len(weeks)} weeks, with a dashed line at "
        f"{EXERCISE_MINUTES_A_WEEK} minutes a week: {reached} of the {len(full)} finished weeks with answers "
        f"reached {EXERCISE_MINUTES_A_WEEK} or more."
    )
    if now is not None:
        text += f" This week so far: {now} minutes."
    return text + " Weeks without an answer have no bar."


def mindfulness_description(weeks: Sequence[Week]) -> str:
    answered = [w.mindfulness for w in weeks if w.mindfulness is not None]
    total = sum(answered)
    return (
        f"Minutes of mindfulness in each of the last {len(weeks)} weeks: {total} minutes in all, over "
        f"{len(answered)} weeks with answers. Weeks without an answer have no bar."
    )


def connection_description(weeks: Sequence[Week]) -> str:
    answered = [w for w in weeks if w.connected_days is not None]
    days = sum(w.connected_days or 0 for w in answered)
    asked = sum(w.connected_answered for w in answered)
    return (
        f"Days with time with someone who matters to you, in each of the last {len(weeks)} weeks: {days} of the "
        f"{asked} days you answered. Weeks without an answer have no bar."
    )

"""What a check-up page shows: the step's questions with their saved answers, progress, and the scale drawings.

Plain functions over answer rows handed in by the views; no queries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from bounceback.instruments import Instrument, Item, Method, Result, get
from bounceback.instruments.asq import SCREEN_ITEMS
from bounceback.instruments.battery import DEFAULT, Battery, Step, item_of

SECONDS_PER_ITEM = 8
DECLINABLE_ITEMS = frozenset(SCREEN_ITEMS)
"""The ASQ's screening questions may be declined; a refusal is recorded as "yes" (the toolkit's rule)."""
DECLINED = "declined"
DECLINE_LABEL = "I'd rather not answer"
RADIO_RANGE_LIMIT = 10
"""Numeric items with this many values or fewer are asked as radio buttons (EVS days 0-7)."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool


@dataclass
class Question:
    item: Item
    number: int
    choices: list[Choice]
    value: str
    revision: int
    error: str = ""

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def is_number_input(self) -> bool:
        return not self.choices


@dataclass
class StepPage:
    step: Step
    instrument: Instrument
    questions: list[Question]
    number: int
    answered: int
    remaining: int
    """Questions left on the shortest path from here."""
    remaining_at_most: int
    """Questions left if every follow-up still undecided applies (never rises as the person goes on)."""
    parts: int
    previous_step: str | None
    errors: list[Question] = field(default_factory=list)

    @property
    def time_left(self) -> str:
        """ "about 3 minutes", or "about 2 to 6 minutes" while follow-up questions may still apply."""
        return minutes_text(self.remaining, self.remaining_at_most)

    @property
    def progress_max(self) -> int:
        return self.answered + self.remaining

    @property
    def asks_item9(self) -> bool:
        return "phq9_9" in self.step.items


def minutes(items: int) -> int:
    return max(1, math.ceil(items * SECONDS_PER_ITEM / 60)) if items else 0


def minutes_text(fewest: int, most: int) -> str:
    low, high = minutes(fewest), minutes(most)
    if high <= low:
        return f"about {low} minute{'s' if low != 1 else ''}"
    return f"about {low} to {high} minutes"


def checkup_time() -> str:
    """How long the whole default check-up takes, shortest path to every follow-up ("about 4 to 9 minutes"):
    the start page promises what the progress line then counts down."""
    return minutes_text(*DEFAULT.remaining_items_range({}))


def _counted(value: int, unit: str) -> str:
    """ "1 day", "3 days" (the unit is plural in the definition)."""
    if not unit:
        return str(value)
    return f"{value} {unit[:-1] if value == 1 and unit.endswith('s') else unit}"


def _choices(item: Item, current: str) -> list[Choice]:
    if item.options:
        choices = [Choice(str(o.value), o.label, str(o.value) == current) for o in item.options]
    elif item.max_value - item.min_value < RADIO_RANGE_LIMIT:
        choices = [
            Choice(str(v), _counted(v, item.unit), str(v) == current)
            for v in range(item.min_value, item.max_value + 1)
        ]
    else:
        return []
    if item.id in DECLINABLE_ITEMS:
        choices.append(Choice(DECLINED, DECLINE_LABEL, current == DECLINED))
    return choices


def _question(
    item: Item,
    answers: Mapping[str, int],
    revisions: Mapping[str, int],
    declined_items: frozenset[str],
    posted: Mapping[str, str] | None,
    errors: Mapping[str, str] | None,
) -> Question:
    if posted is not None and item.id in posted:
        current = posted[item.id]
    elif item.id in declined_items:
        current = DECLINED
    else:
        current = str(answers[item.id]) if item.id in answers else ""
    suffix = item.id.rsplit("_", 1)[1]
    number = int(suffix) if suffix.isdigit() else 0
    return Question(
        item,
        number,
        _choices(item, current),
        current,
        revisions.get(item.id, 0),
        (errors or {}).get(item.id, ""),
    )


def question_for(
    item_id: str,
    answers: Mapping[str, int],
    revisions: Mapping[str, int],
    declined: frozenset[str],
    error: str = "",
) -> Question:
    """One question as stored now (e.g. to show the newer answer after a stale write was refused)."""
    return _question(item_of(item_id), answers, revisions, declined, None, {item_id: error})


def step_page(
    step: Step,
    answers: Mapping[str, int],
    revisions: Mapping[str, int],
    declined_items: frozenset[str],
    declined_steps: list[str],
    posted: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    battery: Battery = DEFAULT,
) -> StepPage:
    instrument = get(step.instrument_id)
    questions = [
        _question(instrument.item(item_id), answers, revisions, declined_items, posted, errors)
        for item_id in step.items
    ]
    path = battery.applicable_steps(answers, declined_steps)
    ids = [s.id for s in path]
    previous = None
    if step.id in ids and ids.index(step.id) > 0:
        previous = ids[ids.index(step.id) - 1]
    elif step.id not in ids and ids:
        previous = ids[-1]
    answered = sum(1 for i in battery.items if i in answers)
    remaining, at_most = battery.remaining_items_range(answers, declined_steps)
    return StepPage(
        step=step,
        instrument=instrument,
        questions=questions,
        number=ids.index(step.id) + 1 if step.id in ids else len(ids),
        answered=answered,
        remaining=remaining,
        remaining_at_most=at_most,
        parts=max(
            battery.parts(answers, declined_steps), ids.index(step.id) + 1 if step.id in ids else len(ids)
        ),
        previous_step=previous,
        errors=[q for q in questions if q.error],
    )


# --- The visual scale on a result ------------------------------------------------------------------------

SCALE_WIDTH = 300
DISPLAY_MAX = {"evs": (Fraction(300), "minutes a week")}
"""Instruments whose scale is drawn to a shorter maximum, with the unit of their total (EVS: 300+ minutes)."""


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    label: str
    current: bool


@dataclass(frozen=True)
class Scale:
    segments: list[Segment]
    marker_x: float
    min_text: str
    max_text: str
    description: str

    @property
    def marker_points(self) -> str:
        x = self.marker_x
        return f"{x - 6:.2f},0 {x + 6:.2f},0 {x:.2f},9"

    @property
    def marker_bar_x(self) -> float:
        return round(self.marker_x - 1.5, 2)


def scale_for(result: Result) -> Scale | None:
    """Bands as segments between their edges, and a marker where the person's total falls.

    Whole-number scales are drawn as bins (a total of 4 sits in the middle of its own bin); mean scores (BRS)
    on a continuous line. A band runs from its lower edge to the next band's lower edge.
    """
    if not result.complete or result.exact_total is None or result.band is None:
        return None
    instrument = get(result.instrument_id)
    if instrument.id == "asq":
        return None
    continuous = instrument.method is Method.MEAN
    low = instrument.min_total
    shown_max, unit = DISPLAY_MAX.get(instrument.id, (instrument.max_total, ""))
    high = shown_max if continuous else shown_max + 1
    span = high - low

    def x_of(value: Fraction) -> float:
        return float((min(max(value, low), high) - low) / span * SCALE_WIDTH)

    bands = [b for b in instrument.bands if b.lower <= shown_max]
    segments = []
    for n, band in enumerate(bands):
        end = bands[n + 1].lower if n + 1 < len(bands) else high
        start_x, end_x = x_of(band.lower), x_of(end)
        segments.append(
            Segment(round(start_x, 2), round(end_x - start_x, 2), band.label, band.code == result.band)
        )
    value = result.exact_total if continuous else result.exact_total + Fraction(1, 2)
    band = next(b for b in instrument.bands if b.code == result.band)
    total = instrument.format_total(result.total)
    where = (
        f"{total} {unit}"
        if unit
        else f"{total} on a scale from {instrument.format_total(_num(low))} to "
        f"{instrument.format_total(_num(instrument.max_total))}"
    )
    description = (
        f"Your score is {where}, in the band “{band.label}” ({band.range_text(instrument.decimals)})."
    )
    return Scale(
        segments,
        round(min(x_of(value), SCALE_WIDTH), 2),
        instrument.format_total(_num(low)),
        instrument.format_total(_num(shown_max)) + ("+" if shown_max < instrument.max_total else ""),
        description,
    )


def _num(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)

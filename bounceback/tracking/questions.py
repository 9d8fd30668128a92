"""The daily check-in's questions as data (pure Python): wording, allowed values and the messages that name them.

The model's constraints, the form, the action's validation and the page are all built from this one list, so a
range or a label is written once. Every question is optional; a check-in exists once one is answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MOOD = "mood"
SLEEP_HOURS = "sleep_hours"
SLEEP_QUALITY = "sleep_quality"
EXERCISE_MINUTES = "exercise_minutes"
MINDFULNESS_MINUTES = "mindfulness_minutes"
CONNECTED = "connected"
NOTE = "note"

NOTE_MAX_LENGTH = 2000
"""Characters in a journal note: a few paragraphs; bounded before anything else reads it."""
MINUTES_IN_A_DAY = 1440
BACKFILL_DAYS = 7
"""A check-in can be filled in for today or for up to this many days before today, never later or earlier."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    """The question as the page asks it (the fieldset's legend or the input's label)."""
    kind: str
    """scale (0-10 radios), choice (labelled radios), yesno, minutes, half_hours, text."""
    hint: str = ""
    low: int = 0
    high: int = 0
    choices: tuple[Choice, ...] = ()

    @property
    def message(self) -> str:
        """What to enter, naming the question: every refusal says this."""
        what = self.label.rstrip("?")
        if self.kind in {"scale", "choice", "yesno"}:
            return f"{what}: please choose one of the answers."
        if self.kind == "minutes":
            return f"{what}: please enter a whole number of minutes from {self.low} to {self.high}."
        if self.kind == "half_hours":
            return f"{what}: please enter hours from {self.low} to {self.high}, in whole or half hours (e.g. 7 or 7.5)."
        return f"{what}: please keep it to {self.high} characters."


SLEEP_QUALITY_LABELS = ((1, "Very poor"), (2, "Poor"), (3, "Fair"), (4, "Good"), (5, "Very good"))

QUESTIONS: tuple[Question, ...] = (
    Question(
        MOOD,
        "Mood today",
        "scale",
        hint="0 is the worst you can imagine, 10 the best.",
        low=0,
        high=10,
        choices=tuple(Choice(str(n), str(n)) for n in range(11)),
    ),
    Question(SLEEP_HOURS, "Hours of sleep last night", "half_hours", hint="e.g. 7 or 7.5", low=0, high=24),
    Question(
        SLEEP_QUALITY,
        "How well did you sleep?",
        "choice",
        low=1,
        high=5,
        choices=tuple(Choice(str(v), label) for v, label in SLEEP_QUALITY_LABELS),
    ),
    Question(
        EXERCISE_MINUTES,
        "Minutes of exercise",
        "minutes",
        hint="Anything that got you moving, e.g. a brisk walk.",
        low=0,
        high=MINUTES_IN_A_DAY,
    ),
    Question(
        MINDFULNESS_MINUTES,
        "Minutes of mindfulness",
        "minutes",
        hint="The mindfulness timer adds its minutes here.",
        low=0,
        high=MINUTES_IN_A_DAY,
    ),
    Question(
        CONNECTED,
        "Did you spend time with someone who matters to you?",
        "yesno",
        choices=(Choice("yes", "Yes"), Choice("no", "No")),
    ),
    Question(
        NOTE,
        "Journal note (optional)",
        "text",
        hint="Only you see it. It is stored encrypted.",
        high=NOTE_MAX_LENGTH,
    ),
)
BY_NAME = {q.name: q for q in QUESTIONS}
NAMES = tuple(BY_NAME)

WHOLE = re.compile(r"[0-9]{1,4}")
HALF_HOURS = re.compile(r"([0-9]{1,2})(?:[.,]([05])0?)?")
"""ASCII digits only, bounded before parsing: "7", "7.5", "7,5", "07.50"; never "²", "٧" or "1e1"."""


class Unreadable(ValueError):
    """A value the question does not allow; the message names the question and what it takes."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(message)


Value = int | Decimal | bool | str | None


def parse(name: str, raw: str) -> Value:
    """The value of one posted answer: None for an empty answer, else the typed value; :class:`Unreadable` when
    the text is not one the question allows (nothing is rounded, clipped or guessed)."""
    question = BY_NAME[name]
    if question.kind == "text":
        # Browsers send a line break as two characters: count it as one, but bound the raw text first.
        text = raw.replace("\r\n", "\n") if len(raw) <= 2 * question.high else raw
        if len(text) > question.high:
            raise Unreadable(name, f"{question.message} This one has {len(text)}.")
        return text.strip() or None
    raw = raw.strip()
    if raw == "":
        return None
    if len(raw) > 8:
        raise Unreadable(name, question.message)
    if question.kind in {"scale", "choice"}:
        if raw not in {c.value for c in question.choices}:
            raise Unreadable(name, question.message)
        return int(raw)
    if question.kind == "yesno":
        if raw not in {"yes", "no"}:
            raise Unreadable(name, question.message)
        return raw == "yes"
    if question.kind == "minutes":
        if not WHOLE.fullmatch(raw) or not question.low <= int(raw) <= question.high:
            raise Unreadable(name, question.message)
        return int(raw)
    match = HALF_HOURS.fullmatch(raw)
    if match is None:
        raise Unreadable(name, question.message)
    hours = Decimal(match.group(1)) + (Decimal("0.5") if match.group(2) == "5" else Decimal(0))
    if not question.low <= hours <= question.high:
        raise Unreadable(name, question.message)
    return hours


def check(name: str, value: object) -> Value:
    """A typed value (from a caller other than the form: the API, a command) checked against the question."""
    if name not in BY_NAME:
        raise Unreadable(name, f"{name}: not a check-in question (known: {', '.join(NAMES)})")
    question = BY_NAME[name]
    if value is None:
        return None
    if question.kind in {"scale", "choice", "minutes"}:
        if type(value) is int and question.low <= value <= question.high:
            return value
    elif question.kind == "yesno":
        if type(value) is bool:
            return value
    elif question.kind == "half_hours":
        if type(value) in {int, Decimal}:
            hours = Decimal(value)  # type: ignore[arg-type]
            if question.low <= hours <= question.high and (hours * 2) % 1 == 0:
                return hours.quantize(Decimal("0.1"))
    elif isinstance(value, str) and len(value) <= question.high:
        return value.strip() or None
    raise Unreadable(name, question.message)

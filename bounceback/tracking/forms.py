"""Reading a posted check-in: each question's text parsed by ``questions.parse`` (ASCII digits, bounded before
parsing, a message naming the question), and only the answers this page changed.

Each answer travels with ``was_<name>``, what the page showed, so a plain form post writes only what the
member changed on it: an answer saved since by another tab, or minutes the timer added, are not overwritten by
the stale value an untouched field still holds. For the journal ``was_note`` is a keyed digest, not the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.crypto import salted_hmac

from .models import CheckIn
from .questions import BY_NAME, NOTE, QUESTIONS, Question, Unreadable, Value, parse

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(raw: str) -> date | None:
    """A date in ISO form (2026-06-03), or None."""
    if not ISO_DATE.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def note_digest(text: str) -> str:
    return salted_hmac("bounceback.tracking.note", text).hexdigest()[:32] if text else ""


def shown(value: Value) -> str:
    """How a stored answer is written in the form (and compared with what comes back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value.normalize())
    return str(value)


def was_of(name: str, value: Value) -> str:
    return note_digest(str(value or "")) if name == NOTE else shown(value)


def read(data: Any, names: tuple[str, ...]) -> tuple[dict[str, Value], dict[str, str]]:
    """The answers among ``names`` that this post changes (None clears one), and a message for each unreadable
    answer (an unreadable answer is never saved, whatever the page showed)."""
    changed: dict[str, Value] = {}
    errors: dict[str, str] = {}
    for name in names:
        raw = str(data.get(name) or "")
        try:
            value = parse(name, raw)
        except Unreadable as exc:
            errors[name] = str(exc)
            continue
        was_key = f"was_{name}"
        if was_key in data:
            if was_of(name, value) != str(data.get(was_key) or "")[:64]:
                changed[name] = value
        elif name in data:  # a client that sends no was_ values (an API, a test) means what it sends
            changed[name] = value
    return changed, errors


@dataclass
class Shown:
    """One question as the page shows it: its text, what was stored or posted, and any error."""

    question: Question
    value: str
    was: str
    error: str = ""
    choices: list[tuple[str, str, bool]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.question.name


def page_fields(
    checkin: CheckIn | None, posted: Any = None, errors: dict[str, str] | None = None
) -> list[Shown]:
    """Every question with the stored answer, or (after a refused post) what was posted, for the template."""
    errors = errors or {}
    rows = []
    for question in QUESTIONS:
        stored: Value = getattr(checkin, question.name) if checkin is not None else None
        if stored == "":
            stored = None
        value = shown(stored)
        if posted is not None and question.name in errors:
            value = str(posted.get(question.name) or "")[: 2 * BY_NAME[NOTE].high]
        rows.append(
            Shown(
                question,
                value,
                was_of(question.name, stored),
                errors.get(question.name, ""),
                [(c.value, c.label, c.value == value) for c in question.choices],
            )
        )
    return rows

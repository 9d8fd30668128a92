"""How the care pages put shares and reads into words. Pure Python (no Django): tested without a database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime


def join_words(words: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def long_day(day: date) -> str:
    """Thursday 12 March 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def long_moment(moment: datetime) -> str:
    """Thursday 12 March 2026 at 22:30 (already in the reader's zone)."""
    return f"{long_day(moment.date())} at {moment:%H:%M}"


def in_sentence(label: str) -> str:
    """A kind's label inside a sentence ("Daily check-ins" → "daily check-ins")."""
    return label[:1].lower() + label[1:]


def stopped_message(clinician: str, stopped: Sequence[str], still: Sequence[str]) -> str:
    """What the member is told after stopping a share: what the clinician can no longer see, and what another
    share of theirs still shows."""
    still_words = join_words([in_sentence(s) for s in still])
    if not stopped:
        return f"Stopped. {clinician} can still see your {still_words} through another share."
    said = f"Stopped. {clinician} can no longer see your {join_words([in_sentence(s) for s in stopped])}."
    if still:
        said += f" Still shared through another share: your {still_words}."
    return said

"""Pure rules of secure messaging: what a subject and a message may hold, and how a clinician's reply time is
worded. No Django: tested without a database."""

from __future__ import annotations

import re
import unicodedata

SUBJECT_MAX = 120
BODY_MAX = 5000

_UNSAVEABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_SPACES = re.compile(r"[ \t]+")
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


class Invalid(ValueError):
    """Text that cannot be sent, naming the field and what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def _checked(raw: str, field: str, noun: str, limit: int) -> str:
    if len(raw) > 2 * limit:  # bounded before anything else reads it
        raise Invalid(field, f"Please keep the {noun} to {limit:,} characters (this has {len(raw):,}).")
    if _UNSAVEABLE.search(raw):
        raise Invalid(
            field,
            f"The {noun} contains a control character (such as a NUL byte) that cannot be sent; please retype it.",
        )
    return unicodedata.normalize("NFC", raw)


def _bounded(text: str, field: str, noun: str, limit: int) -> str:
    if not text:
        raise Invalid(field, f"Please write a {noun}.")
    if len(text) > limit:
        raise Invalid(field, f"Please keep the {noun} to {limit:,} characters (this has {len(text):,}).")
    return text


def clean_subject(raw: str) -> str:
    """A thread's subject as stored: one line, spaces folded, trimmed; not blank, at most ``SUBJECT_MAX``."""
    text = _SPACES.sub(" ", _checked(raw, "subject", "subject", SUBJECT_MAX)).strip()
    return _bounded(text, "subject", "subject", SUBJECT_MAX)


def clean_text(raw: str, field: str, noun: str, limit: int) -> str:
    """Free text as stored: its lines kept (at most one blank line in a row), trailing spaces and the ends
    trimmed; not blank, at most ``limit`` characters. Markup is kept as typed: pages escape it."""
    text = _checked(raw, field, noun, limit).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return _bounded(text, field, noun, limit)


def clean_body(raw: str) -> str:
    """A message as stored (see ``clean_text``), at most ``BODY_MAX`` characters."""
    return clean_text(raw, "body", "message", BODY_MAX)


def reply_time(hours: int) -> str:
    """ "within 2 days", "within a day", "within 8 hours": the clinician's usual time to answer, rounded up to
    whole days from a day on."""
    if hours <= 0:
        return "within a day"
    if hours < 24:
        return "within an hour" if hours == 1 else f"within {hours} hours"
    days = -(-hours // 24)
    return "within a day" if days == 1 else f"within {days} days"


def usually_replies(name: str, hours: int) -> str:
    return f"{name} usually replies {reply_time(hours)}."

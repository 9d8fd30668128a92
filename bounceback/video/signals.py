"""What one browser may send the other through Bounceback to set up a call (pure: no Django).

A signal is a kind and a small JSON object. Only the keys each kind needs are kept, each of its type and within
its size, so a hostile payload is refused with a message naming the field and the limit (never echoing what was
sent), and what is stored is rebuilt from the checked values. Payloads are session descriptions (SDP) and
network candidates (ICE): no health data, but never logged either, and deleted after the visit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

KINDS = ("hello", "offer", "answer", "candidate", "bye")
PAYLOAD_MAX = 32_000
"""Characters of one payload as sent (a video offer from a current browser is about 4,000–8,000)."""
SDP_MAX = 30_000
CANDIDATE_MAX = 1_000
MID_MAX = 32
LINE_INDEX_MAX = 64
SESSION = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""A call attempt's id, chosen by the browser that makes the offer; answers and candidates name it."""


class SignalError(ValueError):
    """A refused signal: ``field`` is the form field (or the payload's key) and ``message`` says why in words."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class CheckedSignal:
    kind: str
    payload: str
    """The checked values as compact JSON."""


def _text(data: dict[str, Any], key: str, limit: int, *, empty: bool = False) -> str:
    value = data.get(key)
    field = f"payload.{key}"
    if not isinstance(value, str):
        raise SignalError(field, "must be text")
    if not value and not empty:
        raise SignalError(field, "must not be empty")
    if len(value) > limit:
        raise SignalError(field, f"too long (at most {limit:,} characters)")
    if "\x00" in value:
        raise SignalError(field, "contains a character that is not allowed")
    return value


def _session(data: dict[str, Any]) -> str:
    value = data.get("session")
    if not isinstance(value, str) or not SESSION.fullmatch(value):
        raise SignalError("payload.session", "must be 1 to 64 letters, digits, - or _")
    return value


def _optional_mid(data: dict[str, Any]) -> str | None:
    if data.get("sdpMid") is None:
        return None
    return _text(data, "sdpMid", MID_MAX, empty=True)


def _optional_index(data: dict[str, Any]) -> int | None:
    value = data.get("sdpMLineIndex")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LINE_INDEX_MAX:
        raise SignalError("payload.sdpMLineIndex", f"must be a whole number from 0 to {LINE_INDEX_MAX}")
    return value


def check(kind: object, payload: object) -> CheckedSignal:
    """The signal as it will be stored, or ``SignalError`` naming the first thing wrong."""
    if not isinstance(kind, str) or kind not in KINDS:
        raise SignalError("kind", f"must be one of {', '.join(KINDS)}")
    if payload is None or payload == "":
        payload = "{}"
    if not isinstance(payload, str):
        raise SignalError("payload", "must be text")
    if len(payload) > PAYLOAD_MAX:
        raise SignalError("payload", f"too long (at most {PAYLOAD_MAX:,} characters)")
    if "\x00" in payload:
        raise SignalError("payload", "contains a character that is not allowed")
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError):
        raise SignalError("payload", "must be a JSON object") from None
    if not isinstance(data, dict):
        raise SignalError("payload", "must be a JSON object")
    clean: dict[str, object]
    if kind == "hello":
        reply = data.get("reply", False)
        if not isinstance(reply, bool):
            raise SignalError("payload.reply", "must be true or false")
        clean = {"reply": reply}
    elif kind == "bye":
        clean = {}
    elif kind in ("offer", "answer"):
        clean = {"session": _session(data), "sdp": _text(data, "sdp", SDP_MAX)}
    else:
        clean = {
            "session": _session(data),
            "candidate": _text(data, "candidate", CANDIDATE_MAX, empty=True),
            "sdpMid": _optional_mid(data),
            "sdpMLineIndex": _optional_index(data),
        }
    return CheckedSignal(kind, json.dumps(clean, separators=(",", ":")))


def check_since(value: object) -> int:
    """The id of the last signal a browser has seen (0 for none)."""
    if value is None or value == "":
        return 0
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 18:
        raise SignalError("since", "must be a whole number of at most 18 digits")
    return int(value)


STATES = ("joining", "connecting", "connected", "reconnecting", "failed")
"""What a browser says of its own connection; the other side shows it in words."""


def check_state(value: object) -> str:
    if value is None or value == "":
        return "joining"
    if not isinstance(value, str) or value not in STATES:
        raise SignalError("state", f"must be one of {', '.join(STATES)}")
    return value

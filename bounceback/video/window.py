"""When a video visit's room is open, in one place (pure: no Django).

The room opens ``OPENS_BEFORE`` the visit starts and closes ``CLOSES_AFTER`` it ends. Before it opens, the two
participants see a waiting page that says when it opens; after it closes, the room is gone (404), and what the
browsers said to each other to connect (the signals) is deleted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

OPENS_BEFORE = timedelta(minutes=10)
"""The waiting room opens this long before the visit starts."""
CLOSES_AFTER = timedelta(minutes=30)
"""A visit that runs over may go on this long after its planned end; then the room closes."""
PRESENT_FOR = timedelta(seconds=10)
"""Someone whose browser has not asked for news this long is no longer counted as in the room (it asks every
second)."""
SIGNAL_RETENTION = timedelta(hours=2)
"""Signals older than this are deleted whatever the room's state (a visit is at most slot + 40 minutes)."""


class RoomState(Enum):
    BEFORE = "before"
    OPEN = "open"
    CLOSED = "closed"


def opens_at(starts_at: datetime) -> datetime:
    return starts_at - OPENS_BEFORE


def closes_at(ends_at: datetime) -> datetime:
    return ends_at + CLOSES_AFTER


def room_state(starts_at: datetime, ends_at: datetime, now: datetime) -> RoomState:
    """Before the window (``now`` < opens), open (opens ≤ ``now`` < closes), or closed."""
    if now < opens_at(starts_at):
        return RoomState.BEFORE
    if now < closes_at(ends_at):
        return RoomState.OPEN
    return RoomState.CLOSED

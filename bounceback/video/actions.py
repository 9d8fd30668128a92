"""Every write of the video app: joining and leaving a room, a browser's signals and news, the external room's
name, and the purge of what is no longer needed. Each owns its transaction; joining, leaving, naming a room and
purging are in the audit trail (ids only). The once-a-second news requests (``poll``) only move the caller's
"last seen" and connection state, and are not audited one by one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.visits.models import Appointment, Status

from .access import Room
from .models import Presence, Signal
from .signals import CheckedSignal
from .window import CLOSES_AFTER, PRESENT_FOR, SIGNAL_RETENTION

SIGNALS_PER_JOIN = 500
"""Signals one browser may send between joining and leaving (a call takes a few dozen; a renegotiation after a
lost connection a few dozen more)."""
NEWS_BATCH = 100
"""Signals handed out at most per news request (the browser asks again at once when it got a full batch)."""


class TooManySignals(Exception):
    """More than ``SIGNALS_PER_JOIN`` since joining: the browser must join again."""


@dataclass(frozen=True)
class OtherSide:
    present: bool
    state: str


@dataclass(frozen=True)
class News:
    signals: list[Signal]
    other: OtherSide


@transaction.atomic
def join(room: Room, now: datetime) -> int:
    """The caller is in the room: their earlier signals go, their presence starts again, and a hello tells the
    other side. Returns the hello's id: the browser asks for signals after it."""
    purge(now)
    appointment = room.appointment
    Signal.objects.filter(appointment=appointment, sender=room.me).delete()
    Presence.objects.update_or_create(
        appointment=appointment,
        user=room.me,
        defaults={"joined_at": now, "last_seen": now, "left_at": None, "state": "joining"},
    )
    hello = Signal.objects.create(
        appointment=appointment, sender=room.me, kind="hello", payload='{"reply":false}', created_at=now
    )
    record(room.me, "video.join", "appointment", str(appointment.public_id))
    return int(hello.pk)


@transaction.atomic
def send(room: Room, signal: CheckedSignal, now: datetime) -> int:
    """Store one checked signal for the other side; bye also marks the caller as gone (and when the other side
    is gone too, the room's signals are deleted)."""
    appointment = room.appointment
    sent = Signal.objects.filter(appointment=appointment, sender=room.me).count()
    if sent >= SIGNALS_PER_JOIN:
        raise TooManySignals
    stored = Signal.objects.create(
        appointment=appointment, sender=room.me, kind=signal.kind, payload=signal.payload, created_at=now
    )
    if signal.kind == "bye":
        Presence.objects.filter(appointment=appointment, user=room.me).update(
            left_at=now, last_seen=now, state="joining"
        )
        record(room.me, "video.leave", "appointment", str(appointment.public_id))
        if not _other_side(room, now).present:
            Signal.objects.filter(appointment=appointment).delete()
    return int(stored.pk)


@transaction.atomic
def poll(room: Room, since: int, state: str, now: datetime) -> News:
    """The caller's browser asks for news: it is still here (with its connection ``state``); it gets the other
    side's signals after ``since`` and whether the other side is in the room, and how their connection is."""
    updated = Presence.objects.filter(appointment=room.appointment, user=room.me).update(
        last_seen=now, state=state, left_at=None
    )
    if not updated:
        Presence.objects.create(appointment=room.appointment, user=room.me, last_seen=now, state=state)
    signals = list(
        Signal.objects.filter(appointment=room.appointment, id__gt=since)
        .exclude(sender=room.me)
        .order_by("id")[:NEWS_BATCH]
    )
    return News(signals=signals, other=_other_side(room, now))


def _other_side(room: Room, now: datetime) -> OtherSide:
    presence = Presence.objects.filter(appointment=room.appointment, user=room.other).first()
    if presence is None or presence.left_at is not None or presence.last_seen < now - PRESENT_FOR:
        return OtherSide(present=False, state="away")
    return OtherSide(present=True, state=presence.state)


@transaction.atomic
def room_name(appointment: Appointment, actor: User) -> str:
    """The appointment's unguessable room name for an external meeting service, made once (a conditional
    update: two first requests at once agree on one name)."""
    if appointment.room:
        return appointment.room
    name = secrets.token_urlsafe(18)
    if Appointment.objects.filter(pk=appointment.pk, room="").update(room=name):
        record(actor, "video.room.name", "appointment", str(appointment.public_id))
    appointment.refresh_from_db(fields=["room"])
    return appointment.room


@dataclass(frozen=True)
class Purged:
    signals: int
    presences: int


@transaction.atomic
def purge(now: datetime, *, audit: bool = False) -> Purged:
    """Delete signals and presence of rooms that have closed (or whose visit was cancelled), and any signal
    older than ``SIGNAL_RETENTION``. Runs at every join; ``bounceback purge_video`` runs it from cron."""
    gone = Q(appointment__ends_at__lt=now - CLOSES_AFTER) | Q(appointment__status=Status.CANCELLED)
    signals = Signal.objects.filter(gone | Q(created_at__lt=now - SIGNAL_RETENTION)).delete()[0]
    presences = Presence.objects.filter(gone).delete()[0]
    if audit:
        record(None, "video.purge", "video", f"{signals} signals, {presences} presences")
    return Purged(signals=signals, presences=presences)

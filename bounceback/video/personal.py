"""What the video app keeps about a person (``bounceback/datarights/registry.py``): the signals their browser
sent to connect a call and their presence in a room. Neither is in the export: they are connection data (session
descriptions, network candidates, "last seen"), not health data, and are deleted when the room closes. An erased
account's rows go, including those of the other participant in the member's visits."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from bounceback.accounts.models import User

from .models import Presence, Signal

TABLES = ()

NOT_EXPORTED = {
    Signal: "connection set-up between two browsers (session descriptions and network candidates), kept only "
    "until the visit's room closes",
    Presence: "who is in a video visit's room and their connection state, kept only until the room closes",
}

ERASED = (Signal, Presence)


def erase(user: User) -> dict[str, int]:
    deleted: Counter[str] = Counter()
    deleted.update(
        Signal.objects.filter(Q(sender_id=user.pk) | Q(appointment__member_id=user.pk)).delete()[1]
    )
    deleted.update(
        Presence.objects.filter(Q(user_id=user.pk) | Q(appointment__member_id=user.pk)).delete()[1]
    )
    return dict(deleted)

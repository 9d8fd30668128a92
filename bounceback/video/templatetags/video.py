"""``{% load video %}{% video_join appointment %}``: the visit page's way into the video room, for either
participant. Before the room opens it says when; while it is open, a "Join the video visit" link; after it has
closed, or to anyone else, nothing."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.visits.models import Appointment

from ..access import try_room
from ..window import RoomState

register = template.Library()


@register.inclusion_tag("video/_join.html", takes_context=True)
def video_join(context: dict[str, Any], appointment: Appointment) -> dict[str, Any]:
    user = context["request"].user
    room = try_room(user, appointment, timezone.now()) if isinstance(user, User) else None
    if room is None:
        return {"room": None}
    try:
        zone = ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return {
        "room": room,
        "open": room.state is RoomState.OPEN,
        "opens_local": f"{timezone.localtime(room.opens_at, zone):%H:%M}",
        "zone_name": zone.key,
    }

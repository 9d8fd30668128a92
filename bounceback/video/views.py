"""The video visit's room and its signalling endpoints (thin: access, action, render).

The page shows the waiting state before the room opens; the endpoints (join, signal, news) are POSTs that answer
JSON, and 404 (the same page as for a missing visit) to anyone but the two participants and outside the window.
A refused signal is a 400 whose JSON names the field and the limit.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from bounceback.accounts.models import User

from . import actions
from .access import Room, get_room
from .ice import for_browser
from .signals import SignalError, check, check_since, check_state
from .window import OPENS_BEFORE, RoomState

POLL_MILLISECONDS = 1000
"""How often a browser in the room asks for news."""


def _user(request: HttpRequest) -> User:
    user = request.user
    return user if isinstance(user, User) else User()  # an anonymous visitor: no room, the same 404


def _zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def external_link(room: Room) -> str:
    """The clinic's meeting service address with this visit's room name, or "" for Bounceback's own video."""
    template = room.clinic.external_meeting_url.strip()
    if not template:
        return ""
    return template.replace("{room}", actions.room_name(room.appointment, room.me))


@require_safe
def room(request: HttpRequest, public_id: str) -> HttpResponse:
    now = timezone.now()
    found = get_room(_user(request), public_id, now, waiting=True)
    zone = _zone(found.me)
    context = {
        "room": found,
        "waiting": found.state is RoomState.BEFORE,
        # Formatted here: the template's date filters would convert to the site's zone again.
        "opens_local": f"{timezone.localtime(found.opens_at, zone):%H:%M}",
        "starts_local": f"{timezone.localtime(found.appointment.starts_at, zone):%A %-d %B, %H:%M}",
        "ends_local": f"{timezone.localtime(found.appointment.ends_at, zone):%H:%M}",
        "zone_name": zone.key,
        "opens_minutes": int(OPENS_BEFORE.total_seconds() // 60),
        "opens_in": max(0, int((found.opens_at - now).total_seconds())),
        "external": external_link(found) if found.is_open else "",
        "poll_ms": POLL_MILLISECONDS,
    }
    return render(request, "video/room.html", context)


def _refused(error: SignalError) -> JsonResponse:
    return JsonResponse({"error": str(error), "field": error.field}, status=400)


@require_POST
def join(request: HttpRequest, public_id: str) -> JsonResponse:
    now = timezone.now()
    found = get_room(_user(request), public_id, now)
    since = actions.join(found, now)
    servers = for_browser(
        settings.BOUNCEBACK_ICE_SERVERS, settings.BOUNCEBACK_TURN_SECRET, now, found.me.public_id.hex[:12]
    )
    return JsonResponse({"since": since, "ice_servers": servers, "poll_ms": POLL_MILLISECONDS})


@require_POST
def signal(request: HttpRequest, public_id: str) -> JsonResponse:
    now = timezone.now()
    found = get_room(_user(request), public_id, now)
    try:
        checked = check(request.POST.get("kind"), request.POST.get("payload"))
    except SignalError as error:
        return _refused(error)
    try:
        sent = actions.send(found, checked, now)
    except actions.TooManySignals:
        return JsonResponse(
            {"error": f"kind: too many signals (at most {actions.SIGNALS_PER_JOIN} a join)", "field": "kind"},
            status=429,
        )
    return JsonResponse({"id": sent}, status=201)


@require_POST
def news(request: HttpRequest, public_id: str) -> JsonResponse:
    now = timezone.now()
    found = get_room(_user(request), public_id, now)
    try:
        since = check_since(request.POST.get("since"))
        state = check_state(request.POST.get("state"))
    except SignalError as error:
        return _refused(error)
    got = actions.poll(found, since, state, now)
    return JsonResponse(
        {
            "signals": [{"id": s.pk, "kind": s.kind, "payload": s.payload} for s in got.signals],
            "other": {"present": got.other.present, "state": got.other.state},
            "closes_in": max(0, int((found.closes_at - now).total_seconds())),
        }
    )

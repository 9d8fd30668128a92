"""The one place where a video visit's room is looked up (hazard H30).

Only the visit's two participants, the member and the clinician of the appointment, ever get a room: anyone
else, a cancelled visit, an ended care relationship, a deactivated clinician and a room that has closed get the
same 404 as a visit that does not exist. Before the room opens the participants may see the waiting page
(``waiting=True``); the signalling endpoints ask without it, so they are 404 outside the window.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.http import Http404

from bounceback.accounts.models import User
from bounceback.care.access import is_active_clinician
from bounceback.clinics.models import Clinic
from bounceback.visits.models import Appointment, Status

from .window import RoomState, closes_at, opens_at, room_state

NOT_FOUND = "Not found"


@dataclass(frozen=True)
class Room:
    appointment: Appointment
    me: User
    other: User
    role: str
    """The viewer's part: "member" or "clinician"."""
    other_name: str
    clinic: Clinic
    state: RoomState
    opens_at: datetime
    closes_at: datetime

    @property
    def is_open(self) -> bool:
        return self.state is RoomState.OPEN


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def member_name(member: User) -> str:
    return member.get_full_name().strip() or "your member"


def clinician_name(clinician: User) -> str:
    profile = getattr(clinician, "clinician_profile", None)
    return profile.display_name if profile is not None else "your clinician"


def get_room(user: User, public_id: object, now: datetime, *, waiting: bool = False) -> Room:
    """The room of the visit ``public_id`` for one of its two participants while it is open (or, with
    ``waiting``, also before it opens), or ``Http404``."""
    key = _uuid(public_id)
    if key is None or not user.is_authenticated or not user.is_active:
        raise Http404(NOT_FOUND)
    appointment = (
        Appointment.objects.select_related(
            "member", "clinician", "clinician__clinician_profile", "relationship__clinic"
        )
        .filter(public_id=key, status=Status.BOOKED, relationship__ended_at__isnull=True)
        .first()
    )
    if appointment is None:
        raise Http404(NOT_FOUND)
    if user.pk == appointment.member_id:
        role, other, other_name = "member", appointment.clinician, clinician_name(appointment.clinician)
    elif user.pk == appointment.clinician_id and is_active_clinician(user):
        role, other, other_name = "clinician", appointment.member, member_name(appointment.member)
    else:
        raise Http404(NOT_FOUND)
    state = room_state(appointment.starts_at, appointment.ends_at, now)
    if state is RoomState.CLOSED or (state is RoomState.BEFORE and not waiting):
        raise Http404(NOT_FOUND)
    return Room(
        appointment=appointment,
        me=user,
        other=other,
        role=role,
        other_name=other_name,
        clinic=appointment.relationship.clinic,
        state=state,
        opens_at=opens_at(appointment.starts_at),
        closes_at=closes_at(appointment.ends_at),
    )


def try_room(user: User, appointment: Appointment, now: datetime) -> Room | None:
    """The room of an appointment the caller already holds (the visit page's join link), or None."""
    try:
        return get_room(user, appointment.public_id, now, waiting=True)
    except Http404:
        return None

"""The one place a member's check-ins are looked up. Missing and forbidden are the same 404 (hazard H13).

Functions take the user, not the request, so the views, the API, workers and commands share them. A check-in
belongs to its owner alone: nobody else (clinicians included, for now) reads one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404

from bounceback.accounts.models import User
from bounceback.audit.record import record

from .actions import keeps_checkins
from .models import CheckIn, CheckInQuerySet

NOT_FOUND = "No such check-in"


def members_only(user: User) -> None:
    """The same 404 as anything missing for anyone who does not keep check-ins."""
    if not keeps_checkins(user):
        raise Http404(NOT_FOUND)


def get_checkin(user: User, public_id: str | uuid.UUID, *, audit: str = "") -> CheckIn:
    """The member's own check-in with this public id, else ``Http404`` (the same for missing and forbidden)."""
    members_only(user)
    try:
        checkin = CheckIn.objects.filter(public_id=public_id, owner_id=user.pk).first()
    except (ValueError, TypeError, ValidationError):  # not a UUID: as missing as any other
        checkin = None
    if checkin is None:
        raise Http404(NOT_FOUND)
    if audit:
        record(user, audit, "checkin", str(checkin.public_id))
    return checkin


def checkin_on(user: User, day: date, *, audit: str = "") -> CheckIn | None:
    """The member's check-in for this local date, or None when that day has none yet."""
    members_only(user)
    checkin = CheckIn.objects.filter(owner_id=user.pk, day=day).first()
    if checkin is not None and audit:
        record(user, audit, "checkin", str(checkin.public_id))
    return checkin


def checkins_on(user: User, days: Iterable[date], *, audit: str = "") -> dict[date, CheckIn]:
    """The member's check-ins on these dates, by date (one query)."""
    members_only(user)
    wanted = list(days)
    if audit:
        record(user, audit, "user", str(user.public_id))
    return {c.day: c for c in CheckIn.objects.filter(owner_id=user.pk, day__in=wanted)}


def checkins_of(user: User) -> CheckInQuerySet:
    """All of a member's check-ins, for charts and exports (further narrowed in SQL by the caller)."""
    members_only(user)
    return CheckIn.objects.of_owner(user.pk)

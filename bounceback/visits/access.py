"""Every read for finding care and for visits: the directory of clinicians a member may book, their free times,
and appointments, which only their two participants see (the member, and the clinician while active).

Missing and forbidden are the same 404 (hazard H13).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import Http404
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.care.access import active_relationship, is_active_clinician
from bounceback.clinics.availability import Block, Rules, Slot, slots
from bounceback.clinics.models import ClinicianProfile, StaffRole, TimeOff, WeeklyHours

from .models import Appointment, Status

NOT_FOUND = "Not found"


def _uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def _bookable_profiles() -> list[ClinicianProfile]:
    return list(
        ClinicianProfile.objects.select_related("user", "user__staff", "user__staff__clinic")
        .filter(
            user__is_active=True,
            user__role=Role.CLINICIAN,
            user__staff__role=StaffRole.CLINICIAN,
            user__staff__active=True,
        )
        .order_by("display_name", "pk")
    )


def licensed_in(profile: ClinicianProfile, region: str) -> bool:
    return bool(region) and region in (profile.regions or [])


def directory(member: User) -> list[ClinicianProfile]:
    """Clinicians a member may choose: active, accepting new members, licensed in the member's region (none
    until the member has said where they live)."""
    if not member.is_authenticated or member.role != Role.MEMBER or not member.region:
        return []
    return [p for p in _bookable_profiles() if p.accepting and licensed_in(p, member.region)]


def clinician_for_member(member: User, public_id: str | uuid.UUID) -> ClinicianProfile:
    """A clinician's profile as a member may see it: one in the directory, or one already caring for them while
    still licensed where the member lives and active. 404 otherwise."""
    wanted = _uuid(public_id)
    if wanted is None or not member.is_authenticated or member.role != Role.MEMBER:
        raise Http404(NOT_FOUND)
    for profile in _bookable_profiles():
        if profile.user.public_id != wanted:
            continue
        if not licensed_in(profile, member.region):
            break
        if profile.accepting or active_relationship(member, profile.user) is not None:
            return profile
        break
    raise Http404(NOT_FOUND)


def rules_of(profile: ClinicianProfile) -> Rules:
    """The clinician's diary as the pure availability rules."""
    hours = WeeklyHours.objects.filter(clinician_id=profile.user_id).order_by("weekday", "start")
    today = timezone.now().date() - timedelta(days=2)
    off = TimeOff.objects.filter(clinician_id=profile.user_id, last_day__gte=today)
    return Rules(
        zone=profile.time_zone,
        blocks=tuple(Block(h.weekday, h.start, h.end) for h in hours),
        slot_minutes=profile.slot_minutes,
        buffer_minutes=profile.buffer_minutes,
        min_notice=timedelta(hours=profile.min_notice_hours),
        horizon_days=profile.horizon_days,
        time_off=tuple((t.first_day, t.last_day) for t in off),
    )


def booked_times(clinician: User, now: datetime) -> list[tuple[datetime, datetime]]:
    """The clinician's booked visits from a day ago on, as (start, end): times only, nobody's name."""
    return list(
        Appointment.objects.booked()
        .filter(clinician_id=clinician.pk, ends_at__gt=now - timedelta(days=1))
        .values_list("starts_at", "ends_at")
    )


def free_slots(profile: ClinicianProfile, now: datetime | None = None, days: int | None = None) -> list[Slot]:
    """Bookable slots now (within ``days`` when given)."""
    now = now or timezone.now()
    found = slots(rules_of(profile), now, booked_times(profile.user, now))
    if days is not None:
        found = [s for s in found if s.starts_at < now + timedelta(days=days)]
    return found


@dataclass(frozen=True)
class Visits:
    upcoming: list[Appointment]
    past: list[Appointment]
    cancelled: list[Appointment]


def visits_of(user: User, now: datetime | None = None) -> Visits:
    """The person's own visits: as a member, or as a clinician while active."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return Visits([], [], [])
    if user.role == Role.MEMBER:
        rows = Appointment.objects.filter(member_id=user.pk)
    elif is_active_clinician(user):
        rows = Appointment.objects.filter(clinician_id=user.pk)
    else:
        return Visits([], [], [])
    found = list(
        rows.select_related("member", "clinician", "clinician__clinician_profile").order_by("starts_at")
    )
    booked = [a for a in found if a.status == Status.BOOKED]
    return Visits(
        upcoming=[a for a in booked if a.ends_at > now],
        past=[a for a in reversed(booked) if a.ends_at <= now][:50],
        cancelled=[a for a in reversed(found) if a.status == Status.CANCELLED and a.starts_at > now][:20],
    )


def is_participant(user: User, appointment: Appointment) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk == appointment.member_id:
        return True
    return user.pk == appointment.clinician_id and is_active_clinician(user)


def get_visit(user: User, public_id: str | uuid.UUID) -> Appointment:
    """One appointment for one of its two participants; 404 for anyone else and for no such visit."""
    wanted = _uuid(public_id)
    found = None
    if wanted is not None and user.is_authenticated:
        found = (
            Appointment.objects.select_related(
                "member", "clinician", "clinician__clinician_profile", "relationship__clinic", "share"
            )
            .filter(public_id=wanted)
            .first()
        )
    if found is None or not is_participant(user, found):
        raise Http404(NOT_FOUND)
    return found


def profile_of_visit(appointment: Appointment) -> ClinicianProfile | None:
    return getattr(appointment.clinician, "clinician_profile", None)

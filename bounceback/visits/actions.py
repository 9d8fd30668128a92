"""Every write to visits: booking, cancelling and rescheduling, one function each, owning its transaction, its
audit entry (ids only) and its notices to both participants (hazard H22).

No double booking: the slot is checked against the clinician's availability inside the transaction, and the
database itself refuses a second booked visit at the same start (unique) or overlapping one (PostgreSQL
exclusion constraint, SQLite trigger; migration 0002). When two members race, the loser's IntegrityError
becomes a ``BookingError`` saying the time was just taken, and nothing of their attempt is kept (no care
relationship, no share).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.audit.record import record
from bounceback.care.access import active_relationship, is_active_clinician
from bounceback.care.actions import CareError, agree_to_care, share_with
from bounceback.care.models import CareRelationship
from bounceback.clinics.availability import offered
from bounceback.clinics.models import ClinicianProfile

from . import notify
from .access import booked_times, licensed_in, rules_of
from .models import Appointment, Status

REASON_MAX_LENGTH = 1000
TAKEN = "That time was just taken; choose another."
NOT_OFFERED = "That time is not available; choose another."


class BookingError(ValueError):
    """A booking, cancellation or change that cannot be made, naming the field and what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def _profile(clinician: User) -> ClinicianProfile:
    profile = ClinicianProfile.objects.filter(user_id=clinician.pk).first()
    if profile is None or not is_active_clinician(clinician) or not clinician.is_active:
        raise BookingError("clinician", "This clinician is not taking bookings at the moment.")
    return profile


def clean_reason(reason: str) -> str:
    text = (reason or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise BookingError("reason", "The reason has a character that can't be saved. Please retype it.")
    if len(text) > REASON_MAX_LENGTH:
        raise BookingError("reason", f"Keep the reason to {REASON_MAX_LENGTH} characters or fewer.")
    return text


def _check_slot(profile: ClinicianProfile, starts_at: datetime, now: datetime) -> datetime:
    """The visit's end when this start is offered now (read inside the caller's transaction)."""
    rules = rules_of(profile)
    slot = offered(rules, now, starts_at, booked_times(profile.user, now))
    if slot is not None:
        return slot.ends_at
    raise BookingError("start", TAKEN if offered(rules, now, starts_at) is not None else NOT_OFFERED)


def _insert(
    relationship: CareRelationship,
    member: User,
    clinician: User,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    share_id: int | None,
    now: datetime,
) -> Appointment:
    """Insert the booked visit; the database refuses a clash (unique start, no overlap) with IntegrityError."""
    return Appointment.objects.create(
        relationship=relationship,
        member=member,
        clinician=clinician,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        share_id=share_id,
        booked_at=now,
    )


@transaction.atomic
def _book(
    member: User,
    profile: ClinicianProfile,
    starts_at: datetime,
    reason: str,
    share_kinds: list[str],
    share_last_day: date | None,
    agree: bool,
    now: datetime,
) -> Appointment:
    clinician = profile.user
    ends_at = _check_slot(profile, starts_at, now)
    relationship = active_relationship(member, clinician)
    if relationship is None:
        if not agree:
            raise BookingError("agree", "To book a first visit, agree to start care with this clinician.")
        if not profile.accepting:
            raise BookingError("clinician", "This clinician is not taking new members at the moment.")
    try:
        relationship = agree_to_care(member, clinician)
        share = None
        if share_kinds:
            if share_last_day is None:
                raise BookingError("share_until", "Choose the last day to share until.")
            share = share_with(member, relationship, share_kinds, share_last_day, now=now)
    except CareError as exc:
        field = {"kinds": "share", "until": "share_until"}.get(exc.field, exc.field)
        raise BookingError(field, str(exc)) from None
    with transaction.atomic():  # a savepoint: on PostgreSQL the clash must not poison the outer transaction
        appointment = _insert(
            relationship, member, clinician, starts_at, ends_at, reason, share.pk if share else None, now
        )
    record(member, "visit.book", "appointment", str(appointment.public_id))
    return appointment


def book_visit(
    member: User,
    clinician: User,
    starts_at: datetime,
    reason: str = "",
    share_kinds: Iterable[str] = (),
    share_last_day: date | None = None,
    agree: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Book the slot starting at ``starts_at`` with this clinician, for this member.

    The slot must be offered now (checked again inside the transaction). A member not yet in the clinician's
    care must agree (``agree``, the checkbox on the first booking): that starts the relationship. What the member
    chose to share is shared until the end of ``share_last_day``. Raises ``BookingError`` naming the field.
    """
    now = now or timezone.now()
    if member.role != Role.MEMBER or not member.is_active:
        raise BookingError("member", "Only members can book visits.")
    text = clean_reason(reason)
    profile = _profile(clinician)
    if not licensed_in(profile, member.region):
        raise BookingError("clinician", "This clinician is not licensed where you live.")
    if starts_at.tzinfo is None:
        raise BookingError("start", NOT_OFFERED)
    try:
        appointment = _book(member, profile, starts_at, text, list(share_kinds), share_last_day, agree, now)
    except IntegrityError:
        raise BookingError("start", TAKEN) from None
    notify.booked(appointment, now)
    return appointment


def _cutoff(appointment: Appointment) -> timedelta:
    profile = ClinicianProfile.objects.filter(user_id=appointment.clinician_id).first()
    return timedelta(hours=profile.cancel_cutoff_hours if profile else 24)


def _side(actor: User, appointment: Appointment) -> str:
    if actor.pk == appointment.member_id:
        return "member"
    if actor.pk == appointment.clinician_id and is_active_clinician(actor):
        return "clinician"
    raise BookingError("visit", "No such visit.")


def _check_member_cutoff(appointment: Appointment, now: datetime, doing: str) -> None:
    cutoff = _cutoff(appointment)
    if now > appointment.starts_at - cutoff:
        hours = int(cutoff.total_seconds() // 3600)
        raise BookingError(
            "visit",
            f"Visits can be {doing} up to {hours} hours before they start. "
            "To change this one, send your clinician a message or call the clinic.",
        )


def _cancel_row(appointment: Appointment, by: str, now: datetime) -> bool:
    """Cancel in the database when still booked; True when this call did it."""
    changed = Appointment.objects.filter(pk=appointment.pk, status=Status.BOOKED).update(
        status=Status.CANCELLED, cancelled_at=now, cancelled_by=by, sequence=appointment.sequence + 1
    )
    if changed:
        appointment.refresh_from_db()
    return bool(changed)


def cancel_visit(actor: User, appointment: Appointment, now: datetime | None = None) -> bool:
    """Cancel a booked visit: the member up to the clinician's cut-off before it starts, the clinician at any
    time. Both are told. True when it was booked; cancelling twice is harmless."""
    now = now or timezone.now()
    by = _side(actor, appointment)
    if appointment.status != Status.BOOKED:
        return False
    if by == "member":
        _check_member_cutoff(appointment, now, "cancelled")
    with transaction.atomic():
        changed = _cancel_row(appointment, by, now)
        if changed:
            record(actor, "visit.cancel", "appointment", str(appointment.public_id))
    if changed:
        notify.cancelled(appointment)
    return changed


def reschedule_visit(
    member: User, appointment: Appointment, new_start: datetime, now: datetime | None = None
) -> Appointment:
    """Move the member's visit to another offered slot, in one transaction: the old one cancelled and linked to
    the new one (``rescheduled_to``), the reason and the share carried over. Refused after the cut-off; a time
    taken meanwhile leaves the old visit as it was."""
    now = now or timezone.now()
    if _side(member, appointment) != "member":
        raise BookingError("visit", "No such visit.")
    if appointment.status != Status.BOOKED:
        raise BookingError("visit", "This visit was cancelled; book a new one instead.")
    _check_member_cutoff(appointment, now, "moved")
    profile = _profile(appointment.clinician)
    if new_start.tzinfo is None:
        raise BookingError("start", NOT_OFFERED)
    try:
        with transaction.atomic():
            if not _cancel_row(appointment, "member", now):
                raise BookingError("visit", "This visit was cancelled; book a new one instead.")
            ends_at = _check_slot(profile, new_start, now)
            relationship = appointment.relationship
            if relationship.ended_at is not None:
                raise BookingError("visit", "This care has ended; book a new first visit instead.")
            with transaction.atomic():
                moved = _insert(
                    relationship,
                    appointment.member,
                    appointment.clinician,
                    new_start,
                    ends_at,
                    appointment.reason,
                    appointment.share_id,
                    now,
                )
            Appointment.objects.filter(pk=appointment.pk).update(rescheduled_to=moved)
            appointment.rescheduled_to = moved
            record(member, "visit.reschedule", "appointment", str(appointment.public_id))
    except IntegrityError:
        appointment.refresh_from_db()
        raise BookingError("start", TAKEN) from None
    except BookingError:
        appointment.refresh_from_db()
        raise
    notify.moved(appointment, moved, now)
    return moved

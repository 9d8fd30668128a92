"""Every read of clinics, their staff, invitations and clinicians' diaries. Functions take the user (never the
request) and raise the same ``Http404`` for missing and forbidden alike (hazard H13).

An administrator reads their own clinic only; a clinician their own profile and diary only; someone who is not
(or no longer) an active member of staff in that role reads nothing here. Other apps ask
``is_active_clinician`` and ``active_clinicians`` before letting a clinician near a member or onto the
directory: a deactivated clinician cannot be booked and reaches no member data.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from bounceback.accounts.models import Role, User

from . import tokens
from .models import Clinic, ClinicianProfile, Invitation, Staff, StaffRole, TimeOff, WeeklyHours

NOT_FOUND = "No such page"


def _is_uuid(value: str | uuid.UUID) -> bool:
    try:
        uuid.UUID(str(value))
    except (ValueError, TypeError, ValidationError):
        return False
    return True


def staff_of(user: User, role: str) -> Staff:
    """The user's active place in a clinic in this role, else 404."""
    expected = Role.OPERATOR if role == StaffRole.ADMIN else Role.CLINICIAN
    if not user.is_authenticated or user.role != expected:
        raise Http404(NOT_FOUND)
    staff = Staff.objects.select_related("clinic").filter(user_id=user.pk, role=role, active=True).first()
    if staff is None:
        raise Http404(NOT_FOUND)
    return staff


def clinic_of_admin(admin: User) -> Clinic:
    """The clinic this user administers (active administrators only)."""
    return staff_of(admin, StaffRole.ADMIN).clinic


def staff_list(admin: User) -> list[Staff]:
    """Everyone who works for the admin's clinic, administrators first, then by name."""
    clinic = clinic_of_admin(admin)
    return list(
        Staff.objects.filter(clinic=clinic)
        .select_related("user", "user__clinician_profile")
        .order_by("-role", "user__last_name", "user__first_name", "user__email")
    )


def get_staff(admin: User, user_public_id: str | uuid.UUID) -> Staff:
    """Someone of the admin's clinic, by their account's public id."""
    clinic = clinic_of_admin(admin)
    staff = (
        Staff.objects.select_related("clinic", "user")
        .filter(clinic=clinic, user__public_id=user_public_id)
        .first()
        if _is_uuid(user_public_id)
        else None
    )
    if staff is None:
        raise Http404(NOT_FOUND)
    return staff


def open_invitations(admin: User) -> list[Invitation]:
    """The clinic's invitations not yet accepted, withdrawn or expired, newest first."""
    clinic = clinic_of_admin(admin)
    return list(
        Invitation.objects.filter(
            clinic=clinic, accepted_at=None, withdrawn_at=None, expires_at__gt=timezone.now()
        ).order_by("-created_at")
    )


def get_invitation(admin: User, public_id: str | uuid.UUID) -> Invitation:
    clinic = clinic_of_admin(admin)
    invitation = (
        Invitation.objects.select_related("clinic").filter(clinic=clinic, public_id=public_id).first()
        if _is_uuid(public_id)
        else None
    )
    if invitation is None:
        raise Http404(NOT_FOUND)
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link names, whatever its state (the page says plainly whether it still works)."""
    if not tokens.looks_like_token(token):
        return None
    return Invitation.objects.select_related("clinic").filter(token_digest=tokens.digest(token)).first()


def account_exists(email: str) -> bool:
    """Whether an invitation's address already has an account (its holder signs in to accept; no second one)."""
    return User.objects.filter(email__iexact=email).exists()


def profile_of(clinician: User) -> ClinicianProfile:
    """The active clinician's own profile (made empty at their invitation; made now if missing)."""
    staff = staff_of(clinician, StaffRole.CLINICIAN)
    profile, _created = ClinicianProfile.objects.get_or_create(
        user=clinician,
        defaults={
            "display_name": clinician.get_full_name() or clinician.email.split("@")[0],
            "time_zone": staff.clinic.time_zone,
        },
    )
    return profile


def weekly_hours_of(clinician: User) -> list[WeeklyHours]:
    staff_of(clinician, StaffRole.CLINICIAN)
    return list(WeeklyHours.objects.filter(clinician_id=clinician.pk).order_by("weekday", "start"))


def time_off_of(clinician: User) -> list[TimeOff]:
    staff_of(clinician, StaffRole.CLINICIAN)
    return list(TimeOff.objects.filter(clinician_id=clinician.pk).order_by("first_day"))


def get_time_off(clinician: User, public_id: str | uuid.UUID) -> TimeOff:
    staff_of(clinician, StaffRole.CLINICIAN)
    time_off = (
        TimeOff.objects.filter(clinician_id=clinician.pk, public_id=public_id).first()
        if _is_uuid(public_id)
        else None
    )
    if time_off is None:
        raise Http404(NOT_FOUND)
    return time_off


def is_active_clinician(user: User) -> bool:
    """Whether this account may act as a clinician now: signed in, the account active, role clinician, an active
    place in a clinic. The one check every app asks (care, messaging, visits through care)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role == Role.CLINICIAN
        and Staff.objects.filter(user_id=user.pk, role=StaffRole.CLINICIAN, active=True).exists()
    )


def active_clinicians() -> QuerySet[User]:
    """Clinicians who can be found and booked: an active clinic place and a profile."""
    return User.objects.filter(
        role=Role.CLINICIAN,
        staff__role=StaffRole.CLINICIAN,
        staff__active=True,
        clinician_profile__isnull=False,
    )


def needs_region(member: User) -> bool:
    """Whether the member has yet to say where they live (find-care asks them first)."""
    return not member.region


def members_only(user: User) -> None:
    """Pages for members only (where they live): the same 404 for anyone else."""
    if not user.is_authenticated or user.role != Role.MEMBER:
        raise Http404(NOT_FOUND)

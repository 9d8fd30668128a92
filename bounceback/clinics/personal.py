"""What the clinics app keeps about a person: a staff member's place in a clinic, profile, weekly hours, time off
and invitation (``bounceback/datarights/registry.py``). Members have nothing here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db.models import Q

from bounceback.accounts.models import User

from .models import ClinicianProfile, Invitation, Staff, TimeOff, WeeklyHours

STAFF_COLUMNS = ("clinic__name", "role", "active", "joined_at")
PROFILE_COLUMNS = (
    "display_name",
    "credentials",
    "regions",
    "languages",
    "modalities",
    "bio",
    "time_zone",
    "slot_minutes",
    "buffer_minutes",
    "min_notice_hours",
    "horizon_days",
    "cancel_cutoff_hours",
    "response_hours",
    "accepting",
    "updated_at",
)
HOURS_COLUMNS = ("weekday", "start", "end")
TIME_OFF_COLUMNS = ("public_id", "first_day", "last_day")
INVITATION_COLUMNS = ("public_id", "email", "role", "created_at", "expires_at", "accepted_at")


def _invitations_of(user: User) -> Q:
    return Q(accepted_by_id=user.pk) | Q(email__iexact=user.email)


def _staff(user: User) -> Iterable[dict[str, object]]:
    return list(Staff.objects.filter(user_id=user.pk).values(*STAFF_COLUMNS))


def _profile(user: User) -> Iterable[dict[str, object]]:
    return list(ClinicianProfile.objects.filter(user_id=user.pk).values(*PROFILE_COLUMNS))


def _hours(user: User) -> Iterable[dict[str, object]]:
    return list(WeeklyHours.objects.filter(clinician_id=user.pk).values(*HOURS_COLUMNS))


def _time_off(user: User) -> Iterable[dict[str, object]]:
    return list(TimeOff.objects.filter(clinician_id=user.pk).order_by("first_day").values(*TIME_OFF_COLUMNS))


def _invitations(user: User) -> Iterable[dict[str, object]]:
    return list(
        Invitation.objects.filter(_invitations_of(user)).order_by("created_at").values(*INVITATION_COLUMNS)
    )


TABLES = (
    ("clinic_staff", Staff, STAFF_COLUMNS, _staff),
    ("clinician_profile", ClinicianProfile, PROFILE_COLUMNS, _profile),
    ("weekly_hours", WeeklyHours, HOURS_COLUMNS, _hours),
    ("time_off", TimeOff, TIME_OFF_COLUMNS, _time_off),
    ("invitations", Invitation, INVITATION_COLUMNS, _invitations),
)

ERASED = (Staff, ClinicianProfile, WeeklyHours, TimeOff, Invitation)


def erase(user: User) -> dict[str, int]:
    """A staff member's own rows. Invitations they sent stay with the clinic (the sender is cleared by SET NULL);
    the invitation that names them goes."""
    deleted: Counter[str] = Counter()
    deleted.update(Invitation.objects.filter(_invitations_of(user)).delete()[1])
    deleted.update(TimeOff.objects.filter(clinician_id=user.pk).delete()[1])
    deleted.update(WeeklyHours.objects.filter(clinician_id=user.pk).delete()[1])
    deleted.update(ClinicianProfile.objects.filter(user_id=user.pk).delete()[1])
    deleted.update(Staff.objects.filter(user_id=user.pk).delete()[1])
    return dict(deleted)

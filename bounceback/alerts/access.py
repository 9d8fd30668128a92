"""The one place safety alerts are looked up. Who may see one: the member's clinicians at that clinic, the
clinic's on-call person and its administrators (all active staff with two-factor sign-in). Missing and
forbidden are the same 404. Viewing is recorded in the audit trail; it is never acknowledging."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.care.models import CareRelationship
from bounceback.clinics.models import Clinic, Staff, StaffRole

from .models import Alert, OnCall

NOT_FOUND = "Not found"


def _staff(user: User) -> Staff | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Staff.objects.select_related("clinic").filter(user_id=user.pk, active=True).first()


def handles_alerts(user: User) -> bool:
    return _staff(user) is not None


def visible_to(user: User) -> QuerySet[Alert]:
    staff = _staff(user)
    if staff is None:
        return Alert.objects.none()
    of_clinic = Alert.objects.filter(clinic_id=staff.clinic_id)
    if (
        staff.role == StaffRole.ADMIN
        or OnCall.objects.filter(clinic_id=staff.clinic_id, user_id=user.pk).exists()
    ):
        return of_clinic
    members = CareRelationship.objects.active().filter(clinician_id=user.pk, clinic_id=staff.clinic_id)
    return of_clinic.filter(Q(member_id__in=members.values("member_id")))


def alerts_for(user: User, *, limit: int = 200) -> list[Alert]:
    """The alerts this person may handle: unacknowledged first, newest first within each."""
    rows = visible_to(user).select_related("member", "clinic", "acknowledged_by").prefetch_related("steps")
    return list(rows.order_by("acknowledged_at", "-raised_at")[:limit])


def get_alert(user: User, public_id: str | uuid.UUID, *, audit: str = "") -> Alert:
    try:
        found = visible_to(user).select_related("member", "clinic").filter(public_id=public_id).first()
    except (ValueError, TypeError, ValidationError):
        found = None
    if found is None:
        raise Http404(NOT_FOUND)
    if audit:
        record(user, audit, "alert", str(found.public_id))
    return found


def clinic_administered_by(user: User) -> Clinic:
    staff = _staff(user)
    if staff is None or staff.role != StaffRole.ADMIN:
        raise Http404(NOT_FOUND)
    return staff.clinic


def on_call_of(clinic: Clinic) -> OnCall | None:
    return OnCall.objects.select_related("user").filter(clinic=clinic).first()


def staff_of_clinic(clinic: Clinic) -> list[Staff]:
    return list(
        Staff.objects.filter(clinic=clinic, active=True).select_related("user").order_by("user__last_name")
    )

"""Who an alert reaches at each stage of its ladder, and which clinics an alert goes to for a member."""

from __future__ import annotations

from datetime import datetime, timedelta

from bounceback.accounts.models import Role, User
from bounceback.care.models import CareRelationship
from bounceback.clinics.models import Clinic, Staff, StaffRole

from .loop import Stage
from .models import Alert, OnCall

RECENTLY_ENDED = timedelta(days=30)
"""A member whose care at a clinic ended this recently still has their flags sent to that clinic's on-call."""


def clinics_caring_for(member: User, now: datetime) -> dict[int, tuple[Clinic, bool]]:
    """The clinics with the member in care (or recently so), and whether an active clinician there has them.
    Two queries, however many relationships."""
    relationships = list(
        CareRelationship.objects.filter(member_id=member.pk)
        .exclude(ended_at__lt=now - RECENTLY_ENDED)
        .select_related("clinic", "clinician")
    )
    active = _active_clinicians({r.clinic_id for r in relationships})
    found: dict[int, tuple[Clinic, bool]] = {}
    for relationship in relationships:
        caring = relationship.ended_at is None and _is_active(
            relationship.clinician, relationship.clinic_id, active
        )
        clinic, before = found.get(relationship.clinic_id, (relationship.clinic, False))
        found[relationship.clinic_id] = (clinic, before or caring)
    return found


def _active_clinicians(clinic_ids: set[int]) -> set[tuple[int, int]]:
    """(user id, clinic id) of the active clinicians of these clinics, in one query."""
    rows = Staff.objects.filter(clinic_id__in=clinic_ids, role=StaffRole.CLINICIAN, active=True)
    return set(rows.values_list("user_id", "clinic_id"))


def _is_active(user: User, clinic_id: int, active: set[tuple[int, int]]) -> bool:
    return user.is_active and user.role == Role.CLINICIAN and (user.pk, clinic_id) in active


def clinicians(alert: Alert) -> list[User]:
    relationships = CareRelationship.objects.active().filter(
        member_id=alert.member_id, clinic_id=alert.clinic_id
    )
    active = _active_clinicians({alert.clinic_id})
    return [
        r.clinician
        for r in relationships.select_related("clinician")
        if _is_active(r.clinician, alert.clinic_id, active)
    ]


def on_call(clinic_id: int) -> list[User]:
    chosen = OnCall.objects.filter(clinic_id=clinic_id).select_related("user").first()
    if chosen is None or not chosen.user.is_active:
        return []
    if not Staff.objects.filter(user_id=chosen.user_id, clinic_id=clinic_id, active=True).exists():
        return []
    return [chosen.user]


def administrators(clinic_id: int) -> list[User]:
    staff = Staff.objects.filter(clinic_id=clinic_id, role=StaffRole.ADMIN, active=True, user__is_active=True)
    return [s.user for s in staff.select_related("user")]


def recipients(alert: Alert, stage: Stage, *, repeat: bool = False) -> list[User]:
    """Who hears of the alert at this stage. Nobody at a stage means the next one up (never routed to no one):
    no clinician → on-call; no on-call → administrators. A repeat at the top reaches on-call and administrators."""
    people: list[User] = []
    if stage == Stage.CLINICIANS:
        people = clinicians(alert) or on_call(alert.clinic_id) or administrators(alert.clinic_id)
    elif stage == Stage.ON_CALL:
        people = on_call(alert.clinic_id) or administrators(alert.clinic_id)
    else:
        people = administrators(alert.clinic_id) + (on_call(alert.clinic_id) if repeat else [])
        people = people or on_call(alert.clinic_id)
    unique: dict[int, User] = {p.pk: p for p in people}
    return list(unique.values())


def may_handle(user: User, alert: Alert) -> bool:
    """Who may see and acknowledge an alert: its member's clinicians there, the on-call person, the
    administrators of the clinic."""
    return any(
        user.pk == p.pk
        for p in clinicians(alert) + on_call(alert.clinic_id) + administrators(alert.clinic_id)
    )

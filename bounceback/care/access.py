"""The one place where care relationships are looked up, and where a clinician reads a member's data.

Every clinician read of a member's data asks ``member_for_clinician`` first: it checks, on that request, that the
clinician is active, that the relationship is active and that a live share covers what is read; it records the
read in the member's access log and the audit trail. Missing and forbidden are the same 404 (hazards H13, H15).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.audit.record import record
from bounceback.clinics.models import Staff

from .models import CareRelationship, ClinicianRead, Kind, Share

NOT_FOUND = "Not found"
PROFILE = "profile"
"""A read of the fact that the member is in the clinician's care (name, relationship), not of shared data."""


def _uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, ValidationError, AttributeError):
        return None


def is_active_clinician(user: User) -> bool:
    """Signed in as a clinician whose account and place in a clinic are active."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role != Role.CLINICIAN:
        return False
    return Staff.objects.filter(user_id=user.pk, role="clinician", active=True).exists()


def active_relationship(member: User, clinician: User) -> CareRelationship | None:
    return CareRelationship.objects.active().filter(member_id=member.pk, clinician_id=clinician.pk).first()


def relationships_of_member(member: User) -> list[CareRelationship]:
    """The member's own relationships, active first, newest first."""
    if not member.is_authenticated:
        return []
    rows = CareRelationship.objects.filter(member_id=member.pk).select_related("clinician", "clinic")
    return sorted(rows, key=lambda r: (r.ended_at is not None, -r.agreed_at.timestamp()))


def relationships_of_clinician(clinician: User) -> list[CareRelationship]:
    """The active relationships of an active clinician (nobody else has any)."""
    if not is_active_clinician(clinician):
        return []
    return list(
        CareRelationship.objects.active()
        .filter(clinician_id=clinician.pk)
        .select_related("member")
        .order_by("agreed_at")
    )


def get_relationship_for_member(member: User, public_id: str | uuid.UUID) -> CareRelationship:
    wanted = _uuid(public_id)
    found = None
    if wanted is not None and member.is_authenticated:
        found = CareRelationship.objects.filter(public_id=wanted, member_id=member.pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def get_relationship_for_clinician(clinician: User, public_id: str | uuid.UUID) -> CareRelationship:
    """An active relationship of this active clinician, else 404."""
    wanted = _uuid(public_id)
    found = None
    if wanted is not None and is_active_clinician(clinician):
        found = CareRelationship.objects.active().filter(public_id=wanted, clinician_id=clinician.pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def is_participant(user: User, relationship: CareRelationship) -> bool:
    """The member, or the clinician while active: who may use the relationship's messages and visits."""
    if not user.is_authenticated:
        return False
    if user.pk == relationship.member_id:
        return True
    return user.pk == relationship.clinician_id and is_active_clinician(user)


def live_shares(relationship: CareRelationship, now: datetime | None = None) -> list[Share]:
    return list(Share.objects.live(now).filter(relationship_id=relationship.pk).order_by("until"))


def shared_kinds(relationship: CareRelationship, now: datetime | None = None) -> set[str]:
    """What the clinician may read now: the union of the live shares' kinds."""
    kinds: set[str] = set()
    for share in live_shares(relationship, now):
        kinds.update(share.kinds())
    return kinds


def get_share_for_member(member: User, public_id: str | uuid.UUID) -> Share:
    wanted = _uuid(public_id)
    found = None
    if wanted is not None and member.is_authenticated:
        found = (
            Share.objects.select_related("relationship")
            .filter(public_id=wanted, relationship__member_id=member.pk)
            .first()
        )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def _clinician_name(clinician: User) -> str:
    profile = getattr(clinician, "clinician_profile", None)
    return profile.display_name if profile is not None else clinician.get_full_name() or clinician.email


def member_for_clinician(
    clinician: User, member_public_id: str | uuid.UUID, what: str, now: datetime | None = None
) -> User:
    """The member, for a read of ``what`` (a ``Kind`` or ``PROFILE``) by this clinician, checked now; else 404.

    Records the read for the member's access log and in the audit trail (who, what, when; never content).
    """
    now = now or timezone.now()
    wanted = _uuid(member_public_id)
    if wanted is None or not is_active_clinician(clinician):
        raise Http404(NOT_FOUND)
    relationship = (
        CareRelationship.objects.active()
        .select_related("member")
        .filter(clinician_id=clinician.pk, member__public_id=wanted)
        .first()
    )
    if relationship is None:
        raise Http404(NOT_FOUND)
    if what != PROFILE:
        if what not in Kind.values:
            raise Http404(NOT_FOUND)
        covered = Share.objects.live(now).filter(relationship_id=relationship.pk).filter(Q(**{what: True}))
        if not covered.exists():
            raise Http404(NOT_FOUND)
    member = relationship.member
    ClinicianRead.objects.create(
        member=member, clinician=clinician, clinician_name=_clinician_name(clinician), what=what, at=now
    )
    record(clinician, f"care.read.{what}", "user", str(member.public_id))
    return member


def reads_of(member: User, limit: int = 500) -> list[ClinicianRead]:
    """The member's access log, newest first."""
    if not member.is_authenticated:
        return []
    return list(ClinicianRead.objects.filter(member_id=member.pk).order_by("-at", "-pk")[:limit])

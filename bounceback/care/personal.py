"""What the care app keeps about a member: their care relationships, what they shared and the log of clinicians'
reads of their data (``bounceback/datarights/registry.py``).

A clinician's account is never deleted while members are in their care (``CareRelationship.clinician`` is
PROTECT); the clinic deactivates it instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bounceback.accounts.models import User

from .models import CareRelationship, ClinicianRead, Share

RELATIONSHIP_COLUMNS = (
    "public_id",
    "clinician__clinician_profile__display_name",
    "clinic__name",
    "agreed_at",
    "ended_at",
    "ended_by",
)
SHARE_COLUMNS = (
    "public_id",
    "relationship__public_id",
    "results",
    "checkins",
    "safety_plan",
    "until",
    "created_at",
    "revoked_at",
)
READ_COLUMNS = ("clinician_name", "what", "at")


def _relationships(user: User) -> Iterable[dict[str, object]]:
    return list(
        CareRelationship.objects.filter(member_id=user.pk).order_by("agreed_at").values(*RELATIONSHIP_COLUMNS)
    )


def _shares(user: User) -> Iterable[dict[str, object]]:
    return list(
        Share.objects.filter(relationship__member_id=user.pk).order_by("created_at").values(*SHARE_COLUMNS)
    )


def _reads(user: User) -> Iterable[dict[str, object]]:
    return list(ClinicianRead.objects.filter(member_id=user.pk).order_by("at").values(*READ_COLUMNS))


TABLES = (
    ("care_relationships", CareRelationship, RELATIONSHIP_COLUMNS, _relationships),
    ("shares", Share, SHARE_COLUMNS, _shares),
    ("clinician_reads", ClinicianRead, READ_COLUMNS, _reads),
)

ERASED = (CareRelationship, Share, ClinicianRead)


def erase(user: User) -> dict[str, int]:
    deleted: Counter[str] = Counter()
    deleted.update(ClinicianRead.objects.filter(member_id=user.pk).delete()[1])
    deleted.update(CareRelationship.objects.filter(member_id=user.pk).delete()[1])
    return dict(deleted)

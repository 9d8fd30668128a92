"""What the dashboard keeps about a person (``bounceback/datarights/registry.py``): the measures clinicians asked
a member to answer, with who asked, how often, why, and when it started and stopped.

A clinician's account is never deleted while members are in their care (``Assignment.clinician`` is PROTECT,
like the care relationship); the clinic deactivates it instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bounceback.accounts.models import User

from .models import Assignment

ASSIGNMENT_COLUMNS = (
    "public_id",
    "relationship__public_id",
    "clinician_name",
    "instrument",
    "every_days",
    "reason",
    "created_at",
    "stopped_at",
)


def _assignments(user: User) -> Iterable[dict[str, object]]:
    rows = (
        Assignment.objects.filter(member_id=user.pk)
        .select_related("relationship", "clinician", "clinician__clinician_profile")
        .order_by("created_at", "pk")
    )
    found = []
    for a in rows:
        profile = getattr(a.clinician, "clinician_profile", None)
        found.append(
            {
                "public_id": a.public_id,
                "relationship__public_id": a.relationship.public_id,
                "clinician_name": profile.display_name
                if profile is not None
                else a.clinician.get_full_name(),
                "instrument": a.instrument,
                "every_days": a.every_days,
                "reason": a.reason,
                "created_at": a.created_at,
                "stopped_at": a.stopped_at,
            }
        )
    return found


TABLES = (("assigned_measures", Assignment, ASSIGNMENT_COLUMNS, _assignments),)

ERASED = (Assignment,)


def erase(user: User) -> dict[str, int]:
    deleted: Counter[str] = Counter()
    deleted.update(Assignment.objects.filter(member_id=user.pk).delete()[1])
    return dict(deleted)

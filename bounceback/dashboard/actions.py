"""Every write of the dashboard: a clinician assigns measures to a member in their care, or stops them. Each one
function owning its transaction and its audit entry (ids and fixed verbs only; never the reason)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.care.models import CareRelationship
from bounceback.reminders.rules import INSTRUMENTS, INTERVALS

from .models import REASON_MAX, Assignment


class AssignError(ValueError):
    """An assignment that cannot be made, naming the field and what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def clean_reason(text: str) -> str:
    reason = " ".join(str(text).split())
    if len(reason) > REASON_MAX:
        raise AssignError("reason", f"Keep the reason to {REASON_MAX} characters or fewer.")
    if any(ord(c) < 32 for c in reason):
        raise AssignError("reason", "The reason has characters that cannot be shown.")
    return reason


@transaction.atomic
def assign(
    clinician: User,
    relationship: CareRelationship,
    instruments: Iterable[str],
    every_days: int,
    reason: str,
    now: datetime | None = None,
) -> list[Assignment]:
    """Ask the member to answer these measures every ``every_days``: one row per measure; a measure already
    assigned in this relationship is replaced (the old one stopped)."""
    now = now or timezone.now()
    chosen = [i for i in INSTRUMENTS if i in set(instruments)]
    if not chosen or len(chosen) != len(set(instruments)):
        raise AssignError("instruments", "Choose at least one measure from the list.")
    if every_days not in INTERVALS:
        raise AssignError("every_days", "Choose how often from the list.")
    text = clean_reason(reason)
    locked = CareRelationship.objects.select_for_update().filter(pk=relationship.pk).first()
    if locked is None or locked.ended_at is not None or locked.clinician_id != clinician.pk:
        raise AssignError("instruments", "This member is no longer in your care.")
    Assignment.objects.current().filter(relationship_id=relationship.pk, instrument__in=chosen).update(
        stopped_at=now
    )
    made = Assignment.objects.bulk_create(
        [
            Assignment(
                relationship=relationship,
                member_id=relationship.member_id,
                clinician=clinician,
                instrument=i,
                every_days=every_days,
                reason=text,
                created_at=now,
            )
            for i in chosen
        ]
    )
    for assignment in made:
        record(clinician, "dashboard.assign", "assignment", str(assignment.public_id))
    return made


@transaction.atomic
def stop(clinician: User, assignment: Assignment, now: datetime | None = None) -> bool:
    """Stop one assigned measure (the member's own schedule is unchanged). False when it had already stopped."""
    done = Assignment.objects.filter(
        pk=assignment.pk, clinician_id=clinician.pk, stopped_at__isnull=True
    ).update(stopped_at=now or timezone.now())
    if done:
        record(clinician, "dashboard.unassign", "assignment", str(assignment.public_id))
    return bool(done)

"""What the safety plan app keeps about a member (their plan, each entry decrypted for its owner): its part of
the member's export and of the account deletion (``bounceback/datarights/registry.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from bounceback.accounts.models import User

from .models import SafetyPlan, SafetyPlanEntry

PLAN_COLUMNS = ("public_id", "created_at", "changed_at", "reviewed_at")
ENTRY_COLUMNS = ("public_id", "step", "position", "text", "phone", "created_at", "updated_at")


def _plans(user: User) -> Iterable[dict[str, object]]:
    for plan in SafetyPlan.objects.of_owner(user.pk):
        yield {column: getattr(plan, column) for column in PLAN_COLUMNS}


def _entries(user: User) -> Iterable[dict[str, object]]:
    # Model instances, not .values(): the text and phone number are decrypted by their field.
    for entry in SafetyPlanEntry.objects.filter(plan__owner_id=user.pk).order_by("step", "position"):
        yield {column: getattr(entry, column) for column in ENTRY_COLUMNS}


TABLES = (
    ("safety_plans", SafetyPlan, PLAN_COLUMNS, _plans),
    ("safety_plan_entries", SafetyPlanEntry, ENTRY_COLUMNS, _entries),
)

ERASED = (SafetyPlan, SafetyPlanEntry)


def erase(user: User) -> dict[str, int]:
    return dict(SafetyPlan.objects.of_owner(user.pk).delete()[1])

"""The one place a member's safety plan is looked up. Missing and forbidden are the same 404 (hazard H13).

Functions take the user, not the request, so the views, the API, workers and commands share them. A safety
plan belongs to its owner: nobody else reads one, except a clinician the member shares it with, through
``care.access`` (which checks the share on every read and logs it for the member) calling ``shared_plan_of``.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404

from bounceback.accounts.models import User
from bounceback.audit.record import record

from .actions import keeps_safety_plan
from .models import SafetyPlan, SafetyPlanEntry
from .steps import STEP_IDS

NOT_FOUND = "No such safety plan"


def members_only(user: User) -> None:
    """The same 404 as anything missing for anyone who does not keep a safety plan."""
    if not keeps_safety_plan(user):
        raise Http404(NOT_FOUND)


def plan_of(user: User, *, audit: str = "") -> SafetyPlan | None:
    """The member's own plan, or None before they have written anything in it."""
    members_only(user)
    plan = SafetyPlan.objects.of_owner(user.pk).first()
    if plan is not None and audit:
        record(user, audit, "safetyplan", str(plan.public_id))
    return plan


def get_plan(user: User, public_id: str | uuid.UUID, *, audit: str = "") -> SafetyPlan:
    """The member's own plan with this public id, else ``Http404`` (the same for missing and forbidden)."""
    members_only(user)
    try:
        plan = SafetyPlan.objects.of_owner(user.pk).filter(public_id=public_id).first()
    except (ValueError, TypeError, ValidationError):  # not a UUID: as missing as any other
        plan = None
    if plan is None:
        raise Http404(NOT_FOUND)
    if audit:
        record(user, audit, "safetyplan", str(plan.public_id))
    return plan


def get_entry(user: User, public_id: str | uuid.UUID) -> SafetyPlanEntry:
    """One entry of the member's own plan, else ``Http404`` (the same for missing and forbidden)."""
    members_only(user)
    try:
        entry = (
            SafetyPlanEntry.objects.select_related("plan")
            .filter(public_id=public_id, plan__owner_id=user.pk)
            .first()
        )
    except (ValueError, TypeError, ValidationError):
        entry = None
    if entry is None:
        raise Http404(NOT_FOUND)
    return entry


def entries_by_step(user: User, plan: SafetyPlan | None) -> dict[str, list[SafetyPlanEntry]]:
    """The plan's entries, step by step in the plan's order, each step's in the order they were added."""
    members_only(user)
    found: dict[str, list[SafetyPlanEntry]] = {step: [] for step in STEP_IDS}
    if plan is None:
        return found
    if plan.owner_id != user.pk:
        raise Http404(NOT_FOUND)
    for entry in SafetyPlanEntry.objects.filter(plan=plan).order_by("position"):
        found[entry.step].append(entry)
    return found


def shared_plan_of(member: User) -> dict[str, list[SafetyPlanEntry]]:
    """A member's plan entries step by step, read only and without an audit entry of its own: for
    ``care.access`` alone, after it has checked that the member shares their plan with the reader now and has
    recorded that reader's read. Empty steps when the member has no plan (or is not a member)."""
    if not keeps_safety_plan(member):
        return {step: [] for step in STEP_IDS}
    return entries_by_step(member, SafetyPlan.objects.of_owner(member.pk).first())

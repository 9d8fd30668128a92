"""A member's personal safety plan: one per member, its entries encrypted at rest (the text and any phone
number). The structure (steps, bounds) is in ``steps.py``; writes go through ``actions.py``."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bounceback.secure.fields import EncryptedTextField

from .steps import CONTACT_STEPS, STEPS


class SafetyPlanQuerySet(models.QuerySet["SafetyPlan"]):
    def of_owner(self, owner_id: int) -> SafetyPlanQuerySet:
        return self.filter(owner_id=owner_id)


class SafetyPlan(models.Model):
    """The plan itself: who it belongs to and when it last changed. The public id is opaque (hazard H13)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(default=timezone.now)
    """When an entry was last added, changed or removed."""
    reviewed_at = models.DateTimeField(default=timezone.now)
    """When the member last changed the plan or said it is still right (hazard H31)."""

    objects = SafetyPlanQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Safety plan {self.public_id}"  # never the content


class SafetyPlanEntry(models.Model):
    """One line of one step, in the member's own words (encrypted), with a phone number for contacts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="entries")
    step = models.CharField(max_length=32, choices=[(s.id, s.heading) for s in STEPS])
    position = models.PositiveSmallIntegerField()
    text = EncryptedTextField()
    phone = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "step", "position"], name="safetyplan_entry_one_per_place"
            ),
            models.CheckConstraint(
                condition=Q(step__in=[s.id for s in STEPS]), name="safetyplan_entry_known_step"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="safetyplan_entry_has_text"),
            models.CheckConstraint(
                condition=Q(phone="") | Q(step__in=CONTACT_STEPS), name="safetyplan_entry_phone_for_contacts"
            ),
        ]
        ordering = ["plan", "step", "position"]

    def __str__(self) -> str:
        return f"Safety plan entry {self.public_id}"  # never the content

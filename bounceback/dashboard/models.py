"""Measures a clinician asked a member in their care to answer on a schedule.

One row per instrument: the clinician's reason is shown to the member (encrypted at rest: it is about the
member's care). An assignment applies while it is not stopped and its care relationship is active; ending care
stops it at once, because the reminders' source (``assigned.py``) reads only active relationships.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bounceback.reminders.rules import INSTRUMENT_NAMES, INTERVALS
from bounceback.secure.fields import EncryptedTextField

REASON_MAX = 300


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self) -> AssignmentQuerySet:
        """Not stopped, in a care relationship that has not ended."""
        return self.filter(stopped_at__isnull=True, relationship__ended_at__isnull=True)


class Assignment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        "care.CareRelationship", on_delete=models.CASCADE, related_name="assignments"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assigned_measures"
    )
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField(max_length=16, choices=list(INSTRUMENT_NAMES.items()))
    every_days = models.PositiveSmallIntegerField(choices=[(n, f"Every {n} days") for n in INTERVALS])
    reason = EncryptedTextField(blank=True, default="")
    """Why, in the clinician's words (at most 300 characters), shown to the member."""
    created_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "instrument"],
                condition=Q(stopped_at__isnull=True),
                name="one_live_assignment_per_instrument",
            )
        ]

    def __str__(self) -> str:
        return f"assignment {self.public_id}"

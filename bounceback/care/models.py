"""Care relationships between a member and a clinician, what the member shares with them, and the member's
log of every read of their data by a clinician.

A relationship starts only when the member agrees. What the clinician may read is the union of the member's
live shares in that relationship: a share names the kinds of data and an end, and a revoked or ended share stops
access on the clinician's next request, because every clinician read asks ``care.access`` (hazard H15).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    """What a member may share. Fixed words: they also name reads in the member's access log."""

    RESULTS = "results", "Check-up results and progress"
    CHECKINS = "checkins", "Daily check-ins"
    SAFETY_PLAN = "safety_plan", "Safety plan"


class RelationshipQuerySet(models.QuerySet["CareRelationship"]):
    def active(self) -> RelationshipQuerySet:
        return self.filter(ended_at__isnull=True)


class CareRelationship(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_as_member"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_as_clinician"
    )
    """PROTECT: a clinician's account is never deleted from under the members in their care (the clinic
    deactivates it instead)."""
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="relationships")
    agreed_at = models.DateTimeField(default=timezone.now)
    """When the member agreed to start care with this clinician."""
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=20, blank=True, help_text="member or clinician")

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "clinician"],
                condition=Q(ended_at__isnull=True),
                name="one_active_care_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"care {self.public_id}"


class ShareQuerySet(models.QuerySet["Share"]):
    def live(self, now: object = None) -> ShareQuerySet:
        moment = now or timezone.now()
        return self.filter(revoked_at__isnull=True, until__gt=moment, relationship__ended_at__isnull=True)


class Share(models.Model):
    """One grant: these kinds of data, to this relationship's clinician, until then (or until revoked)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(CareRelationship, on_delete=models.CASCADE, related_name="shares")
    results = models.BooleanField(default=False)
    checkins = models.BooleanField(default=False)
    safety_plan = models.BooleanField(default=False)
    until = models.DateTimeField()
    """The end of the member's chosen last day, in the member's time zone, stored in UTC."""
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareQuerySet.as_manager()

    def __str__(self) -> str:
        return f"share {self.public_id}"

    def kinds(self) -> list[str]:
        return [kind for kind in Kind.values if getattr(self, kind)]


class ClinicianRead(models.Model):
    """One read of a member's data by a clinician, for the member's own access log (who, what, when)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reads_of_me")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    clinician_name = models.CharField(max_length=160)
    """Kept as text so the log still says who read after the clinician's account is gone."""
    what = models.CharField(max_length=40)
    """A fixed word: one of ``Kind`` or "profile" (that the member is in their care); never content."""
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["member", "at"])]

    def __str__(self) -> str:
        return f"{self.clinician_name} read {self.what} at {self.at:%Y-%m-%d %H:%M}"

"""Safety alerts to clinicians (hazards H05–H08): one per check-up and clinic, its place on the escalation ladder
(``loop.py``), who acknowledged it with what action, and the follow-up contact; each notice sent is a step.

The note is free text about a person in crisis: encrypted at rest. Nothing else here holds health data beyond
the kind of flag (which is what the alert is).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from bounceback.secure.fields import EncryptedTextField

from .loop import ACTION_LABELS, KIND_RANK, Action, Stage


class AlertQuerySet(models.QuerySet["Alert"]):
    def unacknowledged(self) -> AlertQuerySet:
        return self.filter(acknowledged_at__isnull=True)


class Alert(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkup = models.ForeignKey("checkups.CheckUp", on_delete=models.CASCADE, related_name="alerts")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts_about_me"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=30, choices=[(k, k) for k in KIND_RANK])
    """The strongest safety event kind of the check-up so far."""
    raised_at = models.DateTimeField(default=timezone.now, db_index=True)
    stage = models.PositiveSmallIntegerField(
        default=Stage.CLINICIANS, choices=[(s.value, s.name) for s in Stage]
    )
    notified_at = models.DateTimeField(default=timezone.now)
    rounds = models.PositiveSmallIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(
        max_length=20, blank=True, choices=[(a.value, ACTION_LABELS[a]) for a in Action]
    )
    note = EncryptedTextField(blank=True, default="")
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    follow_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkup", "clinic"], name="one_alert_per_checkup_and_clinic")
        ]
        indexes = [models.Index(fields=["clinic", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"alert {self.public_id}"


class AlertStep(models.Model):
    """One notice of an alert: to whom (the stage), when, and how many people it reached."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(default=timezone.now)
    stage = models.PositiveSmallIntegerField(choices=[(s.value, s.name) for s in Stage])
    repeat = models.BooleanField(default=False)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"step {self.stage} of {self.alert_id}"


class OnCall(models.Model):
    """Who is on call for a clinic's safety alerts: one of its staff, chosen by an administrator."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.CASCADE, related_name="on_call")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"on call for {self.clinic_id}"

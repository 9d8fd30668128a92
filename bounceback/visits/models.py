"""Appointments (booked slots), and what a visit leaves behind: the after-visit summary the member reads and the
clinician's notes, both encrypted at rest.

No double booking, on either database: a booked appointment is unique per (clinician, start), and overlapping
booked appointments of one clinician are refused by the database itself: on PostgreSQL an exclusion constraint
over the time range (btree_gist), on SQLite a trigger (migration 0002). Cancelled appointments free their time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bounceback.secure.fields import EncryptedTextField


class Status(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def booked(self) -> AppointmentQuerySet:
        return self.filter(status=Status.BOOKED)


class Appointment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(
        "care.CareRelationship", on_delete=models.CASCADE, related_name="appointments"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visits_as_member"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits_as_clinician"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    reason = EncryptedTextField(blank=True, default="")
    """The member's reason for the visit, in their words (health data: encrypted, never in a notification)."""
    share = models.ForeignKey(
        "care.Share", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    """What the member shared for this visit."""
    room = models.CharField(max_length=64, default="", blank=True)
    """An unguessable room name for an external meeting service (empty for Bounceback's own video)."""
    sequence = models.PositiveIntegerField(default=0)
    """The ICS SEQUENCE: raised at each change so calendars update the event."""
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=20, blank=True, help_text="member or clinician")
    rescheduled_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rescheduled_from"
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinician", "starts_at"],
                condition=Q(status="booked"),
                name="one_booking_per_clinician_start",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="appointment_in_order"
            ),
        ]
        indexes = [
            models.Index(fields=["clinician", "starts_at"]),
            models.Index(fields=["member", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"appointment {self.public_id}"


class VisitNote(models.Model):
    """What a visit leaves: a summary written for the member, and the clinician's own notes (shown to the member
    only once the clinician shares them)."""

    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="note")
    summary = EncryptedTextField(blank=True, default="")
    summary_published_at = models.DateTimeField(null=True, blank=True)
    notes = EncryptedTextField(blank=True, default="")
    notes_shared_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"note of {self.appointment}"  # never the content

"""Clinics, their staff (clinicians and administrators), invitations, clinician profiles and availability.

Availability is stored the way the clinician thinks of it: weekly hours as wall-clock times in the clinician's
IANA time zone, and time off as whole local days. Bookable instants are computed from these for each date
(``availability.py``), so a daylight-saving change never shifts a clinician's 09:00 (hazard H22).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Clinic(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA time zone, e.g. America/New_York."
    )
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    on_call_name = models.CharField(max_length=120, blank=True, help_text="Who is on call for safety alerts.")
    on_call_phone = models.CharField(max_length=40, blank=True)
    on_call_email = models.EmailField(blank=True)
    phone = models.CharField(
        max_length=40, blank=True, help_text="The clinic's number, offered when a video visit cannot connect."
    )
    acute_alert_minutes = models.PositiveIntegerField(
        default=60, help_text="An unacknowledged acute safety alert escalates after this many minutes."
    )
    non_acute_alert_minutes = models.PositiveIntegerField(
        default=24 * 60,
        help_text="An unacknowledged non-acute safety alert escalates after this many minutes.",
    )
    on_call_around_the_clock = models.BooleanField(
        default=False,
        help_text="Whether someone answers safety alerts at all hours (members are told honestly).",
    )
    external_meeting_url = models.CharField(
        max_length=300,
        blank=True,
        help_text="Leave empty for Bounceback's own video visits. Otherwise an https address of the clinic's meeting "
        "service with {room} where each visit's unguessable room name goes, e.g. https://meet.example.org/{room}.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class StaffRole(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    ADMIN = "admin", "Clinic administrator"


class Staff(models.Model):
    """Someone who works for a clinic: a clinician or an administrator (one clinic each)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return f"{self.user} ({self.role}, {self.clinic})"


class Modality(models.TextChoices):
    VIDEO = "video", "Video visits"
    MESSAGING = "messaging", "Secure messaging"


class ClinicianProfile(models.Model):
    """What members see when choosing a clinician, and how the clinician's diary works."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician_profile"
    )
    display_name = models.CharField(max_length=120)
    credentials = models.CharField(max_length=60, blank=True, help_text="e.g. LCSW, PsyD, FNP, MD.")
    regions = models.JSONField(default=list, blank=True, help_text="ISO 3166-2 codes where licensed.")
    languages = models.JSONField(default=list, blank=True, help_text="Language names, e.g. English, Spanish.")
    modalities = models.JSONField(default=list, blank=True)
    bio = models.TextField(max_length=1200, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", help_text="IANA zone of the weekly hours.")
    slot_minutes = models.PositiveSmallIntegerField(default=50)
    buffer_minutes = models.PositiveSmallIntegerField(default=10, help_text="Free time after each visit.")
    min_notice_hours = models.PositiveSmallIntegerField(default=12)
    horizon_days = models.PositiveSmallIntegerField(default=28)
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Members may cancel or reschedule up to this many hours before a visit."
    )
    response_hours = models.PositiveSmallIntegerField(
        default=48, help_text="The time within which the clinician answers messages (shown to members)."
    )
    accepting = models.BooleanField(default=True, help_text="Shown to members looking for care.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.display_name

    @property
    def step(self) -> timedelta:
        """The distance between slot starts: the visit and the buffer after it."""
        return timedelta(minutes=self.slot_minutes + self.buffer_minutes)


class WeeklyHours(models.Model):
    """A block of working time on one weekday, wall-clock in the clinician's zone (Monday is 0)."""

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=[(n, d) for n, d in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])])  # fmt: skip
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        verbose_name_plural = "weekly hours"
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="weekly_hours_start_before_end"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekly_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class TimeOff(models.Model):
    """Whole local days (inclusive) when the clinician takes no visits: leave blocks slots."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off")
    first_day = models.DateField()
    last_day = models.DateField()

    class Meta:
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(condition=Q(first_day__lte=models.F("last_day")), name="time_off_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.first_day} to {self.last_day}"


class Invitation(models.Model):
    """A one-time link an administrator sends to a new clinician or administrator. Only the token's SHA-256 is
    stored; the link expires and works once."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=StaffRole.choices, default=StaffRole.CLINICIAN)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation {self.public_id}"

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > moment  # type: ignore[operator]

"""People who use Bounceback: members, clinicians and operators."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    CLINICIAN = "clinician", "Clinician"
    OPERATOR = "operator", "Clinic operator"
    RESEARCHER = "researcher", "Researcher"


class User(AbstractUser):
    """A person with an account. The public id is opaque (hazard H13: ids are never sequential in URLs)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    country = models.CharField(
        max_length=2,
        blank=True,
        help_text="ISO 3166-1 alpha-2 code, chosen by the person; sets crisis resources.",
    )
    region = models.CharField(
        max_length=6,
        blank=True,
        default="",
        db_default="",  # a server still running the code of before (a rolling deploy) inserts without it
        help_text="ISO 3166-2 subdivision (e.g. US-NY), chosen by the member: who may treat them is licensed by it.",
    )
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="IANA time zone, e.g. America/New_York."
    )
    adult_confirmed_at = models.DateTimeField(null=True, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_version = models.CharField(max_length=20, blank=True)

    @property
    def needs_two_factor(self) -> bool:
        """Clinicians, operators, staff and superusers must sign in with a second factor."""
        return self.role in settings.BOUNCEBACK_MFA_ROLES or self.is_staff or self.is_superuser

    def __str__(self) -> str:
        return self.email or self.username

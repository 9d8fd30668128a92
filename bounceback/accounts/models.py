"""People who use Bounceback: members, clinicians and operators."""

from __future__ import annotations

import uuid

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

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    def __str__(self) -> str:
        return self.email or self.username

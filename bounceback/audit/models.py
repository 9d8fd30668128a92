"""Who read or wrote which health record, and when. Never what it contains (hazard H18)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    """The signed-in actor, by primary key. Not a database constraint, and nothing happens to audit rows when
    the account is deleted: the trail is append-only (PostgreSQL refuses UPDATE and DELETE on it), so neither
    CASCADE nor SET_NULL could run. Primary keys are never reused (AUTOINCREMENT, identity columns)."""
    actor_public_id = models.CharField(max_length=64, blank=True, default="")
    """The actor's opaque public id, kept as text so it outlives the account."""
    actor_kind = models.CharField(max_length=20)
    """member, visitor, clinician, operator, system."""
    action = models.CharField(max_length=60)
    """A fixed verb such as "checkup.answer.write"; never free text."""
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    """The target's opaque public id."""

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_kind} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

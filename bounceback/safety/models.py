"""Safety events: the record that a person's answers raised a suicide-risk flag (hazards H04, H05).

Append-only: an event is never edited or deleted, so changing an answer back to 0 keeps the event. One event
per check-up and kind; a later, stronger signal is a new event of its own kind.

Two deliberate exceptions, each a queryset delete: ``checkups.actions.purge_abandoned_visitor_checkups``
deletes the check-ups a visitor started and never added to an account, once abandoned, and their events with them
(nobody is there to follow them up), and ``checkups.personal.erase`` deletes a member's events when they delete
their account (``datarights.actions.delete_account``; see docs/operators.md). The guard below is the model's; the
database itself does not refuse a DELETE on this table, as it does on the audit trail.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models


class SafetyKind(models.TextChoices):
    SUICIDAL_IDEATION = "suicidal_ideation", "PHQ-9 item 9 answered above “Not at all”"
    SUICIDE_RISK = "suicide_risk", "ASQ positive screen"
    ACUTE_SUICIDE_RISK = "acute_suicide_risk", "ASQ acute positive screen"


class SafetyEvent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    checkup = models.ForeignKey("checkups.CheckUp", on_delete=models.PROTECT, related_name="safety_events")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="safety_events",
    )
    kind = models.CharField(max_length=30, choices=SafetyKind.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkup", "kind"], name="one_safety_event_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("update_fields") == ["user"]:
            raise ValueError("safety events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("safety events are never deleted")

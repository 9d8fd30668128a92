"""Check-ups and their raw answers. Results are derived from the answers, never stored in their place."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from bounceback.instruments import get

LIFE_EVENTS = (
    ("loss", "Losing someone I love"),
    ("breakup", "A breakup or divorce"),
    ("disaster", "A natural disaster"),
    ("illness", "A medical emergency or illness"),
    ("job_loss", "Losing a job"),
    ("money", "Money trouble"),
    ("tragedy", "Surviving or witnessing a tragedy"),
    ("pandemic", "A pandemic"),
    ("other", "Something else"),
)
LIFE_EVENT_CODES = frozenset(code for code, _label in LIFE_EVENTS)


class CheckUp(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="checkups"
    )
    visitor_key = models.CharField(max_length=64, blank=True, db_index=True)
    """SHA-256 of the secret a visitor's browser holds; emptied when the check-up is claimed by an account."""
    context = models.JSONField(default=list, blank=True)
    """What the person is going through (LIFE_EVENTS codes): tailors the plan, never scored."""
    declined = models.JSONField(default=list, blank=True)
    """Offered follow-ups the person chose not to take (battery step ids, e.g. "pcl5")."""
    country = models.CharField(max_length=2, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    safe_confirmed_at = models.DateTimeField(null=True, blank=True)
    """When the person confirmed they are safe right now, after a suicide-risk flag."""

    class Meta:
        indexes = [models.Index(fields=["owner", "-started_at"])]

    def __str__(self) -> str:
        return f"check-up {self.public_id}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    def answer_map(self) -> dict[str, int]:
        return {a.item_id: a.value for a in self.answers.all()}


class Answer(models.Model):
    """One item's answer, saved the moment it is given; unique per check-up and item (upserted)."""

    checkup = models.ForeignKey(CheckUp, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=32)
    instrument_id = models.CharField(max_length=16)
    instrument_version = models.PositiveSmallIntegerField()
    value = models.SmallIntegerField()
    declined = models.BooleanField(default=False)
    """The person chose "I'd rather not answer" (ASQ: recorded as "yes", the toolkit's rule)."""
    revision = models.PositiveIntegerField(default=1)
    """Bumped on every change; a write based on an older revision is refused (a stale tab, hazard H16)."""
    writer = models.CharField(max_length=32, blank=True)
    """The page (one load of one tab) that last wrote it: a page never conflicts with its own writes."""
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkup", "item_id"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item_id} in {self.checkup_id}"

    @staticmethod
    def instrument_of(item_id: str) -> tuple[str, int]:
        instrument_id = item_id.rsplit("_", 1)[0]
        return instrument_id, get(instrument_id).version

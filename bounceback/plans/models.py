from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class MindfulnessSession(models.Model):
    """A completed guided practice with the built-in timer. The public id is opaque (hazard H13)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice")
    minutes = models.PositiveSmallIntegerField()
    completed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.minutes} min at {self.completed_at:%Y-%m-%d}"

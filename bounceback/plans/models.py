from __future__ import annotations

from django.conf import settings
from django.db import models


class MindfulnessSession(models.Model):
    """A completed guided practice with the built-in timer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice")
    minutes = models.PositiveSmallIntegerField()
    completed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.minutes} min at {self.completed_at:%Y-%m-%d}"

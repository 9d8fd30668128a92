"""What the two browsers of a video visit say to each other through Bounceback to connect, and who is in the
room.

A ``Signal`` is one message from one participant's browser to the other's: hello, an offer or answer (SDP), a
network candidate (ICE), or bye. Ids only grow, so a browser asks for "everything after the last one I saw".
(A browser reads only the other side's signals, and each browser sends one at a time, waiting for the answer,
so the ids of one sender's signals are committed in order: "after the last one I saw" never skips one, even on
PostgreSQL, where ids are handed out before commit.) ``Presence`` says who is in the room, when their browser last asked for news and what it says of its own
connection (the other side shows it in words). Neither holds health data; both are deleted when the room
closes, and signals in any case after ``window.SIGNAL_RETENTION`` (``actions.purge``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Signal(models.Model):
    id = models.BigAutoField(primary_key=True)
    appointment = models.ForeignKey("visits.Appointment", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    payload = models.TextField(blank=True, default="")
    """Checked JSON (``signals.check``): never logged, never shown."""
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["appointment", "id"])]

    def __str__(self) -> str:
        return f"signal {self.pk} ({self.kind})"  # never the payload


class Presence(models.Model):
    appointment = models.ForeignKey("visits.Appointment", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, default="joining")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "user"], name="one_presence_per_person_and_visit")
        ]

    def __str__(self) -> str:
        return f"presence {self.pk}"

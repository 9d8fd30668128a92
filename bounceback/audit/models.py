"""Who read or wrote which health record, and when. Never what it contains (hazard H18).

Entries are hash-chained (``chain.py`` documents the canonical form); ``ChainHead`` is the chain's one-row head,
which ``record()`` updates first so that appends queue behind each other and never fork the chain.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    """Set by ``record()`` before the hash is computed (so not ``auto_now_add``, which would set it later)."""
    sequence = models.PositiveBigIntegerField(unique=True)
    """1, 2, 3, … with no gaps, in the order entries were appended."""
    prev_hash = models.CharField(max_length=64)
    """The previous entry's ``hash`` (64 zeros for entry 1)."""
    hash = models.CharField(max_length=64)
    """SHA-256 of this entry's canonical form (``chain.py``), 64 lowercase hex digits."""
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


class ChainHead(models.Model):
    """The one row (id 1) holding the last entry's sequence number.

    ``record()`` updates it first, so each append takes the row's lock (PostgreSQL) or the database's write lock
    (SQLite) before it reads the previous entry, and the next append waits until this one commits.
    ``bounceback audit verify`` compares it with the last entry: entries deleted from the end, or inserted after
    it, show.
    """

    ID = 1
    sequence = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"audit chain head at {self.sequence}"

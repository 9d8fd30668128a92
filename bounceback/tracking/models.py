"""A member's daily check-in: one per member per local date, every answer optional, the journal encrypted."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from bounceback.secure.fields import EncryptedTextField

from .questions import MINUTES_IN_A_DAY, NAMES, NOTE, SLEEP_QUALITY_LABELS


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def of_owner(self, owner_id: int) -> CheckInQuerySet:
        return self.filter(owner_id=owner_id)

    def between(self, first: object, last: object) -> CheckInQuerySet:
        """Check-ins on the local dates from ``first`` to ``last``, both included."""
        return self.filter(day__gte=first, day__lte=last)


class CheckIn(models.Model):
    """How a member's day went, in their own words and numbers. The public id is opaque (hazard H13).

    ``day`` is the member's local date (their time zone) when they checked in, or the earlier day they
    filled in. Sleep is the night before ``day``, in whole or half hours.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins")
    day = models.DateField()
    mood = models.PositiveSmallIntegerField(null=True, blank=True)
    sleep_hours = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    sleep_quality = models.PositiveSmallIntegerField(null=True, blank=True, choices=SLEEP_QUALITY_LABELS)
    exercise_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    mindfulness_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    connected = models.BooleanField(null=True, blank=True)
    """Time with someone who matters: yes, no, or not answered."""
    note = EncryptedTextField(blank=True, default="")
    """The journal: free text, encrypted at rest, never logged, never in an address or the audit trail."""
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "day"], name="checkin_one_per_member_per_day"),
            models.CheckConstraint(condition=Q(mood__lte=10), name="checkin_mood_0_10"),
            models.CheckConstraint(
                condition=Q(sleep_hours__gte=Decimal(0), sleep_hours__lte=Decimal(24)),
                name="checkin_sleep_hours_0_24",
            ),
            models.CheckConstraint(
                condition=Q(sleep_quality__gte=1, sleep_quality__lte=5), name="checkin_sleep_quality_1_5"
            ),
            models.CheckConstraint(
                condition=Q(exercise_minutes__lte=MINUTES_IN_A_DAY), name="checkin_exercise_minutes_in_a_day"
            ),
            models.CheckConstraint(
                condition=Q(mindfulness_minutes__lte=MINUTES_IN_A_DAY),
                name="checkin_mindfulness_minutes_in_a_day",
            ),
            models.CheckConstraint(
                condition=~Q(note="")
                | Q(*[(f"{name}__isnull", False) for name in NAMES if name != NOTE], _connector=Q.OR),
                name="checkin_answers_something",
            ),
        ]
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Check-in {self.public_id}"  # never the content

    def answers(self) -> dict[str, object]:
        """The answered questions by name (unanswered ones left out)."""
        values = {name: getattr(self, name) for name in NAMES}
        return {k: v for k, v in values.items() if v is not None and v != ""}

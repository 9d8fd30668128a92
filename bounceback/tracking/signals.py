"""The mindfulness timer (plans, below tracking) fills in that day's check-in, inside the timer's transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from bounceback.accounts.models import User
from bounceback.plans.models import MindfulnessSession
from bounceback.plans.signals import practice_recorded

from .actions import add_practice_minutes


@receiver(practice_recorded, dispatch_uid="bounceback.tracking.practice_minutes")
def practice_minutes(sender: Any, user: User, session: MindfulnessSession, **kwargs: Any) -> None:
    add_practice_minutes(user, session.minutes, session.completed_at)

"""Writes for plans: one function each, with its transaction and audit entry."""

from __future__ import annotations

from django.db import transaction

from bounceback.accounts.models import User
from bounceback.audit.record import record

from .models import MindfulnessSession
from .signals import practice_recorded

TIMER_LENGTHS = (5, 10, 20)


class PracticeError(ValueError):
    pass


def record_practice(user: User, minutes: int) -> MindfulnessSession:
    """Record a completed timer session (5, 10 or 20 minutes). Durable: committed when this returns."""
    if minutes not in TIMER_LENGTHS:
        raise PracticeError(
            f"minutes: {minutes} is not a timer length ({', '.join(map(str, TIMER_LENGTHS))})"
        )
    with transaction.atomic(durable=True):
        session = MindfulnessSession.objects.create(user=user, minutes=minutes)
        record(user, "practice.create", "practice", str(session.public_id))
        practice_recorded.send(sender=MindfulnessSession, user=user, session=session)
    return session

"""What the plans app keeps about a member (completed mindfulness practice): its part of the member's export and
of the account deletion (``bounceback/datarights/registry.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from bounceback.accounts.models import User

from .models import MindfulnessSession

SESSION_COLUMNS = ("public_id", "minutes", "completed_at")


def _sessions(user: User) -> Iterable[dict[str, object]]:
    return list(
        MindfulnessSession.objects.filter(user_id=user.pk)
        .order_by("completed_at", "pk")
        .values(*SESSION_COLUMNS)
    )


TABLES = (("mindfulness_sessions", MindfulnessSession, SESSION_COLUMNS, _sessions),)

ERASED = (MindfulnessSession,)


def erase(user: User) -> dict[str, int]:
    return dict(MindfulnessSession.objects.filter(user_id=user.pk).delete()[1])

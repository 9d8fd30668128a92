"""What the alerts app keeps about a person (``bounceback/datarights/registry.py``): the safety alerts raised
about a member (with each notice's time and stage), and which clinic a staff member is on call for.

A member's export lists their alerts and what was done (the action, when), not the clinician's note, which is
the clinic's record of its own response (like a visit's notes before the clinician shares them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bounceback.accounts.models import User

from .models import Alert, AlertStep, OnCall

ALERT_COLUMNS = ("public_id", "kind", "raised_at", "stage", "acknowledged_at", "action", "follow_up_done_at")
STEP_COLUMNS = ("alert__public_id", "at", "stage", "repeat")
ON_CALL_COLUMNS = ("clinic__name", "changed_at")


def _alerts(user: User) -> Iterable[dict[str, object]]:
    return list(Alert.objects.filter(member_id=user.pk).order_by("raised_at").values(*ALERT_COLUMNS))


def _steps(user: User) -> Iterable[dict[str, object]]:
    return list(AlertStep.objects.filter(alert__member_id=user.pk).order_by("at", "pk").values(*STEP_COLUMNS))


def _on_call(user: User) -> Iterable[dict[str, object]]:
    return list(OnCall.objects.filter(user_id=user.pk).values(*ON_CALL_COLUMNS))


TABLES = (
    ("safety_alerts", Alert, ALERT_COLUMNS, _alerts),
    ("safety_alert_notices", AlertStep, STEP_COLUMNS, _steps),
    ("on_call", OnCall, ON_CALL_COLUMNS, _on_call),
)

ERASED = (Alert, AlertStep, OnCall)


def erase(user: User) -> dict[str, int]:
    deleted: Counter[str] = Counter()
    deleted.update(Alert.objects.filter(member_id=user.pk).delete()[1])
    deleted.update(OnCall.objects.filter(user_id=user.pk).delete()[1])
    return dict(deleted)

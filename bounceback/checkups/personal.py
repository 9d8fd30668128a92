"""What the check-ups app keeps about a member (check-ups, raw answers, stored results and the safety events
their answers raised): its part of the member's export and of the account deletion
(``bounceback/datarights/registry.py`` describes this module)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from django.db.models import Q

from bounceback.accounts.models import User
from bounceback.safety.models import SafetyEvent

from .models import Answer, CheckUp, StoredResult

CHECKUP_COLUMNS = (
    "public_id",
    "started_at",
    "updated_at",
    "completed_at",
    "country",
    "context",
    "declined",
    "instruments",
    "safe_confirmed_at",
)
ANSWER_COLUMNS = (
    "checkup",
    "item_id",
    "instrument_id",
    "instrument_version",
    "value",
    "declined",
    "answered_at",
)
RESULT_COLUMNS = (
    "checkup",
    "instrument_id",
    "instrument_version",
    "total",
    "exact_total",
    "band",
    "complete",
    "flags",
    "completed_at",
)
SAFETY_COLUMNS = ("public_id", "checkup", "kind", "created_at")


def _checkups(user: User) -> Iterable[dict[str, object]]:
    return list(
        CheckUp.objects.filter(owner_id=user.pk).order_by("started_at", "pk").values(*CHECKUP_COLUMNS)
    )


def _with_checkup(rows: Iterable[dict[str, object]]) -> Iterator[dict[str, object]]:
    """Each row naming its check-up by public id (``checkup__public_id`` read as ``checkup``)."""
    for row in rows:
        yield {"checkup": row.pop("checkup__public_id"), **row}


def _answers(user: User) -> Iterator[dict[str, object]]:
    rows = (
        Answer.objects.filter(checkup__owner_id=user.pk)
        .order_by("checkup__started_at", "checkup_id", "item_id")
        .values("checkup__public_id", *ANSWER_COLUMNS[1:])
    )
    return _with_checkup(rows)


def _results(user: User) -> Iterator[dict[str, object]]:
    rows = (
        StoredResult.objects.filter(checkup__owner_id=user.pk)
        .order_by("checkup__started_at", "checkup_id", "pk")
        .values("checkup__public_id", *RESULT_COLUMNS[1:])
    )
    for row in _with_checkup(rows):
        yield row | {"flags": [flag for flag in str(row["flags"]).split(";") if flag]}


def _events(user: User) -> Q:
    """A member's safety events: raised in their check-ups (or attached to them when a check-up was claimed)."""
    return Q(checkup__owner_id=user.pk) | Q(user_id=user.pk)


def _safety_events(user: User) -> Iterator[dict[str, object]]:
    rows = (
        SafetyEvent.objects.filter(_events(user))
        .order_by("created_at", "pk")
        .values("public_id", "checkup__public_id", "kind", "created_at")
    )
    for row in rows:
        yield {
            "public_id": row["public_id"],
            "checkup": row["checkup__public_id"],
            "kind": row["kind"],
            "created_at": row["created_at"],
        }


TABLES = (
    ("checkups", CheckUp, CHECKUP_COLUMNS, _checkups),
    ("answers", Answer, ANSWER_COLUMNS, _answers),
    ("results", StoredResult, RESULT_COLUMNS, _results),
    ("safety_events", SafetyEvent, SAFETY_COLUMNS, _safety_events),
)

ERASED = (CheckUp, Answer, StoredResult, SafetyEvent)


def erase(user: User) -> dict[str, int]:
    """Delete the member's safety events, then their check-ups (answers and stored results cascade).

    Safety events are append-only for every everyday write, and ``SafetyEvent.delete()`` refuses; a queryset
    delete is the deliberate way round it, used in two places only: here, when the member deletes their account
    (a deletion the member asked for, of everything), and the purge of abandoned visitor check-ups.
    """
    deleted: Counter[str] = Counter()
    deleted.update(SafetyEvent.objects.filter(_events(user)).delete()[1])
    deleted.update(CheckUp.objects.filter(owner_id=user.pk).delete()[1])
    return dict(deleted)

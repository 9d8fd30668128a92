"""The one write that raises safety events (hazards H04, H05): called inside the action that saved an answer.

Append-only: one event per check-up and kind, never edited back; changing an answer back to 0 keeps the event.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction

from bounceback.instruments import SAFETY_ITEMS, safety_flags
from bounceback.instruments.battery import score_battery

from .models import SafetyEvent


def raise_safety_events(
    checkup: Any,
    answers: Mapping[str, int | None],
    declined: Collection[str],
    *,
    owner: Any,
    existing: Collection[str],
) -> list[SafetyEvent]:
    """Record every suicide-risk flag these answers raise that the check-up has no event for yet.

    ``checkup`` is a ``checkups.CheckUp`` and ``owner`` its owner or None (typed loosely: safety sits below
    checkups and accounts and imports neither). Runs in the caller's transaction (the answer and its event commit together, or neither does). ``existing``
    are the kinds already recorded for this check-up.
    """
    assert transaction.get_connection().in_atomic_block, "raise_safety_events runs inside the saving action"
    flags = safety_flags(score_battery(answers, declined))
    created = []
    for kind in sorted(flags - set(existing)):
        with transaction.atomic():
            event, made = SafetyEvent.objects.get_or_create(
                checkup=checkup, kind=kind, defaults={"user": owner}
            )
        if made:
            created.append(event)
    return created


def touches_safety(item_id: str) -> bool:
    """Whether saving this item can raise a safety event (other saves skip the check)."""
    return item_id in SAFETY_ITEMS

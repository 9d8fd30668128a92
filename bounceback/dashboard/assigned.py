"""The reminders' source of assigned measures (registered in ``apps.py``): each member's current assignments
as extra schedules, grouped by who asked, how often and why (one query per batch of members)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bounceback.care.access import clinician_name
from bounceback.reminders.assigned import Extra
from bounceback.reminders.rules import INSTRUMENTS

from .models import Assignment


def extras_of(member_ids: list[int]) -> Mapping[int, list[Extra]]:
    rows = (
        Assignment.objects.current()
        .filter(member_id__in=member_ids)
        .select_related("clinician", "clinician__clinician_profile")
        .order_by("created_at", "pk")
    )
    groups: dict[tuple[int, int, int, str, datetime], list[Assignment]] = {}
    for row in rows:  # one action's assignments share their moment
        key = (row.member_id, row.clinician_id, row.every_days, row.reason, row.created_at)
        groups.setdefault(key, []).append(row)
    found: dict[int, list[Extra]] = {}
    for (member_id, _clinician, every_days, reason, start), assignments in groups.items():
        instruments = tuple(i for i in INSTRUMENTS if any(a.instrument == i for a in assignments))
        found.setdefault(member_id, []).append(
            Extra(
                instruments=instruments,
                every_days=every_days,
                start=start,
                asked_by=clinician_name(assignments[0].clinician),
                reason=reason,
            )
        )
    return found

"""The one place a member's progress is looked up: their stored results (through ``checkups.access``) and their
daily check-ins (through ``tracking.access``), as plain records for the pure page builder. Takes the user, not
the request, so the web page, the PDF report and commands share it.

Constant queries whatever the history: one for the stored results, one for the check-ins (only the columns
charted: never the journal), and the audit entry of the read.
"""

from __future__ import annotations

from datetime import date

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.checkups.access import results_of
from bounceback.tracking.access import checkins_of
from bounceback.tracking.actions import keeps_checkins, local_today, zone_of

from .checkins import Day
from .series import Record

CHARTED_COLUMNS = (
    "day",
    "mood",
    "sleep_hours",
    "sleep_quality",
    "exercise_minutes",
    "mindfulness_minutes",
    "connected",
)


def progress_of(user: User, *, audit: str = "") -> tuple[list[Record], list[Day], date]:
    """The member's stored results (chronological, in their own time zone), their check-ins (none for people who
    do not keep check-ins), and today's date where they live."""
    if audit:
        record(user, audit, "user", str(user.public_id))
    zone = zone_of(user)
    records = [
        Record(stored.checkup_id, stored.completed_at.astimezone(zone), stored.as_result())
        for stored in results_of(user).chronological()
    ]
    days: list[Day] = []
    if keeps_checkins(user):
        days = [
            Day(
                day=day,
                mood=mood,
                sleep_hours=None if sleep is None else float(sleep),
                sleep_quality=quality,
                exercise_minutes=exercise,
                mindfulness_minutes=mindfulness,
                connected=connected,
            )
            for day, mood, sleep, quality, exercise, mindfulness, connected in checkins_of(user)
            .order_by("day")
            .values_list(*CHARTED_COLUMNS)
        ]
    return records, days, local_today(user)

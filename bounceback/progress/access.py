"""The one place a member's progress is looked up: their stored results (through ``checkups.access``) and their
daily check-ins (through ``tracking.access``), as plain records for the pure page builder. Takes the user, not
the request, so the web page, the PDF report and commands share it.

Constant queries whatever the history: one for the stored results, one for the check-ins (only the columns
charted: never the journal), and the audit entry of the read.
"""

from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from functools import lru_cache

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.checkups.access import results_of
from bounceback.instruments import Method, Result, get
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


STORED_COLUMNS = ("instrument_id", "instrument_version", "exact_total", "band", "complete", "flags")


@lru_cache(maxsize=8192)
def stored_result(
    instrument_id: str, version: int, exact_total: str, band: str, complete: bool, flags: str
) -> Result:
    """The library's result from a stored row's columns, exactly as ``StoredResult.as_result`` gives it, without
    building a model instance for each of a long history's rows (tested equal). Results are immutable, so equal
    rows share one (a long history repeats the same few totals)."""
    exact = Fraction(exact_total) if exact_total else None
    total: int | float | None = None
    if exact is not None:
        total = float(exact) if get(instrument_id).method is Method.MEAN else int(exact)
    flag_set = frozenset(f for f in flags.split(";") if f)
    return Result(instrument_id, version, total, band or None, complete, flag_set, (), exact)


def progress_of(
    user: User, *, audit: str = "", results: bool = True, checkins: bool = True
) -> tuple[list[Record], list[Day], date]:
    """The member's stored results (chronological, in their own time zone), their check-ins (none for people who
    do not keep check-ins), and today's date where they live.

    ``results`` or ``checkins`` False leaves that part unread (empty): a clinician reads only what the member
    shares with them. ``care.access`` calls this only after its own check, and writes its own audit entry (the
    clinician's read), so it passes no ``audit`` here."""
    if audit:
        record(user, audit, "user", str(user.public_id))
    zone = zone_of(user)
    local: dict[int, datetime] = {}
    records = []
    stored_rows = (
        results_of(user).chronological().values_list("checkup_id", "completed_at", *STORED_COLUMNS)
        if results
        else []
    )
    for checkup_id, completed_at, *stored in stored_rows:
        at = local.get(checkup_id) or local.setdefault(checkup_id, completed_at.astimezone(zone))
        records.append(Record(checkup_id, at, stored_result(*stored)))
    days: list[Day] = []
    if checkins and keeps_checkins(user):
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

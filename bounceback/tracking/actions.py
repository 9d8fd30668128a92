"""Every write to a daily check-in: one function each, owning its transaction and its audit entry.

The web views, the mindfulness timer (through ``plans.signals.practice_recorded``), the API and commands all
call these; nothing else writes check-ins. Audit entries carry neutral verbs and the check-in's public id,
never a value, and never the journal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.audit.record import record

from .models import CheckIn
from .questions import BACKFILL_DAYS, MINUTES_IN_A_DAY, NAMES, Unreadable, check

UTC = ZoneInfo("UTC")


class CheckInError(ValueError):
    """A write that cannot be made, naming the question (or ``day``) and what was wrong."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(message)


def keeps_checkins(user: User) -> bool:
    """Members keep daily check-ins; clinicians, operators and researchers do not."""
    return bool(user.is_authenticated and user.role == Role.MEMBER)


def zone_of(user: User) -> ZoneInfo:
    """The member's own time zone (chosen at sign-up); UTC if it is not one this machine knows."""
    try:
        return ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_today(user: User, now: datetime | None = None) -> date:
    """The date it is now where the member lives."""
    return (now or timezone.now()).astimezone(zone_of(user)).date()


def fillable_days(user: User, now: datetime | None = None) -> list[date]:
    """The days a check-in can be filled in or changed: today and the ``BACKFILL_DAYS`` before it, newest first."""
    today = local_today(user, now)
    return [today - timedelta(days=n) for n in range(BACKFILL_DAYS + 1)]


def human_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_day(user: User, day: date, now: datetime | None = None) -> None:
    """Refuse a day that is in the future or too long ago for this member, naming it."""
    days = fillable_days(user, now)
    today, earliest = days[0], days[-1]
    if day > today:
        raise CheckInError(
            "day",
            f"{human_date(day)} has not come yet where you are (today is {human_date(today)}): a check-in can "
            "be filled in for today or the days before it.",
        )
    if day < earliest:
        raise CheckInError(
            "day",
            f"{human_date(day)} is more than {BACKFILL_DAYS} days ago: a check-in can be filled in for today "
            f"and the {BACKFILL_DAYS} days before it, back to {human_date(earliest)}.",
        )


def _only_members(user: User) -> None:
    if not keeps_checkins(user):
        raise CheckInError("owner", "Only members keep daily check-ins.")


Change = Callable[[CheckIn], None]


def _write(user: User, day: date, change: Change) -> CheckIn | None:
    """Apply ``change`` to the member's check-in for ``day`` in one transaction: create it with its first answer,
    delete it when its last answer is cleared, write nothing when nothing changed. One row per member and day,
    also when two requests race to create it (the loser applies its change to the winner's row)."""
    with transaction.atomic():
        checkin = CheckIn.objects.select_for_update().filter(owner=user, day=day).first()
        if checkin is None:
            fresh = CheckIn(owner=user, day=day)
            change(fresh)
            if not fresh.answers():
                return None
            try:
                with transaction.atomic():
                    fresh.save(force_insert=True)
            except IntegrityError:
                checkin = CheckIn.objects.select_for_update().get(owner=user, day=day)
            else:
                record(user, "checkin.write", "checkin", str(fresh.public_id))
                return fresh
        before = {name: getattr(checkin, name) for name in NAMES}
        change(checkin)
        after = {name: getattr(checkin, name) for name in NAMES}
        if after == before:
            return checkin
        if not checkin.answers():
            public_id = str(checkin.public_id)
            checkin.delete()
            record(user, "checkin.delete", "checkin", public_id)
            return None
        changed = [name for name in NAMES if after[name] != before[name]]
        checkin.save(update_fields=[*changed, "updated_at"])
        record(user, "checkin.write", "checkin", str(checkin.public_id))
        return checkin


def save_checkin(
    user: User, day: date, answers: Mapping[str, object], *, now: datetime | None = None
) -> CheckIn | None:
    """Save these answers (None clears one) to the member's check-in for ``day``, a local date from today back
    ``BACKFILL_DAYS`` days. Returns the check-in, or None when it has no answer left (then it does not exist).

    Values are typed (int, Decimal, bool, str) and checked against the questions: an unknown question or a
    value out of range raises :class:`CheckInError` naming it, and nothing is written."""
    _only_members(user)
    check_day(user, day, now)
    clean: dict[str, object] = {}
    for name, value in answers.items():
        try:
            clean[name] = check(name, value)
        except Unreadable as exc:
            raise CheckInError(exc.name, str(exc)) from None

    def change(checkin: CheckIn) -> None:
        for name, value in clean.items():
            setattr(checkin, name, "" if value is None and name == "note" else value)

    return _write(user, day, change)


def add_practice_minutes(user: User, minutes: int, at: datetime) -> CheckIn | None:
    """Add a completed mindfulness-timer session to the check-in of the member's local day at ``at``
    (capped at a day's minutes). Runs inside the timer's own transaction (``plans.actions.record_practice``)."""
    if not keeps_checkins(user) or minutes <= 0:
        return None

    def change(checkin: CheckIn) -> None:
        checkin.mindfulness_minutes = min(MINUTES_IN_A_DAY, (checkin.mindfulness_minutes or 0) + minutes)

    return _write(user, local_today(user, at), change)

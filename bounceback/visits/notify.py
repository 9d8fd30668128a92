"""What both participants are told about a visit, through the reminder outbox (``reminders.notices``): booked,
cancelled, moved, and reminders a day and an hour before.

The words are fixed and carry no health data: no reason, no names, no credentials, not even the time (the time is
on the visits page, behind sign-in). Reminders are planned when a visit is booked and withdrawn when it is
cancelled; at send time each notice asks whether it is still wanted, so a reminder of a visit cancelled or moved
meanwhile never goes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.reminders.notices import Notice, notify, register, withdraw

from .models import Appointment, Status

PATH = "/visits/"

BOOKED = Notice(
    kind="visit.booked",
    subject="A Bounceback visit is booked",
    body="A visit has been booked. The time and how to join are on your visits page.",
    path=PATH,
)
CANCELLED = Notice(
    kind="visit.cancelled",
    subject="A Bounceback visit was cancelled",
    body="A visit has been cancelled. Your visits page has the details, and you can book another time there.",
    path=PATH,
)
MOVED = Notice(
    kind="visit.moved",
    subject="A Bounceback visit has a new time",
    body="A visit has moved to a new time. The new time is on your visits page.",
    path=PATH,
)
TOMORROW = Notice(
    kind="visit.tomorrow",
    subject="You have a Bounceback visit tomorrow",
    body="You have a Bounceback visit tomorrow. The time and how to join are on your visits page.",
    path=PATH,
)
SOON = Notice(
    kind="visit.soon",
    subject="Your Bounceback visit starts in an hour",
    body="Your Bounceback visit starts in an hour. Join it from your visits page.",
    path=PATH,
)
REMINDERS = ((TOMORROW, timedelta(hours=24)), (SOON, timedelta(hours=1)))
NOTICES = (BOOKED, CANCELLED, MOVED, TOMORROW, SOON)


def _booked_and_ahead(ref: str, recipient: User) -> bool:
    """Still booked, not yet over, and the recipient one of its two people."""
    return (
        Appointment.objects.booked()
        .filter(public_id=ref, ends_at__gt=timezone.now())
        .filter(Q(member_id=recipient.pk) | Q(clinician_id=recipient.pk))
        .exists()
    )


def _always(ref: str, recipient: User) -> bool:
    return True


def register_all() -> None:
    """Called from ``VisitsConfig.ready``."""
    for notice in (BOOKED, MOVED, TOMORROW, SOON):
        register(notice, _booked_and_ahead)
    register(CANCELLED, _always)


def _tell(appointment: Appointment, notice: Notice, send_at: datetime | None = None) -> None:
    """The notice planned for both people (now when ``send_at`` is None)."""
    for person in (appointment.member, appointment.clinician):
        notify(person, notice.kind, str(appointment.public_id), send_at=send_at)


def _plan_reminders(appointment: Appointment, now: datetime) -> None:
    for notice, before in REMINDERS:
        send_at = appointment.starts_at - before
        if send_at > now:
            _tell(appointment, notice, send_at)


def _withdraw_pending(appointment: Appointment) -> None:
    """The reminders and the booked notice that have not gone yet, cancelled."""
    for notice in (*(notice for notice, _before in REMINDERS), BOOKED):
        withdraw(notice.kind, str(appointment.public_id))


def _after_commit(work: object) -> None:
    transaction.on_commit(work)  # type: ignore[arg-type]


def booked(appointment: Appointment, now: datetime) -> None:
    """Both people told now; the day-before and hour-before reminders planned."""

    def send() -> None:
        _tell(appointment, BOOKED)
        _plan_reminders(appointment, now)

    _after_commit(send)


def cancelled(appointment: Appointment) -> None:
    def send() -> None:
        if appointment.status != Status.CANCELLED:
            return
        _withdraw_pending(appointment)
        _tell(appointment, CANCELLED)

    _after_commit(send)


def moved(old: Appointment, new: Appointment, now: datetime) -> None:
    def send() -> None:
        _withdraw_pending(old)
        _tell(new, MOVED)
        _plan_reminders(new, now)

    _after_commit(send)

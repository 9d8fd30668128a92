"""The outbox: reminders planned idempotently, claimed once, sent, and recorded. The writes of the background
processes (the scheduler and the worker); the member's own writes are in ``actions.py``.

- **Plan** (the scheduler, every round, and at once after a member changes their settings): for each member the
  pure rules (``rules.plan``) give the current due dates; a row per (member, item, due date, channel) is
  inserted with ``ON CONFLICT DO NOTHING`` (``bulk_create(ignore_conflicts=True)``), so two schedulers running
  at once make one row. Pending rows follow the schedule: their time and instruments are updated, rows for
  dates no longer due are cancelled, a cancelled row due again is pending again. Only ``pending`` rows are ever
  changed by planning (a conditional UPDATE), never one being sent or sent.
- **Hand over**: a row whose time has come is handed to the worker queue (a django-tasks task, in the same
  transaction as the row's ``enqueued_at``); handed again once a lease's length has passed without it going.
- **Claim** (the worker): one conditional UPDATE, ``pending → sending`` with a lease, or ``sending`` whose lease
  ran out (its worker died) → ``sending`` again; exactly one claimer wins, on SQLite and PostgreSQL alike.
- **Send, then mark sent** (``sending → sent``, only by the worker holding the claim). A failure goes back to
  ``pending`` with exponential back-off, and after ``BOUNCEBACK_OUTBOX_MAX_ATTEMPTS`` to ``failed`` (admin,
  ``/health/``). A row marked sent is never claimed again.

The residual window: a worker killed after the mail server accepted a message but before its row is marked
sent leaves the row to be claimed again after the lease, and the member gets that email twice (with the same
Message-ID). It is the width of one UPDATE after the server's reply; nothing closes it short of the mail
server taking part in the transaction. In-app notifications have no such window: the notification and the
"sent" mark commit together.
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.checkups.models import StoredResult

from . import assigned, notices, push
from .channels import notice_email, reminder_email
from .jobs import run_jobs
from .models import Channel, Heartbeat, Notification, Outbox, PushSubscription, ReminderSettings, Status
from .rules import INSTRUMENTS, REASSESSMENT, Plan, backoff, instruments_text, plan

logger = logging.getLogger("bounceback.reminders")
BATCH = 500
SCHEDULER = "scheduler"


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def lease() -> timedelta:
    return timedelta(seconds=settings.BOUNCEBACK_OUTBOX_LEASE_SECONDS)


# --- Plans ------------------------------------------------------------------------------------------------


def settings_for(member: User, stored: ReminderSettings | None = None) -> ReminderSettings:
    """The member's settings, or the defaults (unsaved) when they never changed them."""
    if stored is not None:
        return stored
    found = ReminderSettings.objects.filter(member_id=member.pk).first()
    return found or ReminderSettings(member=member)


def last_results(member_ids: Iterable[int]) -> dict[int, dict[str, datetime]]:
    """Each member's last complete scored result of each re-assessed instrument (one query)."""
    found: dict[int, dict[str, datetime]] = {}
    rows = (
        StoredResult.objects.scored()
        .filter(checkup__owner_id__in=list(member_ids), instrument_id__in=INSTRUMENTS)
        .values("checkup__owner_id", "instrument_id")
        .annotate(last=Max("completed_at"))
    )
    for row in rows:
        found.setdefault(row["checkup__owner_id"], {})[row["instrument_id"]] = row["last"]
    return found


def member_plan(
    member: User,
    stored: ReminderSettings,
    results: dict[str, datetime],
    now: datetime,
    extras: list[assigned.Extra] | None = None,
) -> Plan:
    """The member's plan: their own schedule, united with the schedules others asked them to keep
    (``assigned.py``: a clinician's assigned measures)."""
    if extras:
        return assigned.combined(stored.schedule(member.time_zone), extras, results, member.date_joined, now)
    return plan(stored.schedule(member.time_zone), results, member.date_joined, now)


def plan_of(member: User, now: datetime | None = None) -> Plan:
    """One member's plan now (what is due, and the sends to keep planned)."""
    now = now or timezone.now()
    results = last_results([member.pk]).get(member.pk, {})
    return member_plan(
        member, settings_for(member), results, now, assigned.extras_for([member.pk]).get(member.pk)
    )


def channels_for(member: User, stored: ReminderSettings, confirmed: bool, pushed: bool = False) -> list[str]:
    """The member's channels: email to a confirmed address, in-app, and Web Push to the devices they turned
    it on for (``pushed``: they have a subscription, and this site has VAPID keys)."""
    wanted: list[str] = []
    if stored.email and confirmed and member.email:
        wanted.append(Channel.EMAIL)
    if stored.in_app:
        wanted.append(Channel.IN_APP)
    if pushed and push.enabled():
        wanted.append(Channel.PUSH)
    return wanted


def pushed_members(member_ids: Iterable[int]) -> set[int]:
    """Members with at least one device subscribed to Web Push (one query)."""
    if not push.enabled():
        return set()
    return set(
        PushSubscription.objects.filter(member_id__in=list(member_ids)).values_list("member_id", flat=True)
    )


def confirmed_addresses(member_ids: Iterable[int]) -> set[int]:
    """Members whose account address is confirmed (reminders go only there)."""
    return set(
        EmailAddress.objects.filter(user_id__in=list(member_ids), verified=True, primary=True).values_list(
            "user_id", flat=True
        )
    )


def reminded_members() -> Iterable[list[User]]:
    """Active members, in batches by id."""
    last = 0
    while True:
        batch = list(
            User.objects.filter(role=Role.MEMBER, is_active=True, pk__gt=last).order_by("pk")[:BATCH]
        )
        if not batch:
            return
        yield batch
        last = batch[-1].pk


@dataclass
class Planned:
    created: int = 0
    updated: int = 0
    cancelled: int = 0

    def add(self, other: Planned) -> None:
        self.created += other.created
        self.updated += other.updated
        self.cancelled += other.cancelled


def plan_members(members: list[User], now: datetime) -> Planned:
    """Bring these members' outbox rows in line with their schedules (idempotent; safe to run concurrently)."""
    ids = [m.pk for m in members]
    stored = {s.member_id: s for s in ReminderSettings.objects.filter(member_id__in=ids)}
    results = last_results(ids)
    confirmed = confirmed_addresses(ids)
    pushed = pushed_members(ids)
    extras = assigned.extras_for(ids)
    wanted: dict[tuple[int, date, str], tuple[datetime, str]] = {}
    for member in members:
        choices = settings_for(member, stored.get(member.pk))
        member_sends = member_plan(
            member, choices, results.get(member.pk, {}), now, extras.get(member.pk)
        ).sends
        for channel in channels_for(member, choices, member.pk in confirmed, member.pk in pushed):
            for send in member_sends:
                wanted[member.pk, send.due_date, channel] = (send.send_at, instruments_text(send.instruments))
    report = Planned()
    before = Outbox.objects.filter(member_id__in=ids).count()
    Outbox.objects.bulk_create(
        [
            Outbox(
                member_id=member_id,
                item=REASSESSMENT,
                due_date=due_date,
                channel=channel,
                instruments=instruments,
                send_at=send_at,
                created_at=now,
                changed_at=now,
            )
            for (member_id, due_date, channel), (send_at, instruments) in wanted.items()
        ],
        ignore_conflicts=True,
    )
    report.created = Outbox.objects.filter(member_id__in=ids).count() - before  # (for the log only)
    recent = now.date() - timedelta(days=60)
    existing = Outbox.objects.filter(member_id__in=ids, item=REASSESSMENT).filter(
        Q(status=Status.PENDING) | Q(status=Status.CANCELLED, due_date__gte=recent)
    )
    for row in existing:
        key = (row.member_id, row.due_date, row.channel)
        if key not in wanted:
            if row.status == Status.PENDING:
                report.cancelled += _change(row, now, status=Status.CANCELLED, enqueued_at=None)
            continue
        send_at, instruments = wanted[key]
        if row.status == Status.CANCELLED:
            report.updated += _change(
                row, now, status=Status.PENDING, send_at=send_at, instruments=instruments, retry_at=None
            )
        elif _moved(row.send_at, send_at, now) or row.instruments != instruments:
            keep = row.send_at if not _moved(row.send_at, send_at, now) else send_at
            report.updated += _change(row, now, send_at=keep, instruments=instruments)
    return report


def _moved(current: datetime, planned: datetime, now: datetime) -> bool:
    """A pending row's time changes when the plan says so, but a row already due stays as it is (its catch-up
    time would otherwise follow "now" round after round)."""
    return current != planned and not (current <= now and planned <= now)


def _change(row: Outbox, now: datetime, *, status: str | None = None, **fields: object) -> int:
    """Change a row only while it is as it was read (the status it had): never one claimed meanwhile."""
    values = {**fields, "changed_at": now}
    if status is not None:
        values["status"] = status
    return Outbox.objects.filter(pk=row.pk, status=row.status).update(**values)


def plan_all(now: datetime | None = None) -> Planned:
    now = now or timezone.now()
    report = Planned()
    for members in reminded_members():
        report.add(plan_members(members, now))
    return report


# --- Handing over to the worker ---------------------------------------------------------------------------


def ready(now: datetime) -> Q:
    """Rows a worker may claim now: pending with their time (and any retry time) come, or being sent by a
    worker whose lease ran out."""
    return Q(status=Status.PENDING, send_at__lte=now) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now)) | Q(
        status=Status.SENDING, lease_until__lt=now
    )


def hand_to_worker(now: datetime | None = None, limit: int = BATCH) -> int:
    """Enqueue a delivery task for each row ready to go and not handed over within the last lease."""
    from .tasks import deliver

    now = now or timezone.now()
    stale = now - lease()
    not_handed = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale)
    handed = 0
    for pk in (
        Outbox.objects.filter(ready(now) & not_handed)
        .order_by("send_at")
        .values_list("pk", flat=True)[:limit]
    ):
        with transaction.atomic():
            if Outbox.objects.filter(Q(pk=pk) & ready(now) & not_handed).update(enqueued_at=now):
                deliver.enqueue(pk)
                handed += 1
    return handed


def beat(name: str = SCHEDULER, now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(
        name=name,
        defaults={"beat_at": now or timezone.now(), "host": socket.gethostname()[:255], "pid": os.getpid()},
    )


@dataclass
class Round:
    planned: Planned
    handed: int


def scheduler_round(now: datetime | None = None) -> Round:
    """One round of the scheduler: heartbeat, plan every member, run the apps' jobs, hand what is due to the
    worker."""
    now = now or timezone.now()
    beat(SCHEDULER, now)
    planned = plan_all(now)
    run_jobs(now)  # the apps' periodic jobs (safety alerts' escalation), before handing over what they queued
    return Round(planned, hand_to_worker(now))


# --- The worker's side ------------------------------------------------------------------------------------


def claim(pk: int, worker: str, now: datetime) -> Outbox | None:
    """Take the row for sending, or None when it is not ready or someone else holds it (one UPDATE)."""
    taken = Outbox.objects.filter(Q(pk=pk) & ready(now)).update(
        status=Status.SENDING,
        lease_until=now + lease(),
        claimed_by=worker,
        attempts=F("attempts") + 1,
        changed_at=now,
    )
    if not taken:
        return None
    return Outbox.objects.select_related("member").get(pk=pk)


def _mine(row: Outbox, worker: str) -> Q:
    return Q(pk=row.pk, status=Status.SENDING, claimed_by=worker)


def _finish(row: Outbox, worker: str, **values: object) -> bool:
    done = Outbox.objects.filter(_mine(row, worker)).update(
        **values, lease_until=None, changed_at=timezone.now()
    )
    if not done:
        logger.warning("outbox %s: the claim was lost before the send was recorded", row.public_id)
    return bool(done)


def mark_sent(row: Outbox, worker: str) -> bool:
    return _finish(row, worker, status=Status.SENT, sent_at=timezone.now(), last_error="")


def cancel(row: Outbox, worker: str) -> bool:
    return _finish(row, worker, status=Status.CANCELLED, enqueued_at=None, attempts=F("attempts") - 1)


def defer(row: Outbox, worker: str, until: datetime) -> bool:
    """Not now (quiet hours, or the schedule moved it later): back to pending at ``until``; not an attempt."""
    return _finish(
        row, worker, status=Status.PENDING, send_at=until, enqueued_at=None, attempts=F("attempts") - 1
    )


def failed_attempt(row: Outbox, worker: str, error: BaseException) -> str:
    """Retry later with back-off, or give up after the last attempt (visible in the admin and /health/)."""
    kind = str(getattr(error, "kind", "") or type(error).__name__)[:200]
    now = timezone.now()
    if row.attempts >= settings.BOUNCEBACK_OUTBOX_MAX_ATTEMPTS:
        _finish(row, worker, status=Status.FAILED, last_error=kind)
        logger.error("outbox %s: failed after %d attempts (%s)", row.public_id, row.attempts, kind)
        return "failed"
    wait = backoff(row.attempts, settings.BOUNCEBACK_OUTBOX_BACKOFF_SECONDS)
    _finish(row, worker, status=Status.PENDING, retry_at=now + wait, enqueued_at=None, last_error=kind)
    logger.warning(
        "outbox %s: attempt %d failed (%s), next in %d s",
        row.public_id,
        row.attempts,
        kind,
        int(wait.total_seconds()),
    )
    return "retry"


def deliver(pk: int, worker: str | None = None) -> str:
    """Claim one row, check it is still wanted now, send it, and record what happened. Returns the outcome."""
    worker = worker or worker_id()
    now = timezone.now()
    row = claim(pk, worker, now)
    if row is None:
        return "not claimed"
    member = row.member
    if row.attempts > settings.BOUNCEBACK_OUTBOX_MAX_ATTEMPTS:  # workers died on it again and again
        return failed_attempt(row, worker, RuntimeError("too many attempts"))
    if row.item != REASSESSMENT:
        return _deliver_notice(row, member, worker, now)
    choices = settings_for(member)
    confirmed = member.pk in confirmed_addresses([member.pk])
    pushed = member.pk in pushed_members([member.pk])
    current = plan_of(member, now)
    send = next((s for s in current.sends if s.due_date == row.due_date), None)
    if (
        not member.is_active
        or member.role != Role.MEMBER
        or send is None
        or row.channel not in channels_for(member, choices, confirmed, pushed)
    ):
        cancel(row, worker)
        return "cancelled"
    if send.send_at > now:  # quiet hours now, or the schedule moved it later since it was handed over
        defer(row, worker, send.send_at)
        return "deferred"
    if row.channel == Channel.IN_APP:
        return "sent" if _in_app(row, worker) else "lost claim"
    if row.channel == Channel.PUSH:
        try:
            return _push(row, worker)
        except push.PushFailed as error:
            return failed_attempt(row, worker, error)
    try:
        return "sent" if _email(row, member, worker) else "lost claim"
    except (smtplib.SMTPException, OSError) as error:
        return failed_attempt(row, worker, error)


def _deliver_notice(row: Outbox, recipient: User, worker: str, now: datetime) -> str:
    """A notice (``notices.py``): sent while its kind is known, the person active and the thing it is about
    still wants it (a cancelled visit's reminder is cancelled instead)."""
    notice = notices.notice_of(row.item)
    if notice is None or not recipient.is_active or not notices.still_wanted(row):
        cancel(row, worker)
        return "cancelled"
    if row.send_at > now:  # planned later and handed over early: not yet
        defer(row, worker, row.send_at)
        return "deferred"
    if row.channel == Channel.IN_APP:
        return "sent" if _in_app(row, worker) else "lost claim"
    if row.channel == Channel.PUSH:
        try:
            return _push(row, worker, push.payload(notice.body, notice.path, f"bounceback-{row.item}"))
        except push.PushFailed as error:
            return failed_attempt(row, worker, error)
    try:
        return "sent" if _email(row, recipient, worker, notice) else "lost claim"
    except (smtplib.SMTPException, OSError) as error:
        return failed_attempt(row, worker, error)


def _in_app(row: Outbox, worker: str) -> bool:
    """The notification and the "sent" mark commit together: exactly once."""
    with transaction.atomic():
        Notification.objects.get_or_create(
            outbox=row, defaults={"member_id": row.member_id, "item": row.item, "due_date": row.due_date}
        )
        if mark_sent(row, worker):
            return True
        transaction.set_rollback(True)
        return False


def _email(row: Outbox, member: User, worker: str, notice: notices.Notice | None = None) -> bool:
    """Open the connection, send, mark sent, and only then say goodbye to the server (QUIT)."""
    connection = get_connection(fail_silently=False)
    connection.open()
    try:
        message = (
            reminder_email(row, member, connection)
            if notice is None
            else notice_email(row, member, notice, connection)
        )
        if connection.send_messages([message]) != 1:
            raise smtplib.SMTPException("the message was not sent")
        return mark_sent(row, worker)
    finally:
        with contextlib.suppress(
            smtplib.SMTPException, OSError
        ):  # sent and recorded: a failed goodbye is moot
            connection.close()


def _push(row: Outbox, worker: str, data: str | None = None) -> str:
    """Push to each of the member's devices not yet reached for this row (a retry skips those that were).
    A device whose browser dropped the subscription (404/410) is deleted; when no device is left the row is
    done ("gone"), never retried. Another failure on any device raises PushFailed after the others were tried."""
    failure: push.PushFailed | None = None
    delivered = gone = 0
    subscriptions = list(PushSubscription.objects.filter(member_id=row.member_id).exclude(last_delivered=row))
    for subscription in subscriptions:
        target = push.Subscription(subscription.endpoint, subscription.p256dh, subscription.auth)
        try:
            if push.send(target, data):
                PushSubscription.objects.filter(pk=subscription.pk).update(last_delivered=row)
                delivered += 1
            else:
                PushSubscription.objects.filter(pk=subscription.pk).delete()
                gone += 1
        except push.PushFailed as error:
            failure = error
    if failure is not None:
        raise failure
    if delivered or PushSubscription.objects.filter(member_id=row.member_id, last_delivered=row).exists():
        return "sent" if mark_sent(row, worker) else "lost claim"
    logger.info("outbox %s: no push subscription left (%d gone)", row.public_id, gone)
    return (
        "gone"
        if _finish(row, worker, status=Status.CANCELLED, last_error="PushSubscriptionGone")
        else "lost claim"
    )

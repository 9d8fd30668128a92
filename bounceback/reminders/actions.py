"""Every write a member (or their unsubscribe link) makes to reminders: one function each, owning its
transaction and its audit entry. The background processes' writes are in ``outbox.py``.

A changed schedule is planned at once, in the same transaction: already-planned, unsent reminders follow the
new schedule (moved, or cancelled when no longer due) before the member sees the page again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

from django.db import transaction
from django.utils import timezone

from bounceback.accounts.actions import change_time_zone
from bounceback.accounts.models import Role, User
from bounceback.audit.record import record

from . import push
from .channels import member_of_token
from .models import Channel, Notification, Outbox, PushSubscription, ReminderSettings, Status
from .outbox import plan_members
from .rules import INSTRUMENTS, INTERVALS, QuietHours, instruments_text


class ReminderError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def save_settings(
    member: User,
    *,
    instruments: Sequence[str],
    every_days: int,
    at: time,
    quiet_start: time,
    quiet_end: time,
    email: bool,
    in_app: bool,
    time_zone: str | None = None,
) -> ReminderSettings:
    unknown = [i for i in instruments if i not in INSTRUMENTS]
    if unknown:
        raise ReminderError("instruments", "Choose among the questionnaires listed.")
    if every_days not in INTERVALS:
        raise ReminderError("every_days", f"Choose every {', '.join(map(str, INTERVALS))} days.")
    if QuietHours(quiet_start, quiet_end).contains(at):
        raise ReminderError(
            "at", "The reminder time is inside your quiet hours: choose a time outside them, or change them."
        )
    with transaction.atomic():
        if time_zone is not None and time_zone != member.time_zone:
            change_time_zone(member, time_zone)
        stored, _created = ReminderSettings.objects.update_or_create(
            member=member,
            defaults={
                "instruments": instruments_text(instruments),
                "every_days": every_days,
                "at": at,
                "quiet_start": quiet_start,
                "quiet_end": quiet_end,
                "email": email,
                "in_app": in_app,
            },
        )
        record(member, "reminders.settings.write", "user", str(member.public_id))
        plan_members([member], timezone.now())
    return stored


def unsubscribe_email(token: str) -> User | None:
    """Turn reminder emails off for the member a genuine token names (one click, no sign-in); None for a
    forged token. Unsent email reminders are cancelled at once."""
    public_id = member_of_token(token)
    member = User.objects.filter(public_id=public_id).first() if public_id else None
    if member is None:
        return None
    with transaction.atomic():
        ReminderSettings.objects.update_or_create(member=member, defaults={"email": False})
        Outbox.objects.filter(member=member, channel=Channel.EMAIL, status=Status.PENDING).update(
            status=Status.CANCELLED, changed_at=timezone.now()
        )
        record(None, "reminders.unsubscribe", "user", str(member.public_id))
    return member


def dismiss_notification(member: User, notification: Notification) -> None:
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk, member_id=member.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        record(member, "reminders.notification.dismiss", "notification", str(notification.public_id))


def subscribe_push(member: User, data: object) -> PushSubscription:
    """Turn Web Push on for one browser: ``data`` is its ``PushSubscription.toJSON()`` (checked here; a
    SubscriptionError otherwise). The same endpoint again updates its keys. A browser belongs to the last
    account that turned it on: another member's subscription of the same endpoint is removed, so one person's
    reminders never go to a device now used by someone else. Audited by verb and public id, never the endpoint."""
    if not push.enabled():
        raise push.SubscriptionError("Notifications are not set up on this site.")
    subscription = push.parse_subscription(data)
    digest = push.digest(subscription.endpoint)
    with transaction.atomic():
        PushSubscription.objects.filter(endpoint_digest=digest).exclude(member_id=member.pk).delete()
        stored, _created = PushSubscription.objects.update_or_create(
            member=member,
            endpoint_digest=digest,
            defaults={
                "endpoint": subscription.endpoint,
                "p256dh": subscription.p256dh,
                "auth": subscription.auth,
            },
        )
        record(member, "reminders.push.subscribe", "push_subscription", str(stored.public_id))
        if member.role == Role.MEMBER:  # check-in reminders are members' (notices reach anyone)
            plan_members([member], timezone.now())
    return stored


def unsubscribe_push(member: User, data: object) -> bool:
    """Turn Web Push off for one browser (``{"endpoint": …}``); True when it was on. Unsent push reminders are
    cancelled when it was the member's last device."""
    if not isinstance(data, dict):
        raise push.SubscriptionError("Send the subscription as a JSON object.")
    endpoint = push.check_endpoint(data.get("endpoint"))
    with transaction.atomic():
        found = PushSubscription.objects.filter(
            member_id=member.pk, endpoint_digest=push.digest(endpoint)
        ).first()
        if found is None:
            return False
        found.delete()
        record(member, "reminders.push.unsubscribe", "push_subscription", str(found.public_id))
        plan_members([member], timezone.now())
    return True


def dismiss_notice(user: User, notification: Notification) -> None:
    """Mark one of the person's notices read (opening it does the same)."""
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk, member_id=user.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        record(user, "reminders.notice.read", "notification", str(notification.public_id))

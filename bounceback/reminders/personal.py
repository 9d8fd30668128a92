"""What the reminders app keeps about a member (their reminder settings, the reminders planned and sent, and
in-app notifications): its part of the member's export and of the account deletion
(``bounceback/datarights/registry.py``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bounceback.accounts.models import User

from .models import Notification, Outbox, PushSubscription, ReminderSettings

SETTINGS_COLUMNS = (
    "instruments",
    "every_days",
    "at",
    "quiet_start",
    "quiet_end",
    "email",
    "in_app",
    "updated_at",
)
REMINDER_COLUMNS = ("public_id", "item", "due_date", "channel", "instruments", "status", "send_at", "sent_at")
NOTIFICATION_COLUMNS = ("public_id", "item", "due_date", "created_at", "read_at")
PUSH_COLUMNS = ("public_id", "created_at")
"""A device's subscription is named, not copied: its endpoint and keys are the push service's capability to
reach that browser, useless to the member and a risk in a downloaded file."""


def _settings(user: User) -> Iterable[dict[str, object]]:
    return list(ReminderSettings.objects.filter(member_id=user.pk).values(*SETTINGS_COLUMNS))


def _reminders(user: User) -> Iterable[dict[str, object]]:
    """The reminders planned and sent (not the worker's bookkeeping: leases, attempts, error kinds)."""
    return list(Outbox.objects.filter(member_id=user.pk).order_by("send_at", "pk").values(*REMINDER_COLUMNS))


def _notifications(user: User) -> Iterable[dict[str, object]]:
    return list(
        Notification.objects.filter(member_id=user.pk)
        .order_by("created_at", "pk")
        .values(*NOTIFICATION_COLUMNS)
    )


def _push_subscriptions(user: User) -> Iterable[dict[str, object]]:
    return list(
        PushSubscription.objects.filter(member_id=user.pk).order_by("created_at", "pk").values(*PUSH_COLUMNS)
    )


TABLES = (
    ("reminder_settings", ReminderSettings, SETTINGS_COLUMNS, _settings),
    ("reminders", Outbox, REMINDER_COLUMNS, _reminders),
    ("notifications", Notification, NOTIFICATION_COLUMNS, _notifications),
    ("push_subscriptions", PushSubscription, PUSH_COLUMNS, _push_subscriptions),
)

ERASED = (ReminderSettings, Outbox, Notification, PushSubscription)


def erase(user: User) -> dict[str, int]:
    """Delete the member's push subscriptions, notifications, planned and sent reminders (a worker holding one finds it gone and
    sends nothing) and settings."""
    deleted: Counter[str] = Counter()
    for model in (PushSubscription, Notification, Outbox, ReminderSettings):
        deleted.update(model.objects.filter(member_id=user.pk).delete()[1])
    return dict(deleted)

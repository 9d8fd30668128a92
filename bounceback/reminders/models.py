"""Reminder settings, the outbox of planned sends, in-app notifications and the scheduler's heartbeat.

The outbox is where "never lost, never twice" lives: one row per (member, due item, due date, channel), unique
in the database; the scheduler inserts rows idempotently, a worker claims one with a conditional UPDATE
(pending → sending, with a lease) and marks it sent (``outbox.py``). No row holds health data: the due item
is a kind ("reassessment") and the instruments are ids, shown only to the member.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from bounceback.secure.fields import EncryptedTextField

from .rules import (
    DEFAULT_AT,
    DEFAULT_INTERVAL,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    INSTRUMENTS,
    INTERVALS,
    REASSESSMENT,
    QuietHours,
    Schedule,
    instruments_text,
    parse_instruments,
)


class ReminderSettings(models.Model):
    """A member's choices. A member without a row has the defaults (BRS, PHQ-9 and GAD-7 every 14 days at
    09:00, quiet 21:00–08:00, email and in-app on)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    instruments = models.CharField(max_length=64, default=instruments_text(INSTRUMENTS), blank=True)
    """Instrument ids, comma-separated ("" = none: nothing falls due and nothing is sent)."""
    every_days = models.PositiveSmallIntegerField(
        default=DEFAULT_INTERVAL, choices=[(n, f"Every {n} days") for n in INTERVALS]
    )
    at = models.TimeField(default=DEFAULT_AT)
    """Preferred local time of day (the member's own time zone)."""
    quiet_start = models.TimeField(default=DEFAULT_QUIET_START)
    quiet_end = models.TimeField(default=DEFAULT_QUIET_END)
    email = models.BooleanField(default=True)
    in_app = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder settings"

    def __str__(self) -> str:
        return f"reminder settings of {self.member_id}"

    def schedule(self, zone: str) -> Schedule:
        return Schedule(
            instruments=parse_instruments(self.instruments),
            every_days=self.every_days,
            at=self.at,
            quiet=QuietHours(self.quiet_start, self.quiet_end),
            zone=zone,
        )


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    IN_APP = "in_app", "In-app notification"
    PUSH = "push", "Web Push notification"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class OutboxQuerySet(models.QuerySet["Outbox"]):
    def waiting(self, now: object = None) -> OutboxQuerySet:
        """Due to go and not gone: pending with its time come (or its retry), or being sent."""
        now = now or timezone.now()
        return self.filter(
            models.Q(status=Status.PENDING, send_at__lte=now)
            & (models.Q(retry_at__isnull=True) | models.Q(retry_at__lte=now))
            | models.Q(status=Status.SENDING)
        )


class Outbox(models.Model):
    """One planned send. Unique per (recipient, item, ref, due date, channel): a due item is sent at most once.
    The recipient is a member for reminders, anyone signed up for a notice (the field keeps its name)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_outbox"
    )
    item = models.CharField(max_length=32, default=REASSESSMENT)
    """"reassessment", or the kind of a notice (``notices.py``: a visit reminder, a new message…)."""
    ref = models.CharField(max_length=64, blank=True, default="")
    """For a notice: the public id of what it is about (a visit, a thread); empty for reminders."""
    due_date = models.DateField()
    """The member's local date the item falls due (one cycle date); for a notice, the local date it goes."""
    channel = models.CharField(max_length=16, choices=Channel.choices)
    instruments = models.CharField(max_length=64, blank=True)
    """The instruments due on that date (ids), kept up to date until the row is claimed."""
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    send_at = models.DateTimeField()
    """When it goes (UTC): the planned time, or the catch-up time after a missed one."""
    retry_at = models.DateTimeField(null=True, blank=True)
    """After a failed attempt: not before this (exponential back-off)."""
    enqueued_at = models.DateTimeField(null=True, blank=True)
    """When the scheduler last handed it to the worker queue (re-handed once a lease's length has passed)."""
    lease_until = models.DateTimeField(null=True, blank=True)
    """While sending: the claim holds until then; a worker killed mid-send leaves it to be claimed again."""
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    """The error's kind only (e.g. "SMTPServerDisconnected"), never an address or a message."""
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = "outbox entry"
        verbose_name_plural = "outbox"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "item", "ref", "due_date", "channel"],
                name="one_send_per_due_item_and_channel",
            )
        ]
        indexes = [models.Index(fields=["status", "send_at"])]

    def __str__(self) -> str:
        return f"{self.item} due {self.due_date} by {self.channel} ({self.status})"

    @property
    def instrument_ids(self) -> tuple[str, ...]:
        return parse_instruments(self.instruments)


class Notification(models.Model):
    """An in-app reminder, shown on the member's pages until dismissed. Its words are fixed and generic; what
    is due is read live from the schedule when the page is shown."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    outbox = models.OneToOneField(Outbox, on_delete=models.SET_NULL, null=True, blank=True)
    """The outbox row it delivers (unique: an in-app send creates one notification, once)."""
    item = models.CharField(max_length=32, default=REASSESSMENT)
    due_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "read_at"])]

    def __str__(self) -> str:
        return f"notification {self.public_id}"


class Heartbeat(models.Model):
    """The last time a background process went round its loop (one row per process kind)."""

    name = models.CharField(max_length=32, unique=True)
    beat_at = models.DateTimeField()
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (one device) for a member's reminders. The endpoint is a capability URL
    (whoever holds it can push to that browser), so it is encrypted at rest like the browser's keys; the
    endpoint's SHA-256 digest finds it again and keeps it once per member."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = EncryptedTextField()
    endpoint_digest = models.CharField(max_length=64)
    """SHA-256 of the endpoint, hex (the endpoint itself holds an unguessable token)."""
    p256dh = EncryptedTextField()
    """The browser's P-256 public key, URL-safe base64 (as the browser's subscription JSON gives it)."""
    auth = EncryptedTextField()
    """The browser's 16-byte authentication secret, URL-safe base64."""
    created_at = models.DateTimeField(default=timezone.now)
    last_delivered = models.ForeignKey(
        Outbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    """The last outbox row delivered here: a retry after another device failed skips this one."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "endpoint_digest"], name="one_push_subscription_per_endpoint"
            )
        ]

    def __str__(self) -> str:
        return f"push subscription {self.public_id}"

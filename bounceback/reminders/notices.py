"""Notices: one-off messages to a person through the reminder outbox (in-app, email, Web Push), for the apps
above this one (a visit booked, changed or coming up; a new message; a visit summary ready).

The outbox's guarantees carry over unchanged: one row per (recipient, kind, ref, local date, channel), unique
in the database, so notifying twice the same day sends once; claimed by one worker, recorded as sent only after
the mail server or push service accepted it, retried with back-off, failed rows shown in the admin and on
``/health/``.

A notice's words are fixed when its kind is registered, the same for everyone, and say nothing of health: no
reason, no message text, no subject, no clinician's name (hazard H18). ``ref`` is the public id of what the
notice is about; ``still_wanted(ref, recipient)``, given at registration, is asked at send time, so a reminder of
a visit cancelled meanwhile is not sent. Apps register their kinds in their ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from bounceback.accounts.models import User

from . import push
from .models import Channel, Outbox, PushSubscription, Status
from .rules import REASSESSMENT, zone

StillWanted = Callable[[str, User], bool]


@dataclass(frozen=True)
class Notice:
    kind: str
    """Up to 32 characters, e.g. "visit.soon"."""
    subject: str
    """The email's subject: fixed words."""
    body: str
    """One or two sentences: the in-app text, the push text and the email's first paragraph."""
    path: str
    """Where it leads: a path on this site, behind sign-in, with no health data in it."""


def _always(ref: str, recipient: User) -> bool:
    return True


_REGISTRY: dict[str, tuple[Notice, StillWanted]] = {}


def register(notice: Notice, still_wanted: StillWanted = _always) -> None:
    """Make a kind of notice known (idempotent for the same notice; a second, different one is an error)."""
    if not 0 < len(notice.kind) <= 32 or notice.kind == REASSESSMENT:
        raise ValueError(f"bad notice kind {notice.kind!r}")
    if not notice.path.startswith("/") or notice.path.startswith("//"):
        raise ValueError("a notice leads to a path on this site")
    known = _REGISTRY.get(notice.kind)
    if known is not None and known[0] != notice:
        raise ValueError(f"notice kind {notice.kind!r} is registered twice with different words")
    _REGISTRY[notice.kind] = (notice, still_wanted)


def notice_of(kind: str) -> Notice | None:
    known = _REGISTRY.get(kind)
    return known[0] if known else None


def still_wanted(row: Outbox) -> bool:
    known = _REGISTRY.get(row.item)
    return known is not None and known[1](row.ref, row.member)


def channels_of(recipient: User) -> list[str]:
    """In-app always; email to a confirmed address; Web Push to the person's devices when it is on."""
    channels = [Channel.IN_APP.value]
    if EmailAddress.objects.filter(user_id=recipient.pk, verified=True).exists():
        channels.append(Channel.EMAIL.value)
    if push.enabled() and PushSubscription.objects.filter(member_id=recipient.pk).exists():
        channels.append(Channel.PUSH.value)
    return channels


def notify(recipient: User, kind: str, ref: str, *, send_at: datetime | None = None) -> int:
    """Plan this notice to the person on each of their channels, at ``send_at`` (now when None). Returns the
    number of rows added (0 when the same notice is already planned for that local day)."""
    if kind not in _REGISTRY:
        raise ValueError(f"unknown notice kind {kind!r}")
    if not recipient.is_active:
        return 0
    now = timezone.now()
    when = send_at or now
    day = when.astimezone(zone(recipient.time_zone)).date()
    rows = [
        Outbox(
            member=recipient,
            item=kind,
            ref=str(ref),
            due_date=day,
            channel=channel,
            send_at=when,
            created_at=now,
            changed_at=now,
        )
        for channel in channels_of(recipient)
    ]
    before = Outbox.objects.filter(member_id=recipient.pk, item=kind, ref=str(ref), due_date=day).count()
    Outbox.objects.bulk_create(rows, ignore_conflicts=True)
    added = (
        Outbox.objects.filter(member_id=recipient.pk, item=kind, ref=str(ref), due_date=day).count() - before
    )
    if when <= now:
        transaction.on_commit(_hand_over)
    return added


def _hand_over() -> None:
    from .outbox import hand_to_worker  # the outbox module delivers notices, so it imports this one

    hand_to_worker()


def withdraw(kind: str, ref: str) -> int:
    """Cancel the notices of this kind about this thing that have not gone yet (a cancelled visit's reminders)."""
    return Outbox.objects.filter(item=kind, ref=str(ref), status=Status.PENDING).update(
        status=Status.CANCELLED, enqueued_at=None, changed_at=timezone.now()
    )

"""The one place a member's reminder settings, plan and notifications are looked up. Functions take the user,
not the request, so views, the API, workers and commands share them. Nobody but the member reads them."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404

from bounceback.accounts.models import Role, User

from .assigned import Extra, extras_for
from .models import Notification, PushSubscription, ReminderSettings
from .outbox import plan_of, settings_for
from .rules import REASSESSMENT, Plan

NOT_FOUND = "No such notification"


def is_reminded(user: User) -> bool:
    """Members get re-assessment reminders; clinicians, operators and researchers do not."""
    return bool(user.is_authenticated and user.role == Role.MEMBER)


def members_only(user: User) -> None:
    if not is_reminded(user):
        raise Http404("Not found")


def reminder_settings_of(user: User) -> ReminderSettings:
    members_only(user)
    return settings_for(user)


def due_plan_of(user: User) -> Plan:
    """What is due, overdue and upcoming for the member now."""
    members_only(user)
    return plan_of(user)


def asked_of(user: User) -> list[Extra]:
    """The schedules others asked the member to keep (a clinician's assigned measures), for their own pages."""
    members_only(user)
    return extras_for([user.pk]).get(user.pk, [])


def unread_notifications_of(user: User) -> list[Notification]:
    members_only(user)
    return list(
        Notification.objects.filter(member_id=user.pk, read_at__isnull=True, item=REASSESSMENT).order_by(
            "-created_at"
        )
    )


def unread_notices_of(user: User) -> list[Notification]:
    """The person's unread notices (visits, messages…), newest first: anyone signed in has them."""
    if not user.is_authenticated:
        return []
    return list(
        Notification.objects.filter(member_id=user.pk, read_at__isnull=True)
        .exclude(item=REASSESSMENT)
        .select_related("outbox")
        .order_by("-created_at")[:50]
    )


def get_notice(user: User, public_id: str | uuid.UUID) -> Notification:
    """The person's own notice, else the same 404 for missing and forbidden."""
    try:
        found = (
            Notification.objects.filter(public_id=public_id, member_id=user.pk)
            .exclude(item=REASSESSMENT)
            .first()
            if user.is_authenticated
            else None
        )
    except (ValueError, TypeError, ValidationError):
        found = None
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def get_notification(user: User, public_id: str | uuid.UUID) -> Notification:
    """The member's own notification, else the same 404 for missing and forbidden."""
    members_only(user)
    try:
        found = Notification.objects.filter(public_id=public_id, member_id=user.pk).first()
    except (ValueError, TypeError, ValidationError):
        found = None
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def push_devices_of(user: User) -> int:
    """How many of the person's browsers get Web Push reminders and notices."""
    if not user.is_authenticated:
        return 0
    return PushSubscription.objects.filter(member_id=user.pk).count()

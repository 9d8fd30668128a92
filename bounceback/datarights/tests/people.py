"""Members with something of every kind a member can have, made through the real actions (and, for sign-ins,
the real pages), for the export and deletion tests."""

from __future__ import annotations

import time as clock
from datetime import time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.checkups import actions as checkups
from bounceback.checkups.models import CheckUp
from bounceback.plans.actions import record_practice
from bounceback.reminders.actions import save_settings
from bounceback.reminders.models import Channel, Notification, Outbox
from bounceback.safetyplan.actions import add_entry
from bounceback.safetyplan.steps import ASK_FOR_HELP
from bounceback.test import CALM_ANSWERS, PASSWORD, make_user, member_checkup
from bounceback.tracking.actions import local_today, save_checkin

FLAGGED_ANSWERS = CALM_ANSWERS | {"phq9_9": 1, "asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 0}
"""A complete check-up that raised safety events: item 9 above 0 and a non-acute ASQ positive."""


def note_of(name: str) -> str:
    return f"Journal of {name}: a walk by the river helped."


def contact_of(name: str) -> str:
    return f"Sam, the sister of {name}"


def signed_in(user: User, password: str = PASSWORD) -> Client:
    """A browser signed in through the sign-in page, as a person would (a device, and a sign-in record)."""
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response
    return client


def full_member(name: str) -> User:
    """A member with one of everything: check-ups (finished with safety events, and in progress), answers,
    results, check-ins with journal notes, a safety plan, practice, reminder settings, a planned reminder and a
    notification, a second email address, a signed-in device, a sign-in and a failed one, and an admin log entry
    about them."""
    user = make_user(name)
    EmailAddress.objects.create(user=user, email=f"{name}.other@example.org", verified=True, primary=False)
    done = member_checkup(user, FLAGGED_ANSWERS)
    checkups.confirm_safe(done, actor=user)
    assert checkups.complete_if_done(done, actor=user)
    member_checkup(user, {"brs_1": 2, "brs_2": 3})  # in progress
    today = local_today(user)
    save_checkin(
        user, today, {"mood": 6, "sleep_hours": Decimal("7.5"), "connected": True, "note": note_of(name)}
    )
    save_checkin(user, today - timedelta(days=1), {"mood": 4, "sleep_quality": 2, "exercise_minutes": 30})
    record_practice(user, 10)
    add_entry(user, ASK_FOR_HELP, contact_of(name), phone="+1 555 0100")
    save_settings(
        user,
        instruments=["brs", "phq9"],
        every_days=14,
        at=time(10, 0),
        quiet_start=time(22, 0),
        quiet_end=time(7, 0),
        email=True,
        in_app=True,
    )
    outbox, _ = Outbox.objects.get_or_create(
        member=user,
        item="reassessment",
        due_date=today + timedelta(days=14),
        channel=Channel.IN_APP,
        defaults={"send_at": timezone.now() + timedelta(days=14), "instruments": "brs"},
    )
    Notification.objects.create(member=user, outbox=outbox, due_date=today)
    wrong = Client().post("/accounts/login/", {"login": user.email, "password": "not the password at all"})
    assert wrong.status_code == 200
    signed_in(user)
    operator = User.objects.filter(role=Role.OPERATOR).first() or make_user(
        f"{name}s-operator", Role.OPERATOR
    )
    LogEntry.objects.create(
        user=operator,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=user.email,
        action_flag=CHANGE,
        change_message="[]",
    )
    return user


def with_two_factor(user: User) -> str:
    """Set up a real authenticator app (TOTP) for the account; returns its secret."""
    secret = str(generate_totp_secret())
    TOTP.activate(user, secret)
    return secret


def code_for(secret: str, *, step: int = 0) -> str:
    return str(format_hotp_value(hotp_value(secret, int(clock.time()) // 30 + step)))


def checkups_of(user: User) -> list[CheckUp]:
    return list(CheckUp.objects.filter(owner=user))

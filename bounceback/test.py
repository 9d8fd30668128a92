"""Shared test builders: named people, and check-ups answered through the real actions."""

from __future__ import annotations

from collections.abc import Mapping

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client

from bounceback.accounts.models import Role, User
from bounceback.checkups import actions
from bounceback.checkups.access import SESSION_KEY
from bounceback.checkups.models import CheckUp

PASSWORD = "a long and unusual passphrase 42"  # noqa: S105 - test accounts only


def make_user(name: str, role: str = Role.MEMBER) -> User:
    """An account whose address is confirmed (as after following the link in the confirmation email)."""
    user = User.objects.create_user(
        username=name, email=f"{name}@example.org", password=PASSWORD, role=role, country="US"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def enable_two_factor(user: User) -> None:
    """Give a clinician or operator a TOTP authenticator, as after setting up two-factor sign-in."""
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "test"})


def member_checkup(user: User, answers: Mapping[str, int] | None = None) -> CheckUp:
    checkup, _secret = actions.start_checkup(actor=user, context=[], country=user.country or "US")
    for item_id, value in (answers or {}).items():
        actions.save_answer(checkup, item_id, value, actor=user)
    return checkup


def visitor_checkup(client: Client, answers: Mapping[str, int] | None = None) -> CheckUp:
    """Start a check-up as a visitor through the page, as a browser would, and answer it via the actions."""
    response = client.post("/checkup/", {"context": ["loss"]})
    assert response.status_code == 302, response
    public_id = response["Location"].split("/")[2]  # /checkup/<public id>/p/<step>/
    checkup = CheckUp.objects.get(public_id=public_id)
    for item_id, value in (answers or {}).items():
        actions.save_answer(checkup, item_id, value, actor=None)
    return checkup


def visitor_secret(client: Client, checkup: CheckUp) -> str:
    return str(client.session[SESSION_KEY][str(checkup.public_id)])


CALM_ANSWERS: dict[str, int] = {
    **{f"brs_{n}": 4 if n % 2 else 2 for n in range(1, 7)},
    "phq9_1": 0,
    "phq9_2": 1,
    "phq9_9": 0,
    "gad7_1": 1,
    "gad7_2": 0,
    "pcptsd5_exposure": 0,
    "osss3_1": 3,
    "osss3_2": 4,
    "osss3_3": 3,
    "ucla3_1": 1,
    "ucla3_2": 1,
    "ucla3_3": 2,
    "evs_days": 3,
    "evs_minutes": 45,
    **{f"swls_{n}": 5 for n in range(1, 6)},
}
"""A complete check-up on the shortest path, with no safety flags."""

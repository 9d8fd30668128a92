"""Sign-ins, failed sign-ins and sign-outs go in the audit trail.

A failed sign-in never records what was typed (the password, or the email address): only the public id of the
account it was for, when there is one; for an address with no account, nothing that names anyone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .record import record

SIGN_IN = "account.signin"
SIGN_IN_FAILED = "account.signin.fail"
SIGN_OUT = "account.signout"
LOGIN_KEYS = ("email", "login", "username")


def _public_id(user: Any) -> str:
    return str(getattr(user, "public_id", "") or "")


@receiver(user_logged_in, dispatch_uid="bounceback.audit.signed_in")
def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, SIGN_IN, "user", _public_id(user))


@receiver(user_logged_out, dispatch_uid="bounceback.audit.signed_out")
def signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and user.is_authenticated:
        record(user, SIGN_OUT, "user", _public_id(user))


@receiver(user_login_failed, dispatch_uid="bounceback.audit.sign_in_failed")
def sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    typed = next((str(credentials[k]) for k in LOGIN_KEYS if credentials.get(k)), "")
    account = None
    if typed:
        users = get_user_model().objects
        account = (
            users.filter(email__iexact=typed).first()
            if "@" in typed
            else users.filter(username=typed).first()
        )
    record(AnonymousUser(), SIGN_IN_FAILED, "user", _public_id(account) if account is not None else "")

"""A visitor who creates an account keeps the check-ups they started: nothing answered is lost.

Not at sign-up itself: sign-up answers alike whether or not the address already had an account, and moving the
check-ups then would show which it was. Sign-up notes the address typed in the session (``accounts.signup``);
the check-ups this browser started move to that account when its owner proves it here, by confirming the
address (allauth's ``email_confirmed``) or by signing in with its password (``user_logged_in``).

Signing in to any other account never takes over check-ups found in the browser (on a shared device they may be
someone else's): the person adds one explicitly with "Add it to my account" (keep_checkup).
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from bounceback.accounts.signup import SIGNED_UP_AS, signed_up_as

from .access import forget_visitor_checkups, visitor_secrets
from .actions import claim_checkups


@receiver(email_confirmed, dispatch_uid="bounceback.checkups.claim_on_confirmation")
def claim_on_confirmation(
    sender: Any, request: HttpRequest | None, email_address: Any, **kwargs: Any
) -> None:
    claim_for_signup(request, email_address.user, email_address.email)


@receiver(user_logged_in, dispatch_uid="bounceback.checkups.claim_on_sign_in")
def claim_on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    claim_for_signup(request, user, str(getattr(user, "email", "") or ""))


def claim_for_signup(request: HttpRequest | None, user: Any, email: str) -> None:
    """Move this browser's check-ups to ``user`` if this browser signed up with ``email`` (then forget that)."""
    session = getattr(request, "session", None)
    if request is None or session is None or not email or signed_up_as(request) != email.lower():
        return
    secrets = visitor_secrets(request)
    if secrets:
        claimed = claim_checkups(user, secrets)
        forget_visitor_checkups(request, [str(c.public_id) for c in claimed])
    session.pop(SIGNED_UP_AS, None)

"""A visitor who creates an account keeps the check-ups they started: nothing answered is lost.

Only at sign-up. Signing in to an existing account never takes over check-ups found in the browser (on a shared
device they may be someone else's): the person adds one explicitly with "Add it to my account" (keep_checkup).
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_signed_up
from django.dispatch import receiver
from django.http import HttpRequest

from .access import forget_visitor_checkups, visitor_secrets
from .actions import claim_checkups


@receiver(user_signed_up)
def claim_visitor_checkups(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    secrets = visitor_secrets(request)
    if not secrets:
        return
    claimed = claim_checkups(user, secrets)
    forget_visitor_checkups(request, [str(c.public_id) for c in claimed])

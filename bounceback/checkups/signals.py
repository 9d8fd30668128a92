"""A visitor who signs up or signs in keeps the check-ups they started: nothing answered is lost."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import user_logged_in, user_signed_up
from django.dispatch import receiver
from django.http import HttpRequest

from .access import forget_visitor_checkups, visitor_secrets
from .actions import claim_checkups


@receiver(user_signed_up)
@receiver(user_logged_in)
def claim_visitor_checkups(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    secrets = visitor_secrets(request)
    if not secrets:
        return
    claimed = claim_checkups(user, secrets)
    forget_visitor_checkups(request, [str(c.public_id) for c in claimed])

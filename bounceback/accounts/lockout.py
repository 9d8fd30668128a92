"""Sign-in lockout (django-axes): one bucket per account and one per client address, each with its own limit.

allauth signs in by email, so axes is told how to find the account in what it is given (``account_key``): the
credentials allauth passes to ``authenticate`` (``email``), the form post (``login``), or, after a successful
sign-in, the username axes derives from the user. All three become the account's lower-cased email, so the
failures, the lockout check and the reset on success talk about the same account.

- ``AXES_FAILURE_LIMIT`` failures for one account lock that account (from every address).
- ``BOUNCEBACK_LOCKOUT_ADDRESS_LIMIT`` failures from one address, over any accounts, lock that address.
- A successful sign-in clears that account's failures only, never the address's (which other people's
  failures share).
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

CREDENTIAL_KEYS = ("email", "login", "username")


def account_key(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str | None:
    """The account a sign-in attempt is for: its lower-cased email (or what was typed, for no account)."""
    raw: object = None
    if credentials:
        raw = next((credentials[k] for k in CREDENTIAL_KEYS if credentials.get(k)), None)
    elif request is not None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if not raw:
        return None
    typed = str(raw).strip()
    if "@" not in typed:
        # After a successful sign-in axes passes user.get_username(); map it to the account's email.
        email = get_user_model().objects.filter(username=typed).values_list("email", flat=True).first()
        typed = email or typed
    return typed.lower()


class AccountAndAddressHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """axes's database handler with a separate limit for the address bucket and a per-account reset."""

    def _buckets(self, request: HttpRequest, credentials: dict[str, Any] | None) -> dict[str, int]:
        attempts: list[QuerySet[AccessAttempt]] = self.get_user_attempts(request, credentials)
        counts = [a.aggregate(total=Sum("failures_since_start"))["total"] or 0 for a in attempts]
        return dict(zip(("account", "address"), counts, strict=True))

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The account's failures, or the failure limit once the address has reached its own limit.

        axes compares this one number with ``AXES_FAILURE_LIMIT``; the address bucket has a higher limit.
        """
        counts = self._buckets(request, credentials)
        if counts["address"] >= settings.BOUNCEBACK_LOCKOUT_ADDRESS_LIMIT:
            return max(counts["account"], int(settings.AXES_FAILURE_LIMIT))
        return counts["account"]

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """On success, forget this account's failures only (axes would clear the whole address too)."""
        key = account_key(request, credentials)
        if key is None:
            return 0
        count, _ = AccessAttempt.objects.filter(username=key).delete()
        return int(count)

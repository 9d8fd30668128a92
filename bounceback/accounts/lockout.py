"""Sign-in lockout (django-axes): one bucket per account and one per client address, each with its own limit.

allauth signs in by email, so axes is told how to find the account in what it is given (``account_key``): the
credentials allauth passes to ``authenticate`` (``email``), the form post (``login``), or, after a successful
sign-in, the username axes derives from the user. All three become the account's lower-cased email, so the
failures, the lockout check and the reset on success talk about the same account.

- ``AXES_FAILURE_LIMIT`` failures for one account lock that account (from every address).
- ``BOUNCEBACK_LOCKOUT_ADDRESS_LIMIT`` failures from one address, over any accounts, lock that address.
- A successful sign-in clears that account's failures only, never the address's (which other people's
  failures share).

The client's address is the one allauth's own rate limits use (``client_address``): behind our proxies, the
entry ``TRUSTED_PROXY_COUNT`` hops from the right of X-Forwarded-For, so clients neither share the proxy's
address nor choose their own.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from allauth.account.adapter import get_adapter
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
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


def client_address(request: HttpRequest) -> str | None:
    """The client's address, as allauth reads it (``ALLAUTH_TRUSTED_PROXY_COUNT``), for the address bucket;
    None for a request with no address (axes is also told of sign-ins made without one, such as the test
    client's ``force_login``)."""
    try:
        return str(get_adapter().get_client_ip(request))
    except PermissionDenied:
        return None


class Failures(NamedTuple):
    """Recent failed sign-ins in each bucket."""

    account: int
    """For the account the attempt is for, from any address."""
    address: int
    """From the client's address, for any accounts."""


class AccountAndAddressHandler(AxesDatabaseHandler):  # type: ignore[misc]
    """axes's database handler with a separate limit for the address bucket and a per-account reset."""

    def failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> Failures:
        """Each bucket's recent failures. axes returns one query per entry of ``AXES_LOCKOUT_PARAMETERS``,
        in that order: "username" (which ``account_key`` makes the account's email) and "ip_address"."""
        attempts: list[QuerySet[AccessAttempt]] = self.get_user_attempts(request, credentials)
        by_parameter = {
            parameter: query.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for parameter, query in zip(settings.AXES_LOCKOUT_PARAMETERS, attempts, strict=True)
        }
        return Failures(account=by_parameter["username"], address=by_parameter["ip_address"])

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The account's failures, or the failure limit once the address has reached its own limit.

        axes compares this one number with ``AXES_FAILURE_LIMIT``; the address bucket has a higher limit.
        """
        failures = self.failures(request, credentials)
        if failures.address >= settings.BOUNCEBACK_LOCKOUT_ADDRESS_LIMIT:
            return max(failures.account, int(settings.AXES_FAILURE_LIMIT))
        return failures.account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """On success, forget this account's failures only (axes would clear the whole address too)."""
        key = account_key(request, credentials)
        if key is None:
            return 0
        count, _ = AccessAttempt.objects.filter(username=key).delete()
        return int(count)

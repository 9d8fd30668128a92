"""The crisis-country rule for a web request, without touching the database unless the view already did."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from .crisis import COUNTRY_COOKIE, is_choice, resources_for
from .rules import crisis_country

ACCOUNT_ATTRIBUTE = "bounceback_account"
"""Set on the request once something has loaded the signed-in account (never loaded for this rule alone)."""


def country_for(request: HttpRequest, *, started_with: str = "") -> str:
    """The crisis country for this request (see ``safety.rules.crisis_country``).

    The account counts only when the view already loaded it: the crisis pages never load the session or the
    account, so they work with the database down (hazard H24).
    """
    account = getattr(request, ACCOUNT_ATTRIBUTE, None)
    signed_in = bool(account is not None and account.is_authenticated)
    return crisis_country(
        chosen=request.COOKIES.get(COUNTRY_COOKIE, ""),
        signed_in=signed_in,
        account=str(getattr(account, "country", "") or "") if signed_in else "",
        started_with=started_with,
        default=settings.BOUNCEBACK_DEFAULT_COUNTRY,
    )


def site(request: HttpRequest) -> dict[str, object]:
    """Context every page gets: the crisis resources behind the "Get help now" link."""
    return {"crisis": resources_for(country_for(request))}


def remember_country(response: HttpResponse, country: str) -> None:
    response.set_cookie(
        COUNTRY_COOKIE,
        country,
        max_age=60 * 60 * 24 * 365,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class CrisisCountryMiddleware:
    """Notes when the view loads the signed-in account, and gives that member's browser the crisis-country
    cookie from their account, once. Never overwrites a country the person chose. Placed right after
    Django's AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def load() -> object:
            user = auth.get_user(request)
            setattr(request, ACCOUNT_ATTRIBUTE, user)
            return user

        request.user = SimpleLazyObject(load)  # type: ignore[assignment]
        response = self.get_response(request)
        account = getattr(request, ACCOUNT_ATTRIBUTE, None)
        signed_in = account is not None and account.is_authenticated
        country = str(getattr(account, "country", "") or "") if signed_in else ""
        if is_choice(country) and COUNTRY_COOKIE not in request.COOKIES:
            remember_country(response, country)
        return response

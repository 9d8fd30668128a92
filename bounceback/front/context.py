"""Context every page gets: the crisis resources behind the "Get help now" link (no database access)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from bounceback.safety.crisis import COUNTRY_COOKIE, is_choice, resources_for


def crisis_country(request: HttpRequest) -> str:
    """The country whose crisis resources this person sees. One rule everywhere: the country they chose (kept
    in a cookie, so no database is needed), else their account's country when the view already loaded the
    account, else the site's default."""
    chosen = request.COOKIES.get(COUNTRY_COOKIE, "")
    if is_choice(chosen):
        return chosen
    user = getattr(request, "_cached_user", None)
    country = str(getattr(user, "country", "") or "")
    return country if is_choice(country) else settings.BOUNCEBACK_DEFAULT_COUNTRY


def site(request: HttpRequest) -> dict[str, object]:
    return {"crisis": resources_for(crisis_country(request))}


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
    """Give a signed-in member's browser the crisis-country cookie from their account, once.

    Never overwrites a country the person chose on Get help now, and only looks at a user the view already
    loaded, so pages that must work without the database never touch it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "_cached_user", None)
        country = getattr(user, "country", "") if user is not None and user.is_authenticated else ""
        if country and is_choice(country) and COUNTRY_COOKIE not in request.COOKIES:
            remember_country(response, country)
        return response

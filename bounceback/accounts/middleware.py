"""Clinicians, operators and staff must set up two-factor sign-in before they can do anything else."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

DATABASE_FREE_PREFIXES = ("/help/", "/static/")
"""Crisis pages must work when the database is down: no middleware may load the session or user for them."""
ALWAYS_ALLOWED_PREFIXES = ("/accounts/", *DATABASE_FREE_PREFIXES)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(ALWAYS_ALLOWED_PREFIXES):
            return self.get_response(request)
        user = request.user
        if user.is_authenticated and getattr(user, "needs_two_factor", False) and not is_mfa_enabled(user):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Sign a member out after a period without activity (a shared device left open, hazard H14).

    Visitors keep their check-up for the session's lifetime so they can resume; signed-in people are signed out
    after ``BOUNCEBACK_IDLE_MINUTES`` without a request.
    """

    SESSION_KEY = "bb_last_seen"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(DATABASE_FREE_PREFIXES) and request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.SESSION_KEY, now)
            if now - int(last_seen) > settings.BOUNCEBACK_IDLE_MINUTES * 60:
                logout(request)
                if request.headers.get("HX-Request"):
                    # An autosave: never swap a sign-in page into the question; the page says "not saved".
                    return HttpResponse("Signed out after a while without activity.", status=401)
                messages.info(request, "You were signed out after a while without activity.")
                return redirect(f"{reverse('account_login')}?{urlencode({'next': _return_to(request)})}")
            if now - int(last_seen) > 60 or self.SESSION_KEY not in request.session:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


def _return_to(request: HttpRequest) -> str:
    """Where to go after signing in again: the page itself, or for a form post the page it was sent from."""
    if request.method == "GET":
        return request.get_full_path()
    referer = urlsplit(request.headers.get("Referer", ""))
    same_site = referer.netloc in ("", request.get_host())
    return referer.path if same_site and referer.path.startswith("/") else reverse("bb-me")

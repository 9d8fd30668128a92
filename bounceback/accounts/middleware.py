"""Clinicians, operators and staff must set up two-factor sign-in before they can do anything else."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

DATABASE_FREE_PREFIXES = ("/help/", "/static/", "/favicon.ico")
"""Crisis pages (and the icon browsers ask for on every page) must work when the database is down: no
middleware may load the session or user for them."""

ENROLMENT_PATHS = (
    "/accounts/2fa/totp/activate/",
    "/accounts/reauthenticate/",
    "/accounts/2fa/reauthenticate/",
    "/accounts/logout/",
)
"""What someone who must set up two-factor sign-in may use before they have: setting it up (allauth asks for
the password again first), and signing out. Nothing that changes or shows the account (email addresses,
password, sessions, recovery codes) until the second factor is there."""
PUBLIC_PATHS = ("/",)
PUBLIC_PREFIXES = (
    "/help/",
    "/static/",
    "/favicon.ico",
    "/instruments/",
    "/evidence/",
    "/health/",
    "/privacy/",
    "/terms/",
    "/about/",
)
"""Pages for everyone, with or without an account."""
assert set(DATABASE_FREE_PREFIXES) <= set(PUBLIC_PREFIXES), "the crisis pages are public"


def allowed_before_two_factor(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES) or path.startswith(ENROLMENT_PATHS)


def has_authenticator_app(user: object) -> bool:
    """The authenticator app (TOTP) is the second factor staff must keep; a security key may be added beside it,
    never instead of it."""
    return bool(is_mfa_enabled(user, [Authenticator.Type.TOTP]))


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if allowed_before_two_factor(request.path):  # includes the database-free crisis pages
            return self.get_response(request)
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "needs_two_factor", False)
            and not has_authenticator_app(user)
        ):
            if request.headers.get("HX-Request"):
                return HttpResponse("Set up two-factor sign-in first.", status=403)
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """End a session after a period without activity (a shared device left open, hazard H14).

    Signed-in people are signed out after ``BOUNCEBACK_IDLE_MINUTES`` without a request. A visitor's session
    (the secrets of check-ups started without an account) is cleared after the same time, so the next person
    at the device cannot open them; within that time a visitor resumes, even after closing the browser (the
    session cookie outlives the browser).
    """

    SESSION_KEY = "bb_last_seen"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(DATABASE_FREE_PREFIXES):
            return self.get_response(request)
        now = int(time.time())
        limit = settings.BOUNCEBACK_IDLE_MINUTES * 60
        session = request.session
        if request.user.is_authenticated:
            last_seen = session.get(self.SESSION_KEY, now)
            if now - int(last_seen) > limit:
                logout(request)
                if request.headers.get("HX-Request"):
                    # An autosave: never swap a sign-in page into the question; the page says "not saved".
                    return HttpResponse("Signed out after a while without activity.", status=401)
                messages.info(request, "You were signed out after a while without activity.")
                return redirect(f"{reverse('account_login')}?{urlencode({'next': _return_to(request)})}")
        elif self.SESSION_KEY in session and now - int(session[self.SESSION_KEY]) > limit:
            session.flush()
            if request.headers.get("HX-Request"):
                return HttpResponse(
                    "Closed after a while without activity: this answer was not saved.", status=401
                )
            messages.info(
                request,
                "For your privacy, a check-up left open in this browser was closed after a while without activity.",
            )
        if _holds_data(session) and (
            self.SESSION_KEY not in session or now - int(session[self.SESSION_KEY]) > 60
        ):
            session[self.SESSION_KEY] = now
        response = self.get_response(request)
        if session.modified and self.SESSION_KEY not in session and not session.is_empty():
            # The request that first stored something (a visitor's check-up, a sign-in) starts the clock.
            session[self.SESSION_KEY] = now
        return response


def _holds_data(session: SessionBase) -> bool:
    """Whether the session holds anything worth timing (an empty visitor session is never saved)."""
    return bool(session.keys())


def _return_to(request: HttpRequest) -> str:
    """Where to go after signing in again: the page itself, or for a form post the page it was sent from."""
    if request.method == "GET":
        return request.get_full_path()
    referer = urlsplit(request.headers.get("Referer", ""))
    same_site = referer.netloc in ("", request.get_host())
    return referer.path if same_site and referer.path.startswith("/") else reverse("bb-me")

"""Response headers every page gets, and a "Get help now" page for 405 (Django's is blank)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from .errors import render_error


class PrivacyHeadersMiddleware:
    """``Permissions-Policy`` on every response; ``Cache-Control: no-store`` on every response to someone with
    a session (a signed-in person, or a visitor holding a check-up), so no browser or proxy keeps a copy of a
    private page (hazard H14). Decided on the cookie, never by loading the session: the crisis pages stay
    database-free. Static files are public and keep their long cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(f"{k}={v}" for k, v in settings.PERMISSIONS_POLICY.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if not request.path.startswith(settings.STATIC_URL) and self._private(request, response):
            add_never_cache_headers(response)  # private, no-cache, no-store, must-revalidate, max-age=0
        return response

    @staticmethod
    def _private(request: HttpRequest, response: HttpResponse) -> bool:
        cookie = settings.SESSION_COOKIE_NAME  # a signed-in person always carries (or is just given) one
        return cookie in request.COOKIES or cookie in response.cookies


class MethodNotAllowedPageMiddleware:
    """Django's ``require_http_methods`` answers 405 with an empty body; give it the error page (with the
    crisis resources), keeping the ``Allow`` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False) or response.content:
            return response
        page = render_error(request, "405.html", 405)
        if "Allow" in response.headers:
            page.headers["Allow"] = response.headers["Allow"]
        return page

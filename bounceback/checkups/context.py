"""The acute-risk banner on every page, not only the check-up's own (hazard H04).

After a "yes" to the ASQ's "are you having thoughts of killing yourself right now?", the banner with "call
988 or 911 now" follows the person to the home page, the questionnaires, the timer and their account for a
day; the check-up's own pages keep it for good. Evaluated only when a page shows it, so the crisis pages (which
never load the session) are untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from .access import acute_since, visitor_secrets

ACUTE_BANNER_HOURS = 24


def acute_banner(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    def acute_everywhere() -> bool:
        session = getattr(request, "session", None)
        if session is None or not session.accessed:
            return False  # the crisis pages never load the session (they work with the database down)
        since = timezone.now() - timedelta(hours=ACUTE_BANNER_HOURS)
        return acute_since(request.user, visitor_secrets(request), since)

    return {"acute_everywhere": acute_everywhere}

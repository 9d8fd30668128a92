"""Context every page gets: the crisis resources behind the "Get help now" link (no database access)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from bounceback.safety.crisis import resources_for


def site(request: HttpRequest) -> dict[str, object]:
    return {"crisis": resources_for(settings.BOUNCEBACK_DEFAULT_COUNTRY)}

"""System checks for Bounceback's own settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from bounceback.instruments import INSTRUMENTS
from bounceback.safety.crisis import RESOURCES


@register()
def check_bounceback_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    unknown = [i for i in settings.BOUNCEBACK_ENABLED_INSTRUMENTS if i not in INSTRUMENTS]
    if unknown:
        errors.append(
            Error(
                f"BOUNCEBACK_ENABLED_INSTRUMENTS names unknown instruments: {', '.join(unknown)}",
                hint=f"Known: {', '.join(INSTRUMENTS)}",
                id="bounceback.E001",
            )
        )
    if settings.BOUNCEBACK_DEFAULT_COUNTRY not in RESOURCES:
        errors.append(
            Error(
                f"BOUNCEBACK_DEFAULT_COUNTRY {settings.BOUNCEBACK_DEFAULT_COUNTRY!r} has no crisis resources",
                hint=f"Countries with resources: {', '.join(RESOURCES)}",
                id="bounceback.E002",
            )
        )
    return errors

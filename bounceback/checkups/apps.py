from __future__ import annotations

from django.apps import AppConfig


class CheckupsConfig(AppConfig):
    name = "bounceback.checkups"
    label = "checkups"
    verbose_name = "Check-ups"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (claims a visitor's check-ups at sign-up and sign-in)

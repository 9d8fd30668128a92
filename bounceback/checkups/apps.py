from __future__ import annotations

from django.apps import AppConfig


class CheckupsConfig(AppConfig):
    name = "bounceback.checkups"
    label = "checkups"
    verbose_name = "Check-ups"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (a visitor's check-ups join their new account)

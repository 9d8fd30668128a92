from __future__ import annotations

from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "bounceback.front"
    label = "front"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

from __future__ import annotations

from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "bounceback.tracking"
    label = "tracking"
    verbose_name = "Daily check-ins"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (the mindfulness timer's minutes join that day's check-in)

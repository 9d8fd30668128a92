from __future__ import annotations

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "bounceback.dashboard"
    label = "dashboard"
    verbose_name = "Measurement-based care"

    def ready(self) -> None:
        from bounceback.reminders.assigned import register_source

        from .assigned import extras_of

        register_source(extras_of)

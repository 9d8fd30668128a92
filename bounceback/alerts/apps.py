from __future__ import annotations

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "bounceback.alerts"
    label = "alerts"
    verbose_name = "Safety alerts to clinicians"

    def ready(self) -> None:
        from bounceback.reminders.jobs import register_job
        from bounceback.reminders.notices import register

        from . import signals  # noqa: F401  (a safety event raises its alerts)
        from .actions import ALERT_NOTICE, escalate_due, still_wanted

        register(ALERT_NOTICE, still_wanted)
        register_job("alerts.escalate", escalate_due)

from __future__ import annotations

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "bounceback.alerts"
    label = "alerts"
    verbose_name = "Safety alerts to clinicians"

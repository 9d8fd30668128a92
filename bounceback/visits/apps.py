from __future__ import annotations

from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "bounceback.visits"
    label = "visits"
    verbose_name = "Booking and visits"

from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for local use. The top of the dependency order: it may import every app, and nothing imports it."""

    name = "bounceback.demo"
    label = "demo"
    verbose_name = "Demo data"

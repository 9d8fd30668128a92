from __future__ import annotations

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "bounceback.safety"
    label = "safety"
    verbose_name = "Safety"

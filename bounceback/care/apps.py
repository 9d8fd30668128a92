from __future__ import annotations

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "bounceback.care"
    label = "care"
    verbose_name = "Care relationships and sharing"

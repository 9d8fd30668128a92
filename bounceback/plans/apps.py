from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "bounceback.plans"
    label = "plans"
    verbose_name = "Resilience plans"

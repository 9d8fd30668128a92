from __future__ import annotations

from django.apps import AppConfig


class SafetyPlanConfig(AppConfig):
    name = "bounceback.safetyplan"
    label = "safetyplan"
    verbose_name = "Personal safety plans"

from __future__ import annotations

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "bounceback.reminders"
    label = "reminders"
    verbose_name = "Re-assessments and reminders"

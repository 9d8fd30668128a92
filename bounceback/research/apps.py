from __future__ import annotations

from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "bounceback.research"
    label = "research"
    verbose_name = "Research and bulk scoring"

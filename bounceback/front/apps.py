from __future__ import annotations

from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "bounceback.front"
    label = "front"
    verbose_name = "Public pages"

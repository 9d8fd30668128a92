from __future__ import annotations

from django.apps import AppConfig


class VideoConfig(AppConfig):
    name = "bounceback.video"
    label = "video"
    verbose_name = "Video visits"

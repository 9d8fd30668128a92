from __future__ import annotations

from django.apps import AppConfig


class DataRightsConfig(AppConfig):
    name = "bounceback.datarights"
    label = "datarights"
    verbose_name = "Export and deletion of a member's data"

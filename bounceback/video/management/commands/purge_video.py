"""``bounceback purge_video``: delete the signals and presence of video rooms that have closed (run it hourly,
e.g. from cron; joining a room also does it). Prints counts only."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from bounceback.video import actions


class Command(BaseCommand):
    help = (
        "Delete what browsers said to each other to connect video visits (signals) and who was in each room, "
        "for rooms that have closed or visits that were cancelled, and any signal older than two hours. "
        "Prints counts only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = actions.purge(timezone.now(), audit=True)
        self.stdout.write(f"Deleted {purged.signals} signals and {purged.presences} room presences.")

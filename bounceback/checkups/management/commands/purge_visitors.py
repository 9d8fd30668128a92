"""``bounceback purge_visitors [--dry-run]``: delete abandoned visitor check-ups (run it daily, e.g. from cron).

A check-up started without an account, never claimed, and untouched for ``BOUNCEBACK_VISITOR_RETENTION_DAYS``
days goes, with its answers, stored results and safety events (``checkups.actions``). Prints counts only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from bounceback.checkups import actions


class Command(BaseCommand):
    help = (
        "Delete check-ups started without an account, never added to one, and untouched for "
        "BOUNCEBACK_VISITOR_RETENTION_DAYS days, with their answers, stored results and safety events. "
        "Prints counts only; one audit entry records them. With --dry-run nothing is deleted or recorded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be deleted; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = int(settings.BOUNCEBACK_VISITOR_RETENTION_DAYS)
        dry_run = bool(options["dry_run"])
        purged = actions.purge_abandoned_visitor_checkups(days=days, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {purged.checkups} visitor check-ups untouched for {days} days: {purged.answers} answers, "
            f"{purged.results} stored results, {purged.safety_events} safety events."
        )

"""``bounceback rescore [--check]``: recompute every stored result from the raw answers (after a scoring fix)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bounceback.checkups import actions
from bounceback.checkups.models import CheckUp


class Command(BaseCommand):
    help = (
        "Recompute the stored result of every completed check-up from its raw answers. Differences are listed "
        "(check-up public id, instrument, the stored and the recomputed columns) and replaced; with --check "
        "nothing is changed and the command exits with status 1 when any result differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="report differences only; exit 1 if any")

    def handle(self, *args: Any, **options: Any) -> None:
        check = bool(options["check"])
        checked = differing = 0
        completed = (
            CheckUp.objects.filter(completed_at__isnull=False).prefetch_related("answers").order_by("id")
        )
        for checkup in completed.iterator(chunk_size=500):
            checked += 1
            differences = actions.rescore(checkup, fix=not check)
            if differences:
                differing += 1
            for d in differences:
                self.stdout.write(
                    f"{d.checkup} {d.instrument_id}: stored {d.stored}, recomputed {d.computed}"
                )
        verb = "differ" if check else "were re-stored"
        self.stdout.write(f"{checked} completed check-ups; {differing} {verb}.")
        if check and differing:
            raise CommandError(f"{differing} check-ups have stored results that differ from their answers")

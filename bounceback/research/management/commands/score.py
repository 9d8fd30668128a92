"""``bounceback score INPUT --instrument ID --output OUTPUT``: bulk scoring of a survey file (docs/research.md)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from bounceback.research import cli
from bounceback.research.bulk import BulkInputError


class Command(BaseCommand):
    help = cli.HELP

    def add_arguments(self, parser: ArgumentParser) -> None:
        cli.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        stderr: TextIO = getattr(self.stderr, "_out", sys.stderr)
        try:
            cli.run(options, stderr)
        except (BulkInputError, OSError) as error:
            raise CommandError(cli.explain(error)) from None

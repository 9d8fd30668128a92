"""Write docs/instruments.md from the instrument definitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from bounceback.instruments.markdown import reference_markdown


class Command(BaseCommand):
    help = "Write the instrument reference (docs/instruments.md) from the definitions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "instruments.md"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        path.write_text(reference_markdown())
        self.stdout.write(f"Wrote {path}")

"""The ``bounceback`` command (also ``python -m bounceback``): Django's management commands, one name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bounceback.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bounceback", *(sys.argv[1:] if argv is None else argv)])

"""The ``bounceback`` command (also ``python -m bounceback``): Django's management commands, one name.

``bounceback score`` runs bulk scoring directly, without starting Django.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["score"]:
        # Bulk scoring needs no database or web application: skip Django's start-up (a quarter of a second,
        # most of the cost on a million-row file). `manage.py score` runs the same code as a Django command.
        from bounceback.research.cli import main as score

        raise SystemExit(score(args[1:], prog="bounceback score"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bounceback.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["bounceback", *args])

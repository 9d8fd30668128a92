"""``bounceback score``: bulk scoring of a survey file, as a plain command line (docs/research.md).

No Django: the ``score`` management command wraps :func:`add_arguments` and :func:`run`, and
``python -m bounceback.research INPUT …`` runs the same thing without starting the web application (a
researcher's machine pays for reading and scoring the file only).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from argparse import ArgumentParser
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from .bulk import BulkInputError, MissingCodes
from .files import Request, format_summary, score_file

HELP = "Score a CSV or Parquet survey file with one or more instruments, writing every row plus the results."


class ProgressBar:
    """A one-line progress bar on a terminal, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.last = 0.0
        self.drawn = False

    def __call__(self, rows: int, expected: int | None) -> None:
        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        if expected:
            share = min(rows / expected, 0.99)
            filled = int(share * 30)
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
        else:
            bar = ""
        self.stream.write(f"\rscoring {bar}{rows:,} rows")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()


@contextmanager
def stop_cleanly_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM (a `kill`, a job scheduler's time limit) into SystemExit, so the temporary output file is
    removed as on any other failure. SIGKILL cannot be caught: it may leave a hidden ``.OUTPUT.*.partial``."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def parse_map(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        source, sep, item = pair.partition("=")
        if not sep or not source.strip() or not item.strip():
            raise BulkInputError(f"--map {pair}: write SOURCE=ITEM, e.g. --map DPQ010=phq9_1")
        if source.strip() in mapping:
            raise BulkInputError(f"--map: column {source.strip()!r} is mapped twice")
        mapping[source.strip()] = item.strip()
    return mapping


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("input", metavar="INPUT", help="a .csv or .parquet file, one response per row")
    parser.add_argument(
        "--instrument",
        action="append",
        required=True,
        metavar="ID",
        help="an instrument id (repeat for several), or 'battery' for every instrument whose items are present",
    )
    parser.add_argument(
        "--output", required=True, metavar="OUTPUT", help="the .csv or .parquet file to write"
    )
    parser.add_argument(
        "--map",
        action="extend",
        nargs="+",
        default=[],
        metavar="SOURCE=ITEM",
        help="read item ITEM from column SOURCE, e.g. --map DPQ010=phq9_1 DPQ020=phq9_2",
    )
    parser.add_argument(
        "--missing-values",
        default="",
        metavar="CODES",
        help="comma-separated codes that mean 'no answer', e.g. 7,9 (blank cells are always missing)",
    )
    parser.add_argument("--weight", metavar="COLUMN", help="a survey-weight column: weighted band shares")
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar, even on a terminal (it never shows otherwise)",
    )


def run(options: Mapping[str, Any], stderr: TextIO) -> None:
    """Score as the options say, printing the summary on ``stderr``. Raises BulkInputError or OSError, with
    nothing written, on bad input."""
    bar = ProgressBar(stderr) if not options["no_progress"] and stderr.isatty() else None
    request = Request(
        input=Path(options["input"]),
        output=Path(options["output"]),
        instruments=options["instrument"],
        mapping=parse_map(options["map"]),
        missing=MissingCodes.parse(options["missing_values"]),
        weight=options["weight"],
    )
    try:
        with stop_cleanly_on_sigterm():
            summary = score_file(request, progress=bar)
    finally:
        if bar is not None:
            bar.clear()
    stderr.write(format_summary(summary) + "\n")
    stderr.write(f"wrote {request.output}\n")


def explain(error: BulkInputError | OSError) -> str:
    if isinstance(error, OSError):
        return f"{error.filename or ''}: {error.strerror or error} (nothing was written)"
    return f"{error} (nothing was written)"


def main(argv: list[str] | None = None, prog: str = "python -m bounceback.research") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=HELP)
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        run(options, sys.stderr)
    except (BulkInputError, OSError) as error:
        sys.stderr.write(f"error: {explain(error)}\n")
        return 1
    return 0

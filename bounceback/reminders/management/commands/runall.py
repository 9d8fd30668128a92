"""``bounceback runall``: the web server, the worker and the scheduler together, for local use (``make run``).

Each runs as a child process in its own process group; Ctrl-C (SIGINT) or SIGTERM stops them all (SIGTERM to
each group, SIGKILL to any still there after ten seconds), and if one of them dies the others are stopped too.
Production runs the three as separate services instead (docs/operators.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

GRACE_SECONDS = 10


def _children(addr: str, reload: bool) -> dict[str, list[str]]:
    bounceback = [sys.executable, "-m", "bounceback"]
    return {
        "web": [*bounceback, "runserver", addr, *([] if reload else ["--noreload"])],
        "worker": [*bounceback, "db_worker", "--no-reload", "--queue-name", "*", "--interval", "1"],
        "scheduler": [*bounceback, "scheduler"],
    }


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


class Command(BaseCommand):
    help = "Run the web server, the background worker and the scheduler together; Ctrl-C stops all three."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addr", nargs="?", default="127.0.0.1:8000", help="the web server's address")
        parser.add_argument("--noreload", action="store_true", help="no auto-reload of the web server")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping: list[int] = []

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        running: dict[str, subprocess.Popen[bytes]] = {}
        status = 0
        try:
            for name, command in _children(options["addr"], not options["noreload"]).items():
                running[name] = subprocess.Popen(command, start_new_session=True)  # noqa: S603 - our own
                self.stdout.write(f"started {name} (pid {running[name].pid})")
                self.stdout.flush()
            while not stopping:
                ended = [name for name, process in running.items() if process.poll() is not None]
                if ended:
                    self.stderr.write(f"{', '.join(ended)} stopped; stopping the others")
                    status = 1
                    break
                time.sleep(0.2)
        finally:
            self._stop_all(running)
        self.stdout.write("stopped web, worker and scheduler")
        if status:
            raise SystemExit(status)

    def _stop_all(self, running: dict[str, subprocess.Popen[bytes]]) -> None:
        for process in running.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in running.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in running.values():
            _signal_group(
                process, signal.SIGKILL
            )  # whatever is left of each group (e.g. the reloader's child)
            process.wait()

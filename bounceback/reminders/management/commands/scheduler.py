"""``bounceback scheduler``: every BOUNCEBACK_SCHEDULER_INTERVAL seconds, write the heartbeat, plan every
member's reminders into the outbox and hand what is due to the worker (``bounceback db_worker``).

Run one or more (two at once make no duplicate: the outbox's unique key). SIGTERM or SIGINT stops it after the
current round. ``--once`` runs a single round and exits.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections

from bounceback.reminders.outbox import hand_to_worker, scheduler_round

logger = logging.getLogger("bounceback.reminders")


class Command(BaseCommand):
    help = "Plan reminders into the outbox and hand due ones to the worker, every N seconds (a heartbeat each round)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one round and exit")
        parser.add_argument(
            "--now",
            type=datetime.fromisoformat,
            default=None,
            help="with --once: run the round as if it were this moment (an ISO 8601 time with its offset; for "
            "drills and tests, e.g. to see what an unacknowledged alert would do; refused in production)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="seconds between rounds (BOUNCEBACK_SCHEDULER_INTERVAL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = float(options["interval"] or settings.BOUNCEBACK_SCHEDULER_INTERVAL)
        now = options["now"]
        if now is not None and (not options["once"] or settings.PRODUCTION or now.utcoffset() is None):
            raise CommandError("--now needs --once and a time with its offset, and never runs in production")
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        if not options["once"]:
            signal.signal(signal.SIGTERM, request_stop)
            signal.signal(signal.SIGINT, request_stop)
            self.stdout.write(f"Scheduler running every {interval:g} s (Ctrl-C to stop).")
        while True:
            close_old_connections()
            try:
                done = scheduler_round(now)
                if now is not None:  # a drill's round: what it queued goes now (leases run on the real clock)
                    done.handed += hand_to_worker()
            except DatabaseError as error:  # the database is away: try again next round
                logger.error("scheduler round failed: %s", type(error).__name__)
            else:
                if options["verbosity"] > 1 or options["once"]:
                    self.stdout.write(
                        f"planned {done.planned.created} new, {done.planned.updated} changed, "
                        f"{done.planned.cancelled} cancelled; handed {done.handed} to the worker"
                    )
            if options["once"] or stop.wait(interval):
                return

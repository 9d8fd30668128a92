"""Periodic jobs of the apps above this one, run by the scheduler each round (``outbox.scheduler_round``).

An app registers a job in its ``AppConfig.ready`` (e.g. the safety alerts' escalation). A job takes the round's
time and must be idempotent: two schedulers may run it at the same moment. A failing job is logged by the kind
of its error and never stops the round (reminders still go).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

logger = logging.getLogger("bounceback.reminders")

Job = Callable[[datetime], object]
_JOBS: dict[str, Job] = {}


def register_job(name: str, job: Job) -> None:
    _JOBS[name] = job


def run_jobs(now: datetime) -> dict[str, bool]:
    """Run every registered job once; which ones succeeded."""
    done: dict[str, bool] = {}
    for name, job in sorted(_JOBS.items()):
        try:
            job(now)
        except Exception as error:
            logger.error("scheduler job %s failed: %s", name, type(error).__name__)
            done[name] = False
        else:
            done[name] = True
    return done

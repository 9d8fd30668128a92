"""What ``/health/`` says about background work: the scheduler's last heartbeat and the outbox's oldest
waiting send, with a plain state for each ("ok", or what is wrong) and overall ("ok" or "degraded")."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from .models import Heartbeat, Outbox, Status
from .outbox import SCHEDULER

LATE_AFTER = timedelta(minutes=30)
"""A send still waiting this long after its time means the worker or the scheduler is not doing its work (the
whole back-off of a failing mail server, 60 + 120 + 240 + 480 s, is 15 minutes, and then it is failed)."""


def stale_after() -> timedelta:
    return timedelta(seconds=3 * settings.BOUNCEBACK_SCHEDULER_INTERVAL)


def report(now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    beat = Heartbeat.objects.filter(name=SCHEDULER).first()
    if beat is None:
        scheduler: dict[str, Any] = {"state": "never", "last_heartbeat": None, "age_seconds": None}
    else:
        age = now - beat.beat_at
        scheduler = {
            "state": "stale" if age > stale_after() else "ok",
            "last_heartbeat": beat.beat_at.isoformat(),
            "age_seconds": max(0, int(age.total_seconds())),
        }
    waiting = Outbox.objects.filter(status__in=[Status.PENDING, Status.SENDING], send_at__lte=now).aggregate(
        count=Count("id"), oldest=Min("send_at")
    )
    oldest = int((now - waiting["oldest"]).total_seconds()) if waiting["oldest"] else 0
    failed = Outbox.objects.filter(status=Status.FAILED).count()
    outbox = {
        "state": "failed" if failed else "late" if oldest > LATE_AFTER.total_seconds() else "ok",
        "waiting": waiting["count"],
        "oldest_waiting_seconds": oldest,
        "failed": failed,
    }
    overall = "ok" if scheduler["state"] == "ok" and outbox["state"] == "ok" else "degraded"
    return {"status": overall, "scheduler": scheduler, "outbox": outbox}

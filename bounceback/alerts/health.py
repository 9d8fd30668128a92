"""The crisis loop's part of ``/health/`` (hazards H05, H06, H08): how many alerts are open, how long the oldest
has waited, how long acknowledging took over the last 30 days (the median), whether any is past its next rung
(the scheduler is not escalating), and which clinics with clinicians have nobody on call. Counts and minutes
only; never who."""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import median

from django.conf import settings
from django.utils import timezone

from bounceback.clinics.models import Clinic, Staff, StaffRole

from . import loop
from .actions import policy_of, state_of
from .models import Alert, OnCall


def report(now: datetime | None = None) -> dict[str, object]:
    now = now or timezone.now()
    grace = timedelta(seconds=3 * settings.BOUNCEBACK_SCHEDULER_INTERVAL)
    open_alerts = list(Alert.objects.unacknowledged().select_related("clinic"))
    late = 0
    for alert in open_alerts:
        due = loop.next_due(state_of(alert), policy_of(alert.clinic))
        if due is not None and due + grace < now:
            late += 1
    staffed = Staff.objects.filter(role=StaffRole.CLINICIAN, active=True).values("clinic_id")
    covered = OnCall.objects.filter(user__is_active=True).values("clinic_id")
    uncovered = Clinic.objects.filter(pk__in=staffed).exclude(pk__in=covered).count()
    oldest = min((a.raised_at for a in open_alerts), default=None)
    waits = sorted(
        (acknowledged - raised).total_seconds() / 60
        for raised, acknowledged in Alert.objects.filter(
            acknowledged_at__gte=now - timedelta(days=30)
        ).values_list("raised_at", "acknowledged_at")
        if acknowledged is not None
    )
    return {
        "open": len(open_alerts),
        "oldest_open_minutes": int((now - oldest).total_seconds() // 60) if oldest else 0,
        "acknowledged_30_days": len(waits),
        "median_minutes_to_acknowledge": round(median(waits)) if waits else None,
        "past_their_next_rung": late,
        "clinics_without_on_call": uncovered,
        "degraded": bool(late or uncovered),
    }

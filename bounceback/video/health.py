"""What ``/health/`` says about video visits: whether a TURN relay is configured (hazard H30's control).

Without TURN, two browsers behind strict NATs cannot reach each other and the call fails (both sides are then
shown the fallback). In production that makes the site "degraded"; elsewhere (one network, loopback) it is fine.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .ice import turn_configured


def report() -> dict[str, Any]:
    turn = turn_configured(settings.BOUNCEBACK_ICE_SERVERS, settings.BOUNCEBACK_TURN_SECRET)
    return {
        "turn": "configured" if turn else "not configured",
        "degraded": not turn and settings.PRODUCTION,
    }

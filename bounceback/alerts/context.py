"""What a member in care is told on the crisis panel: who will hear of a suicide-risk answer, and when (issue 11:
honest, and no promise of real-time monitoring unless the clinic is on call at all hours). Evaluated only when a
crisis panel is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from bounceback.accounts.models import Role

from .routing import clinics_caring_for


@dataclass(frozen=True)
class Watch:
    clinics: list[str]
    around_the_clock: bool
    acute_minutes: int


def care_watch(request: HttpRequest) -> dict[str, Callable[[], Watch | None]]:
    def watch() -> Watch | None:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or not session.accessed or user is None or not user.is_authenticated:
            return None
        if user.role != Role.MEMBER:
            return None
        clinics = [clinic for clinic, _has in clinics_caring_for(user, timezone.now()).values()]
        if not clinics:
            return None
        return Watch(
            clinics=sorted(c.name for c in clinics),
            around_the_clock=any(c.on_call_around_the_clock for c in clinics),
            acute_minutes=min(c.acute_alert_minutes for c in clinics),
        )

    return {"care_watch": watch}

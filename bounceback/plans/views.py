"""The evidence page and the guided mindfulness timer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from bounceback.accounts.models import User
from bounceback.instruments import all_instruments

from .actions import TIMER_LENGTHS, PracticeError, record_practice
from .content import ACTIONS, EVIDENCE


@require_safe
def evidence(request: HttpRequest) -> HttpResponse:
    rows = [(e, [a.title for a in ACTIONS.values() if e.id in a.evidence]) for e in EVIDENCE.values()]
    return render(request, "plans/evidence.html", {"rows": rows, "instruments": all_instruments()})


@require_safe
def practice(request: HttpRequest) -> HttpResponse:
    minutes_done = 0
    if isinstance(request.user, User):
        minutes_done = sum(request.user.practice.values_list("minutes", flat=True))
    return render(request, "plans/practice.html", {"lengths": TIMER_LENGTHS, "minutes_done": minutes_done})


@require_POST
def practice_done(request: HttpRequest) -> JsonResponse:
    """Record a completed session for a signed-in member (visitors' sessions are not stored)."""
    if not isinstance(request.user, User):
        return JsonResponse({"recorded": False, "reason": "Sign in to keep a record of your practice."})
    raw = request.POST.get("minutes", "")
    try:
        session = record_practice(request.user, int(raw) if raw.isdigit() else -1)
    except PracticeError as exc:
        return JsonResponse({"recorded": False, "reason": str(exc)}, status=400)
    total = sum(request.user.practice.values_list("minutes", flat=True))
    return JsonResponse({"recorded": True, "minutes": session.minutes, "total_minutes": total})

"""A check-up's resilience plan, the evidence page and the guided mindfulness timer."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from bounceback.accounts.models import User
from bounceback.checkups.access import get_checkup_for_request
from bounceback.instruments import all_instruments
from bounceback.safety.crisis import resources_for
from bounceback.safety.web import country_for

from .actions import TIMER_LENGTHS, PracticeError, record_practice
from .content import ACTIONS, EVIDENCE
from .rules import build_plan


@never_cache
@require_safe
def plan(request: HttpRequest, public_id: str) -> HttpResponse:
    """The plan built from one check-up's answers, most important first, each action with its evidence."""
    checkup = get_checkup_for_request(request, public_id, audit="checkup.plan.read")
    answers = checkup.answer_map()
    state = checkup.safety_state()
    context = {
        "checkup": checkup,
        "plan": build_plan(checkup.battery.score(answers, checkup.declined), answers, checkup.context),
        "crisis": resources_for(country_for(request, started_with=checkup.country)),
        **state.as_context(),
    }
    return render(request, "plans/plan.html", context)


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
        whole = raw.isascii() and raw.isdigit() and len(raw) <= 4  # "²" passes isdigit() alone
        session = record_practice(request.user, int(raw) if whole else -1)
    except PracticeError as exc:
        return JsonResponse({"recorded": False, "reason": str(exc)}, status=400)
    total = sum(request.user.practice.values_list("minutes", flat=True))
    return JsonResponse({"recorded": True, "minutes": session.minutes, "total_minutes": total})

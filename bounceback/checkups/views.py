"""Check-up pages: start, one step at a time (htmx autosave and plain form posts), the safety gate, results.

Thin: parse input, look up through access functions, call actions, render.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.front.context import crisis_country
from bounceback.instruments.battery import STEPS_BY_ID, applicable_steps, next_step, score_battery
from bounceback.plans.rules import build_plan
from bounceback.safety.crisis import COUNTRY_COOKIE, resources_for
from bounceback.safety.models import SafetyKind

from . import actions
from .access import current_checkup, get_checkup_for_request, remember_visitor_checkup
from .interpretation import CAVEAT, TALK_TO_SOMEONE, needs_professional_help, shown_results, summary
from .models import LIFE_EVENTS, Answer, CheckUp
from .pages import DECLINABLE_ITEMS, DECLINED, scale_for, step_page

ASQ_STEPS = frozenset({"asq", "asq_acuity"})


def _country(request: HttpRequest, checkup: CheckUp | None = None) -> str:
    """The member's current country; for a visitor, the one chosen (cookie) or the check-up's, else default."""
    user_country = getattr(request.user, "country", "")
    if user_country:
        return str(user_country)
    if checkup is not None and checkup.country and COUNTRY_COOKIE not in request.COOKIES:
        return checkup.country
    return crisis_country(request)


def _safety(checkup: CheckUp) -> dict[str, Any]:
    kinds = set(checkup.safety_events.values_list("kind", flat=True))
    return {
        "safety_flagged": bool(kinds),
        "acute": SafetyKind.ACUTE_SUICIDE_RISK in kinds,
        "asq_positive": SafetyKind.SUICIDE_RISK in kinds,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        context = request.POST.getlist("context")
        try:
            checkup, secret = actions.start_checkup(
                actor=request.user, context=context, country=_country(request)
            )
        except actions.CheckUpError as exc:
            return HttpResponseBadRequest(str(exc))
        if secret:
            remember_visitor_checkup(request, checkup, secret)
        return redirect("bb-checkup", checkup.public_id)
    return render(
        request, "checkups/start.html", {"life_events": LIFE_EVENTS, "in_progress": current_checkup(request)}
    )


def _render_step(
    request: HttpRequest,
    checkup: CheckUp,
    step_id: str,
    posted: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    rows: list[Answer] | None = None,
) -> HttpResponse:
    rows = list(checkup.answers.all()) if rows is None else rows
    answers = {a.item_id: a.value for a in rows}
    page = step_page(
        STEPS_BY_ID[step_id],
        answers,
        {a.item_id: a.revision for a in rows},
        frozenset(a.item_id for a in rows if a.declined),
        checkup.declined,
        posted,
        errors,
    )
    context = {
        "checkup": checkup,
        "page": page,
        "page_token": secrets.token_hex(8),
        "crisis": resources_for(_country(request, checkup)),
        **_safety(checkup),
    }
    return render(request, "checkups/step.html", context, status=status)


@never_cache
@require_safe
def run(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show the requested step (back/forward), or the next unanswered one; the safety gate; or the results."""
    checkup = get_checkup_for_request(request, public_id, audit="checkup.read")
    rows = list(checkup.answers.all())
    answers = {a.item_id: a.value for a in rows}
    path_ids = [s.id for s in applicable_steps(answers, checkup.declined)]
    requested = request.GET.get("step", "")
    if requested in path_ids:
        return _render_step(request, checkup, requested, rows=rows)
    upcoming = next_step(answers, checkup.declined)
    safety = _safety(checkup)
    if (
        safety["safety_flagged"]
        and checkup.safe_confirmed_at is None
        and (upcoming is None or upcoming.id not in ASQ_STEPS)
    ):
        return render(
            request,
            "checkups/safety_gate.html",
            {"checkup": checkup, "crisis": resources_for(_country(request, checkup)), **safety},
        )
    if upcoming is None:
        actions.complete_if_done(checkup, actor=request.user)
        return redirect("bb-results", checkup.public_id)
    return _render_step(request, checkup, upcoming.id, rows=rows)


def _parse(
    step_items: tuple[str, ...], data: Any
) -> tuple[dict[str, tuple[int | str, bool, int | None]], dict[str, str]]:
    """Posted values by item: (value, declined, base revision), plus per-item errors for unreadable input."""
    values: dict[str, tuple[int | str, bool, int | None]] = {}
    errors: dict[str, str] = {}
    for item_id in step_items:
        raw = (data.get(item_id) or "").strip()
        if raw == "":
            continue
        rev_raw = data.get(f"rev_{item_id}", "")
        base = int(rev_raw) if rev_raw.isdigit() else None
        if raw == DECLINED and item_id in DECLINABLE_ITEMS:
            values[item_id] = (1, True, base)
        elif raw.lstrip("-").isdigit():
            values[item_id] = (int(raw), False, base)
        else:
            errors[item_id] = f"“{raw}” is not a whole number. Please enter a whole number."
    return values, errors


def _save(
    request: HttpRequest, checkup: CheckUp, values: dict[str, tuple[int | str, bool, int | None]]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    writer = (request.POST.get("page") or "")[:32]
    for item_id, (value, declined, base) in values.items():
        try:
            actions.save_answer(
                checkup,
                item_id,
                value,
                actor=request.user,
                base_revision=base,
                declined=declined,
                writer=writer,
            )
        except actions.StaleAnswer as exc:
            errors[item_id] = str(exc)
        except actions.CheckUpError:
            errors[item_id] = _friendly_error(item_id)
    return errors


def _friendly_error(item_id: str) -> str:
    if item_id == "evs_minutes":
        return "Please enter the minutes as a whole number from 0 to 1440."
    return "Please choose one of the answers."


@never_cache
@require_POST
def save_step(request: HttpRequest, public_id: str, step_id: str) -> HttpResponse:
    """The plain form post of a whole page (works without JavaScript). Saves every valid answer first."""
    checkup = get_checkup_for_request(request, public_id)
    step = STEPS_BY_ID.get(step_id)
    if step is None:
        return HttpResponseBadRequest("Unknown step")
    values, errors = _parse(step.items, request.POST)
    errors |= _save(request, checkup, values)
    going_back = request.POST.get("action") == "back"
    if not going_back:
        answers = checkup.answer_map()
        for item_id in step.required:
            if item_id not in answers and item_id not in errors:
                errors[item_id] = (
                    "Please answer this question." if item_id != "evs_minutes" else _friendly_error(item_id)
                )
    if errors:
        posted = {k: (request.POST.get(k) or "") for k in step.items}
        return _render_step(request, checkup, step_id, posted, errors)
    if going_back:
        page_prev = request.POST.get("previous", "")
        return redirect(f"{reverse('bb-checkup', args=[checkup.public_id])}?step={page_prev}")
    return redirect("bb-checkup", checkup.public_id)


@never_cache
@require_POST
def save_one(request: HttpRequest, public_id: str) -> HttpResponse:
    """Autosave of one answer the moment it is given (htmx). Returns the saved status, and the crisis panel
    itself when the answer raises a safety flag."""
    checkup = get_checkup_for_request(request, public_id)
    item_id = request.POST.get("item", "")
    values, errors = _parse((item_id,), request.POST)
    if item_id in values:
        errors |= _save(request, checkup, values)
    elif item_id not in errors:
        errors[item_id] = "Please choose one of the answers."
    answer = checkup.answers.filter(item_id=item_id).first()
    context = {
        "item_id": item_id,
        "error": errors.get(item_id, ""),
        "revision": answer.revision if answer else 0,
        "show_panel": item_id == "phq9_9" or item_id.startswith("asq_"),
        "crisis": resources_for(_country(request, checkup)),
        "checkup": checkup,
        **_safety(checkup),
    }
    return render(request, "checkups/_saved.html", context, status=200)


@never_cache
@require_POST
def decline(request: HttpRequest, public_id: str, step_id: str) -> HttpResponse:
    checkup = get_checkup_for_request(request, public_id)
    try:
        actions.decline_step(checkup, step_id, actor=request.user)
    except actions.CheckUpError as exc:
        return HttpResponseBadRequest(str(exc))
    return redirect("bb-checkup", checkup.public_id)


@never_cache
@require_POST
def confirm_safe(request: HttpRequest, public_id: str) -> HttpResponse:
    checkup = get_checkup_for_request(request, public_id)
    actions.confirm_safe(checkup, actor=request.user)
    return redirect("bb-checkup", checkup.public_id)


def _results_context(request: HttpRequest, checkup: CheckUp) -> dict[str, Any]:
    answers = checkup.answer_map()
    results = score_battery(answers, checkup.declined)
    shown = shown_results(results)
    return {
        "checkup": checkup,
        "finished": checkup.is_complete or next_step(answers, checkup.declined) is None,
        "answers": answers,
        "results": results,
        "shown": [(i, scale_for(i.result)) for i in shown],
        "summary": summary(results),
        "professional_help": needs_professional_help(results),
        "caveat": CAVEAT,
        "talk_to_someone": TALK_TO_SOMEONE,
        "crisis": resources_for(_country(request, checkup)),
        "plan": build_plan(results, answers, checkup.context),
        **_safety(checkup),
    }


@never_cache
@require_safe
def results(request: HttpRequest, public_id: str) -> HttpResponse:
    checkup = get_checkup_for_request(request, public_id, audit="checkup.results.read")
    return render(request, "checkups/results.html", _results_context(request, checkup))


@never_cache
@require_safe
def plan(request: HttpRequest, public_id: str) -> HttpResponse:
    checkup = get_checkup_for_request(request, public_id, audit="checkup.plan.read")
    return render(request, "checkups/plan.html", _results_context(request, checkup))


@never_cache
@login_required
@require_safe
def me(request: HttpRequest) -> HttpResponse:
    """A member's check-ups, newest first, each with its headline result."""
    assert isinstance(request.user, User)  # login_required
    record(request.user, "checkup.list", "user", str(request.user.public_id))
    checkups = list(
        CheckUp.objects.filter(owner=request.user)
        .prefetch_related("answers", "safety_events")
        .order_by("-started_at")
    )
    rows = []
    for checkup in checkups:
        results = score_battery(checkup.answer_map(), checkup.declined)
        shown = shown_results(results)
        rows.append({"checkup": checkup, "headline": shown[0] if shown else None, "count": len(shown)})
    return render(request, "checkups/me.html", {"rows": rows})

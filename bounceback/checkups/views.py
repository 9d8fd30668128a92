"""Check-up pages: start, one step at a time (htmx autosave and plain form posts), the safety gate, results.

Thin: parse input, look up through access functions, call actions, render.
"""

from __future__ import annotations

import re
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
from bounceback.front.context import crisis_country, remember_country
from bounceback.instruments.battery import STEPS_BY_ID, applicable_steps, next_step, score_battery
from bounceback.plans.rules import build_plan
from bounceback.safety.crisis import COUNTRY_COOKIE, country_choices, is_choice, resources_for
from bounceback.safety.models import SafetyKind

from . import actions
from .access import (
    current_checkup,
    forget_visitor_checkups,
    get_checkup_for_request,
    remember_visitor_checkup,
    visitor_checkups,
    visitor_secrets,
)
from .interpretation import CAVEAT, TALK_TO_SOMEONE, needs_professional_help, shown_results, summary
from .models import LIFE_EVENTS, Answer, CheckUp
from .pages import DECLINABLE_ITEMS, DECLINED, question_for, scale_for, step_page

ASQ_STEPS = frozenset({"asq", "asq_acuity"})
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,6}")


def _country(request: HttpRequest, checkup: CheckUp | None = None) -> str:
    """The crisis country (see front.context.crisis_country); a visitor's check-up keeps the one it began with
    when the browser holds no choice."""
    signed_in = request.user.is_authenticated  # loads the account, so crisis_country sees its country
    if checkup is not None and checkup.country and not signed_in and COUNTRY_COOKIE not in request.COOKIES:
        return checkup.country
    return crisis_country(request)


def _safety(checkup: CheckUp) -> dict[str, Any]:
    events = list(checkup.safety_events.values_list("kind", "created_at"))
    kinds = {kind for kind, _at in events}
    latest = max((at for _kind, at in events), default=None)
    confirmed = checkup.safe_confirmed_at
    return {
        "safety_flagged": bool(kinds),
        "needs_gate": bool(kinds) and (confirmed is None or (latest is not None and latest > confirmed)),
        "acute": SafetyKind.ACUTE_SUICIDE_RISK in kinds,
        "asq_positive": SafetyKind.SUICIDE_RISK in kinds,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        context = request.POST.getlist("context")
        chosen = request.POST.get("country", "").upper()
        country = chosen if is_choice(chosen) else _country(request)
        try:
            checkup, secret = actions.start_checkup(actor=request.user, context=context, country=country)
        except actions.CheckUpError as exc:
            return HttpResponseBadRequest(str(exc))
        if secret:
            remember_visitor_checkup(request, checkup, secret)
        response = redirect("bb-checkup", checkup.public_id)
        if is_choice(chosen):
            remember_country(response, chosen)
        return response
    return render(
        request,
        "checkups/start.html",
        {
            "life_events": LIFE_EVENTS,
            "in_progress": current_checkup(request),
            "countries": country_choices(),
            "chosen_country": _country(request),
        },
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
    if safety["needs_gate"] and (upcoming is None or upcoming.id not in ASQ_STEPS):
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
        base = int(rev_raw) if rev_raw.isascii() and rev_raw.isdigit() else None
        if raw == DECLINED and item_id in DECLINABLE_ITEMS:
            values[item_id] = (1, True, base)
            continue
        if WHOLE_NUMBER.fullmatch(raw):
            values[item_id] = (int(raw), False, base)
        else:
            errors[item_id] = f"“{raw[:20]}” is not a whole number. Please enter a whole number."
    return values, errors


def _save(
    request: HttpRequest, checkup: CheckUp, values: dict[str, tuple[int | str, bool, int | None]]
) -> tuple[dict[str, str], set[str]]:
    """Save each posted answer; return per-item errors, and the items refused as stale."""
    errors: dict[str, str] = {}
    stale: set[str] = set()
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
            stale.add(item_id)
        except actions.CheckUpError:
            errors[item_id] = _friendly_error(item_id)
    return errors, stale


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
    save_errors, stale = _save(request, checkup, values)
    errors |= save_errors
    going_back = request.POST.get("action") == "back"
    if not going_back:
        answers = checkup.answer_map()
        for item_id in step.required:
            if item_id not in answers and item_id not in errors:
                errors[item_id] = (
                    "Please answer this question." if item_id != "evs_minutes" else _friendly_error(item_id)
                )
    if errors:
        # A stale item shows the newer stored answer, not the one this page tried to write.
        posted = {k: (request.POST.get(k) or "") for k in step.items if k not in stale}
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
    stale: set[str] = set()
    if item_id in values:
        save_errors, stale = _save(request, checkup, values)
        errors |= save_errors
    elif item_id not in errors:
        errors[item_id] = "Please choose one of the answers."
    rows = list(checkup.answers.all())
    answer = next((a for a in rows if a.item_id == item_id), None)
    context = {
        "item_id": item_id,
        "error": errors.get(item_id, ""),
        "stale_question": question_for(item_id, rows, errors[item_id]) if item_id in stale else None,
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
@login_required
@require_POST
def keep(request: HttpRequest, public_id: str) -> HttpResponse:
    """Add a check-up this browser started without an account to the signed-in member's account."""
    checkup = get_checkup_for_request(request, public_id)
    secret = visitor_secrets(request).get(str(checkup.public_id), "")
    if checkup.owner_id is None and secret:
        claimed = actions.claim_checkups(request.user, {str(checkup.public_id): secret})  # type: ignore[arg-type]
        forget_visitor_checkups(request, [str(c.public_id) for c in claimed])
    return redirect("bb-results", checkup.public_id)


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
        rows.append(
            {
                "checkup": checkup,
                "headline": shown[0] if shown else None,
                "flagged": bool(checkup.safety_events.all()),
            }
        )
    return render(request, "checkups/me.html", {"rows": rows, "unclaimed": visitor_checkups(request)})

"""Check-up pages: start, one step at a time (htmx autosave and plain form posts), the safety gate, results.

Thin: parse input, look up through access functions, call actions, render.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bounceback.instruments.battery import Step, item_of
from bounceback.safety.actions import touches_safety
from bounceback.safety.crisis import country_choices, is_choice, resources_for
from bounceback.safety.web import country_for, remember_country

from . import actions
from .access import (
    checkups_of,
    current_checkup,
    earlier_results,
    forget_visitor_checkups,
    get_checkup_for_request,
    remember_visitor_checkup,
    visitor_checkups,
    visitor_secrets,
)
from .change import compare_with_earlier
from .forms import CHOOSE, Posted, StepForm, number_message
from .interpretation import shown_results
from .links import checkup_url, step_for_token, step_url
from .models import LIFE_EVENTS, Answer, CheckUp
from .pages import checkup_time, question_for, step_page
from .summary import summarise

ASQ_STEPS = frozenset({"asq", "asq_acuity"})
PAGE_TOKEN = re.compile(r"[0-9a-f]{16}")


def _country(request: HttpRequest, checkup: CheckUp | None = None) -> str:
    """The crisis country (``safety.rules.crisis_country``); check-up pages load the account, so it counts."""
    request.user.is_authenticated  # noqa: B018 - loads the account for the rule
    return country_for(request, started_with=checkup.country if checkup is not None else "")


def _bad_request(request: HttpRequest, reason: str) -> HttpResponse:
    """The 400 page (with crisis resources), naming what was wrong; the reason is escaped like any text."""
    return render(request, "400.html", {"reason": reason}, status=400)


def _safety(checkup: CheckUp) -> dict[str, Any]:
    return checkup.safety_state().as_context()


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
            return _bad_request(request, str(exc))
        if secret:
            remember_visitor_checkup(request, checkup, secret)
        response = redirect(_next_address(checkup))
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
            "checkup_time": checkup_time(),
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
        checkup.battery.steps_by_id[step_id],
        answers,
        {a.item_id: a.revision for a in rows},
        frozenset(a.item_id for a in rows if a.declined),
        checkup.declined,
        posted,
        errors,
        checkup.battery,
    )
    context = {
        "checkup": checkup,
        "page": page,
        "page_token": secrets.token_hex(8),
        "address": step_url(checkup, step_id),
        "crisis": resources_for(_country(request, checkup)),
        **_safety(checkup),
    }
    return render(request, "checkups/step.html", context, status=status)


def _where_now(request: HttpRequest, checkup: CheckUp) -> HttpResponse:
    """What the person meets now: the next unanswered step (at its own address), the safety gate, the finish
    page, or the results."""
    answers = checkup.answer_map()
    upcoming = checkup.battery.next_step(answers, checkup.declined)
    safety = _safety(checkup)
    if safety["needs_gate"] and (upcoming is None or upcoming.id not in ASQ_STEPS):
        return render(
            request,
            "checkups/safety_gate.html",
            {"checkup": checkup, "crisis": resources_for(_country(request, checkup)), **safety},
        )
    if upcoming is None:
        if checkup.is_complete:
            return redirect("bb-results", checkup.public_id)
        # Every question was answered (autosaved) but the last page was never sent: a GET writes nothing,
        # so the person finishes with one press.
        return render(request, "checkups/finish.html", {"checkup": checkup, **safety})
    return redirect(step_url(checkup, upcoming.id))


def _next_address(checkup: CheckUp) -> str:
    """Where a page's POST sends the person (post, redirect, get): the next step's own address, or the check-up's
    address for the safety gate and the finish page, or the results."""
    if checkup.is_complete:
        return reverse("bb-results", args=[checkup.public_id])
    upcoming = checkup.battery.next_step(checkup.answer_map(), checkup.declined)
    if upcoming is not None and (upcoming.id in ASQ_STEPS or not _safety(checkup)["needs_gate"]):
        return step_url(checkup, upcoming.id)
    return checkup_url(checkup)


@never_cache
@require_http_methods(["GET", "POST"])
def run(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET: where the person is now. POST: "I am safe right now" at the safety gate, or finish (the action
    travels in the body, so the address says nothing about the answers)."""
    audit = "checkup.read" if request.method == "GET" else ""
    checkup = get_checkup_for_request(request, public_id, audit=audit)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "safe":
            actions.confirm_safe(checkup, actor=request.user)
        elif action != "finish":
            return _bad_request(request, "Unknown action: use the buttons on the page.")
        return _onward(request, checkup)
    return _where_now(request, checkup)


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, public_id: str, token: str) -> HttpResponse:
    """One page of the check-up at its own address (so the browser's Back and Forward work). GET shows it with
    the saved answers; POST (the plain form, which works without JavaScript) saves it and moves on, back, or
    past the optional questions."""
    audit = "checkup.read" if request.method == "GET" else ""
    checkup = get_checkup_for_request(request, public_id, audit=audit)
    page = step_for_token(checkup, token)
    if request.method == "POST":
        if page is None:
            return _bad_request(request, "This page of the check-up does not exist.")
        if checkup.is_complete:
            messages.info(request, actions.CLOSED_MESSAGE)
            return redirect("bb-results", checkup.public_id)
        return _save_page(request, checkup, page)
    rows = list(checkup.answers.all())
    answers = {a.item_id: a.value for a in rows}
    if page is None or page.id not in {
        s.id for s in checkup.battery.applicable_steps(answers, checkup.declined)
    }:
        return redirect("bb-checkup", checkup.public_id)  # not (or no longer) on this person's path
    if checkup.is_complete:
        return redirect("bb-results", checkup.public_id)
    return _render_step(request, checkup, page.id, rows=rows)


def _save(
    request: HttpRequest, checkup: CheckUp, values: dict[str, Posted]
) -> tuple[dict[str, str], set[str], dict[str, int]]:
    """Save each posted answer; return per-item errors, the items refused as stale, and saved revisions."""
    errors: dict[str, str] = {}
    stale: set[str] = set()
    revisions: dict[str, int] = {}
    posted_token = request.POST.get("page") or ""
    # The page's own token (hex, from _render_step); anything else (a NUL, markup) is no token at all.
    writer = posted_token if PAGE_TOKEN.fullmatch(posted_token) else ""
    for item_id, posted in values.items():
        try:
            saved = actions.save_answer(
                checkup,
                item_id,
                posted.value,
                actor=request.user,
                base_revision=posted.base_revision,
                declined=posted.declined,
                writer=writer,
            )
            revisions[item_id] = saved.answer.revision
        except actions.StaleAnswer as exc:
            errors[item_id] = str(exc)
            stale.add(item_id)
        except actions.CheckUpError as exc:
            errors[item_id] = str(exc)
    return errors, stale, revisions


def _missing_message(item_id: str) -> str:
    item = item_of(item_id)
    return "Please answer this question." if item.options else number_message(item)


def _save_page(request: HttpRequest, checkup: CheckUp, step: Step) -> HttpResponse:
    """Save every valid answer of a page first, then go on, back, or past the optional questions."""
    action = request.POST.get("action", "next")
    if action == "decline":
        try:
            actions.decline_step(checkup, step.id, actor=request.user)
        except actions.CheckUpError as exc:
            return _bad_request(request, str(exc))
        return _onward(request, checkup)
    values, errors = StepForm(step.items, request.POST).answers()
    save_errors, stale, _revisions = _save(request, checkup, values)
    errors |= save_errors
    going_back = action == "back"
    if not going_back:
        answers = checkup.answer_map()
        for item_id in step.required:
            if item_id not in answers and item_id not in errors:
                errors[item_id] = _missing_message(item_id)
    if errors:
        # A stale item shows the newer stored answer, not the one this page tried to write.
        posted = {k: (request.POST.get(k) or "") for k in step.items if k not in stale}
        return _render_step(request, checkup, step.id, posted, errors)
    if going_back:
        path = [s.id for s in checkup.battery.applicable_steps(checkup.answer_map(), checkup.declined)]
        earlier = path[: path.index(step.id)] if step.id in path else path[:-1]
        return redirect(step_url(checkup, earlier[-1]) if earlier else checkup_url(checkup))
    return _onward(request, checkup)


def _onward(request: HttpRequest, checkup: CheckUp) -> HttpResponse:
    """After a page is sent: complete the check-up when nothing is left (unless the safety gate must ask
    first), then show whatever comes next at its own address."""
    if not _safety(checkup)["needs_gate"]:
        actions.complete_if_done(checkup, actor=request.user)
    return redirect(_next_address(checkup))


@never_cache
@require_POST
def save_one(request: HttpRequest, public_id: str) -> HttpResponse:
    """Autosave of one answer the moment it is given (htmx). Returns the saved status, and the crisis panel
    itself when the answer raises a safety flag."""
    checkup = get_checkup_for_request(request, public_id)
    item_id = request.POST.get("item", "")[:32]
    if checkup.is_complete:
        return render(request, "checkups/_saved.html", {"item_id": item_id, "error": actions.CLOSED_MESSAGE})
    form_items = (item_id,) if item_id in checkup.battery.items else ()
    values, errors = StepForm(form_items, request.POST).answers()
    stale: set[str] = set()
    revisions: dict[str, int] = {}
    if item_id in values:
        save_errors, stale, revisions = _save(request, checkup, values)
        errors |= save_errors
    elif item_id not in errors:
        errors[item_id] = CHOOSE
    context: dict[str, Any] = {"item_id": item_id, "error": errors.get(item_id, ""), "checkup": checkup}
    if item_id in revisions:
        context["revision"] = revisions[item_id]  # the common case reads nothing more
    else:
        rows = list(checkup.answers.all())
        answer = next((a for a in rows if a.item_id == item_id), None)
        context["revision"] = answer.revision if answer else 0
        if item_id in stale:
            context["stale_question"] = question_for(
                item_id,
                {a.item_id: a.value for a in rows},
                {a.item_id: a.revision for a in rows},
                frozenset(a.item_id for a in rows if a.declined),
                errors[item_id],
            )
    if touches_safety(item_id):  # only a safety answer can change the crisis panel and banner
        context |= {
            "show_panel": True,
            "crisis": resources_for(_country(request, checkup)),
            **_safety(checkup),
        }
    return render(request, "checkups/_saved.html", context, status=200)


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


def results_context(request: HttpRequest, checkup: CheckUp) -> dict[str, Any]:
    """What the results page (and the plan page in ``plans``) show: the pure summary, plus safety and crisis."""
    answers = checkup.answer_map()
    summary = summarise(answers, checkup.declined, checkup.battery)
    return {
        "checkup": checkup,
        "finished": checkup.is_complete or summary.finished,
        "answers": answers,
        "results": summary.results,
        "shown": [(s.interpretation, s.scale) for s in summary.shown],
        "summary": summary.headline,
        "professional_help": summary.professional_help,
        "caveat": summary.caveat,
        "talk_to_someone": summary.talk_to_someone,
        "crisis": resources_for(_country(request, checkup)),
        "since_last": compare_with_earlier(summary.results, earlier_results(request.user, checkup)),
        **_safety(checkup),
    }


@never_cache
@require_safe
def results(request: HttpRequest, public_id: str) -> HttpResponse:
    checkup = get_checkup_for_request(request, public_id, audit="checkup.results.read")
    return render(request, "checkups/results.html", results_context(request, checkup))


@never_cache
@login_required
@require_safe
def me(request: HttpRequest) -> HttpResponse:
    """A member's check-ups, newest first, each with its headline result (stored once it completed)."""
    rows = []
    for checkup in checkups_of(request.user, audit="checkup.list"):  # type: ignore[arg-type]
        if checkup.is_complete:
            results = {r.instrument_id: r.as_result() for r in checkup.results.all()}
        else:
            results = checkup.battery.score(checkup.answer_map(), checkup.declined)
        shown = shown_results(results)
        rows.append(
            {
                "checkup": checkup,
                "headline": shown[0] if shown else None,
                "flagged": bool(checkup.safety_events.all()),
            }
        )
    return render(request, "checkups/me.html", {"rows": rows, "unclaimed": visitor_checkups(request)})

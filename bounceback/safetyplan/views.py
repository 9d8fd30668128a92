"""The personal safety plan page: the plan with the crisis lines at the top, the plain form post (add, change,
remove, "still right") and the per-entry autosave.

Thin: read the form, look up through access functions, call an action, render. Members only; a visitor is
asked to sign in (the "Get help now" page links here without reading the database itself).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bounceback.accounts.models import User
from bounceback.safety.crisis import resources_for
from bounceback.safety.web import country_for

from . import actions
from .access import entries_by_step, get_entry, members_only, plan_of
from .forms import Posted, digest, page_steps, read
from .steps import (
    BY_ID,
    ENTRY_MAX_LENGTH,
    EVIDENCE,
    EVIDENCE_NOTE,
    HOW_TO,
    INTRO,
    NOT_A_SERVICE,
    PHONE_MAX_LENGTH,
    REVIEW_AFTER_DAYS,
    Unreadable,
    clean_phone,
    clean_text,
    entry_name,
    needs_review,
)


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    members_only(user)
    return user


def _page(
    request: HttpRequest,
    user: User,
    *,
    data: Any = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    plan = plan_of(user, audit="safetyplan.read")
    entries = entries_by_step(user, plan)
    steps = page_steps(entries, data, errors)
    fields_on_page = {
        f"e-{row.id}-{part}" for block in steps for row in block.rows for part in ("text", "phone")
    } | {f"new-{block.step.id}-{part}" for block in steps for part in ("text", "phone")}
    context = {
        "plan": plan,
        "steps": steps,
        "empty": not any(block.rows for block in steps),
        "plan_crisis": resources_for(country_for(request)),
        "errors": [
            (key if key in fields_on_page else "plan-form", message)
            for key, message in (errors or {}).items()
        ],
        "review": plan is not None and needs_review(plan.reviewed_at, timezone.now()),
        "review_after_days": REVIEW_AFTER_DAYS,
        "intro": INTRO,
        "how_to": HOW_TO,
        "not_a_service": NOT_A_SERVICE,
        "evidence": EVIDENCE,
        "evidence_note": EVIDENCE_NOTE,
        "entry_max": ENTRY_MAX_LENGTH,
        "phone_max": PHONE_MAX_LENGTH,
    }
    return render(request, "safetyplan/plan.html", context, status=status)


def _said(outcome: actions.Outcome) -> str:
    parts = []
    if outcome.added:
        parts.append("added " + ("an entry" if len(outcome.added) == 1 else f"{len(outcome.added)} entries"))
    if outcome.changed:
        parts.append("saved your changes")
    if outcome.removed:
        parts.append("removed " + ("an entry" if outcome.removed == 1 else f"{outcome.removed} entries"))
    return ("Your safety plan is saved: " + ", ".join(parts) + ".") if parts else "Your safety plan is saved."


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def safety_plan(request: HttpRequest) -> HttpResponse:
    """GET: the member's plan. POST (the plain form, which works without JavaScript): save every readable change
    on the page (Add, Remove and Save all send the whole form), or note that the plan is still right."""
    user = _member(request)
    if request.method == "GET":
        return _page(request, user)
    if request.POST.get("action") == "reviewed":
        if actions.mark_reviewed(user) is not None:
            messages.success(request, "Thank you: your plan is marked as still right today.")
        return redirect("bb-safety-plan")
    entries = entries_by_step(user, plan_of(user))
    posted: Posted = read(request.POST, entries)
    try:
        outcome = actions.save_plan(
            user, edits=posted.edits, removals=posted.removals, additions=posted.additions
        )
    except actions.SafetyPlanError as exc:  # a race the form could not see (nothing was written)
        posted.errors[exc.field] = str(exc)
        return _page(request, user, data=request.POST, errors=posted.errors)
    if posted.errors:
        return _page(request, user, data=request.POST, errors=posted.errors)
    messages.success(request, _said(outcome))
    # Back to the step just worked on (Add, Remove, or an entry typed into a new box and sent with Enter).
    step_of = {str(e.public_id): step for step, rows in entries.items() for e in rows}
    where = str(request.POST.get("add") or "")[:32]
    if where not in BY_ID:
        where = outcome.added[0].step if outcome.added else step_of.get(next(iter(posted.removals), ""), "")
    return redirect(reverse("bb-safety-plan") + (f"#step-{where}" if where else ""))


@never_cache
@login_required
@require_POST
def save_entry(request: HttpRequest, public_id: str) -> HttpResponse:
    """Autosave of one entry the moment it is changed (htmx): answers with the saved status, and the page's new
    ``was-`` values so a later plain post does not write it again. Another member's entry, or one removed
    meanwhile, is the same 404."""
    user = _member(request)
    entry = get_entry(user, public_id)
    step = BY_ID[entry.step]
    key = f"e-{entry.public_id}"
    number = 1 + sum(
        1 for other in entries_by_step(user, entry.plan)[step.id] if other.position < entry.position
    )
    where = entry_name(step, number)
    context: dict[str, Any] = {"id": str(entry.public_id), "contacts": step.contacts}
    values: dict[str, str | None] = {"text": None, "phone": None}
    for part in ("text", "phone") if step.contacts else ("text",):
        name = f"{key}-{part}"
        if name not in request.POST:
            continue
        raw = request.POST.get(name) or ""
        try:
            value = (clean_text if part == "text" else clean_phone)(raw, name, where)
        except Unreadable as exc:
            context["error"] = str(exc)
            return render(request, "safetyplan/_saved.html", context)
        if digest(value) != str(request.POST.get(f"was-{entry.public_id}-{part}") or "")[:64]:
            values[part] = value
    if values["text"] == "":
        context["error"] = f"{where}: an entry needs some words. To take it off your plan, use Remove."
        return render(request, "safetyplan/_saved.html", context)
    try:
        outcome = actions.edit_entry(user, str(entry.public_id), text=values["text"], phone=values["phone"])
    except actions.SafetyPlanError as exc:
        context["error"] = str(exc)
        return render(request, "safetyplan/_saved.html", context)
    saved = outcome.changed[0] if outcome.changed else entry
    context.update(saved=True, was_text=digest(saved.text), was_phone=digest(saved.phone))
    return render(request, "safetyplan/_saved.html", context)

"""Reminder pages: the member's settings (with what is due), the one-click unsubscribe, dismissing a
notification, and the due re-assessment's start. Thin: read a form, look up through access, call an action."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from bounceback.accounts.models import User
from bounceback.checkups import actions as checkups
from bounceback.safety.web import country_for

from . import actions, push
from .access import (
    asked_of,
    due_plan_of,
    get_notice,
    get_notification,
    members_only,
    push_devices_of,
    reminder_settings_of,
    unread_notices_of,
)
from .assigned import asked_words
from .channels import member_of_token
from .forms import ReminderSettingsForm
from .notices import notice_of
from .rules import INSTRUMENT_NAMES, Plan, State, zone


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    members_only(user)
    return user


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def due_context(member: User, current: Plan) -> dict[str, Any]:
    """What is due and overdue, and the next reminders, in the member's own time."""
    tz = zone(member.time_zone)
    now = timezone.now()

    def local(instant: datetime) -> datetime:
        return instant.astimezone(tz)

    return {
        "due_items": [
            {"name": INSTRUMENT_NAMES[d.instrument], "since": d.since, "overdue": d.state is State.OVERDUE}
            for d in current.due
            if d.state is not State.UPCOMING
        ],
        "upcoming": [
            {"name": INSTRUMENT_NAMES[d.instrument], "on": d.since}
            for d in current.due
            if d.state is State.UPCOMING
        ],
        "next_sends": [local(s.send_at) for s in current.sends if s.send_at >= now],
        "time_zone": tz.key,
    }


def _asked(member: User) -> list[dict[str, str]]:
    """Who asked the member to answer what, how often and why (assigned measures)."""
    return [{"words": asked_words(extra), "reason": extra.reason} for extra in asked_of(member)]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    stored = reminder_settings_of(member)
    form = ReminderSettingsForm(
        request.POST or None, initial=ReminderSettingsForm.initial_for(stored, member.time_zone)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_settings(member, **form.cleaned_data)
        except actions.ReminderError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, "Saved your reminder settings.")
            return redirect("bb-reminders")
    status = 400 if form.errors else 200
    context = {
        "form": form,
        **due_context(member, due_plan_of(member)),
        "push_enabled": push.enabled(),
        "vapid_public_key": settings.BOUNCEBACK_VAPID_PUBLIC_KEY,
        "push_devices": push_devices_of(member),
        "asked": _asked(member),
    }
    return render(request, "reminders/settings.html", context, status=status)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners open links; nothing changes); POST, as a mail client's one-click
    "List-Unsubscribe=One-Click" or the button, turns reminder emails off. The signed token is the only proof."""
    if request.method == "POST":
        done = actions.unsubscribe_email(token) is not None
        return render(request, "reminders/unsubscribe.html", {"done": done}, status=200 if done else 400)
    valid = member_of_token(token) is not None
    return render(request, "reminders/unsubscribe.html", {"ask": valid}, status=200 if valid else 400)


@never_cache
@login_required
@require_POST
def dismiss(request: HttpRequest, public_id: str) -> HttpResponse:
    member = _member(request)
    actions.dismiss_notification(member, get_notification(member, public_id))
    return redirect("bb-reminders" if request.POST.get("next") == "reminders" else "bb-me")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def due_checkup(request: HttpRequest) -> HttpResponse:
    """GET: what is due, with a button; POST: start a check-up of exactly those questionnaires."""
    member = _member(request)
    current = due_plan_of(member)
    if request.method == "POST" and current.due_now:
        checkup, _secret = checkups.start_checkup(  # a focused re-assessment of exactly what is due
            actor=member, context=[], country=country_for(request), instruments=list(current.due_now)
        )
        return redirect("bb-checkup", checkup.public_id)
    return render(request, "reminders/due.html", {**due_context(member, current), "asked": _asked(member)})


def _json_error(error: push.SubscriptionError) -> JsonResponse:
    return JsonResponse({"error": str(error)}, status=400)


@never_cache
@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> HttpResponse:
    """The browser's subscription JSON, posted by push.js (CSRF token in the X-CSRFToken header). Anyone signed
    in: members for reminders and notices, staff for notices (a safety alert, a message)."""
    member = _signed_in(request)
    try:
        actions.subscribe_push(member, push.parse_body(request.body))
    except push.SubscriptionError as error:
        return _json_error(error)
    return JsonResponse({"devices": push_devices_of(member)}, status=201)


@never_cache
@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    member = _signed_in(request)
    try:
        actions.unsubscribe_push(member, push.parse_body(request.body))
    except push.SubscriptionError as error:
        return _json_error(error)
    return JsonResponse({"devices": push_devices_of(member)})


SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "bounceback" / "sw.js"


@cache
def _service_worker() -> str:
    return SERVICE_WORKER.read_text(encoding="utf-8")


@require_http_methods(["GET", "HEAD"])
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker from the site's root, so its scope is the whole site (``Service-Worker-Allowed``);
    no database, no session. Browsers check it for updates at least daily; ``no-cache`` makes that prompt."""
    response = HttpResponse(_service_worker(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@never_cache
@login_required
@require_http_methods(["GET"])
def notices_page(request: HttpRequest) -> HttpResponse:
    """The person's unread notices (visits, messages…): fixed words, each leading to its page."""
    user = request.user
    assert isinstance(user, User)
    rows = [(n, notice_of(n.item)) for n in unread_notices_of(user)]
    return render(
        request,
        "reminders/notices.html",
        {
            "notices": [(n, k) for n, k in rows if k is not None],
            "push_enabled": push.enabled(),
            "vapid_public_key": settings.BOUNCEBACK_VAPID_PUBLIC_KEY,
            "push_devices": push_devices_of(user),
        },
    )


@never_cache
@login_required
@require_POST
def open_notice(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark the notice read, then go where it leads (or back to the list, for "Dismiss")."""
    user = request.user
    assert isinstance(user, User)
    notification = get_notice(user, public_id)
    actions.dismiss_notice(user, notification)
    notice = notice_of(notification.item)
    if request.POST.get("then") == "open" and notice is not None:
        return redirect(notice.path)
    return redirect("bb-notices")

"""The daily check-in pages: today, a day of the last week, the plain form post and the per-answer autosave.

Thin: read the form, look up through access functions, call an action, render. Members only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bounceback.accounts.models import User

from . import actions
from .access import checkin_on, checkins_on, members_only
from .forms import page_fields, parse_day, read, was_of
from .questions import BACKFILL_DAYS, BY_NAME, NAMES


def _member(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def _day_label(day: date, today: date) -> str:
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return f"{day:%A} {day.day} {day:%B}"


def _week(user: User, today: date) -> list[dict[str, Any]]:
    days = actions.fillable_days(user)
    found = checkins_on(user, days)
    return [
        {
            "day": day,
            "label": _day_label(day, today),
            "checkin": found.get(day),
            "url": reverse("bb-checkin-day", args=[day.isoformat()]),
        }
        for day in days
    ]


def _page(
    request: HttpRequest,
    user: User,
    day: date | None,
    *,
    posted: Any = None,
    errors: dict[str, str] | None = None,
    day_error: str = "",
    status: int = 200,
) -> HttpResponse:
    today = actions.local_today(user)
    checkin = checkin_on(user, day, audit="checkin.read") if day is not None and not day_error else None
    context = {
        "day": day,
        "today": today,
        "day_label": _day_label(day, today) if day is not None else "",
        "day_long": actions.human_date(day) if day is not None else "",
        "day_error": day_error,
        "checkin": checkin,
        "fields": page_fields(checkin, posted, errors),
        "errors": [(name, BY_NAME[name].label, message) for name, message in (errors or {}).items()],
        "week": _week(user, today),
        "backfill_days": BACKFILL_DAYS,
        "time_zone": actions.zone_of(user).key,
    }
    return render(request, "tracking/checkin.html", context, status=status)


def _day_or_error(user: User, raw: str | None) -> tuple[date | None, str]:
    """The day the address names (today for /checkin/), or the reason it cannot be filled in."""
    if raw is None:
        return actions.local_today(user), ""
    day = parse_day(raw[:10] if len(raw) <= 10 else "")
    if day is None:
        return None, f"“{raw[:20]}” is not a date: the address takes one like {actions.local_today(user)}."
    try:
        actions.check_day(user, day)
    except actions.CheckInError as exc:
        return None, str(exc)
    return day, ""


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, day: str | None = None) -> HttpResponse:
    """GET: the check-in for today (or a day of the last week), with the week's list. POST (the plain form,
    which works without JavaScript): save every readable answer the member changed, name each unreadable one."""
    user = _member(request)
    members_only(user)
    the_day, day_error = _day_or_error(user, day)
    if the_day is None:
        return _page(request, user, None, day_error=day_error, status=400)
    if request.method == "GET":
        return _page(request, user, the_day)
    changed, errors = read(request.POST, NAMES)
    try:
        actions.save_checkin(user, the_day, changed)
    except actions.CheckInError as exc:
        errors[exc.name] = str(exc)
    if errors:
        return _page(request, user, the_day, posted=request.POST, errors=errors)
    messages.success(request, f"Saved your check-in for {actions.human_date(the_day)}.")
    return redirect("bb-checkin-day", the_day.isoformat())


@never_cache
@login_required
@require_POST
def save_one(request: HttpRequest, day: str) -> HttpResponse:
    """Autosave of one answer the moment it is given (htmx): answers with the saved status, and the page's new
    ``was_`` value so a later plain post does not write it again."""
    user = _member(request)
    members_only(user)
    name = str(request.POST.get("field") or "")[:32]
    the_day, error = _day_or_error(user, day)
    context: dict[str, Any] = {"name": name if name in BY_NAME else "", "error": error}
    if name not in BY_NAME:
        context["error"] = "Unknown question: reload the page and answer again."
    elif the_day is not None:
        changed, errors = read(request.POST, (name,))
        try:
            saved = actions.save_checkin(user, the_day, changed)
        except actions.CheckInError as exc:
            errors[name] = str(exc)
        else:
            context["saved"] = True
            context["was"] = was_of(name, getattr(saved, name) if saved is not None else None)
        context["error"] = errors.get(name, "")
    return render(request, "tracking/_saved.html", context)

"""Secure messaging pages: the message box, writing a new message, and a conversation with its reply form.

Thin: read the form, look up through access functions, call an action, render. Every compose box says when to
expect a reply, that messages are not watched around the clock, and where to get help now (hazard H28).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from bounceback.accounts.models import Role, User

from . import actions
from .access import (
    can_write,
    display_name,
    expectation,
    get_thread,
    get_writable_relationship,
    in_care,
    messages_of,
    messaging_only,
    other_of,
    threads_of,
    waiting_at_clinic,
    writable_relationships,
)
from .forms import ComposeForm, ReplyForm
from .rules import Invalid


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    messaging_only(user)
    return user


@never_cache
@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    context = {
        "rows": threads_of(user),
        "in_care": in_care(user),
        "can_start": bool(writable_relationships(user)),
        "is_clinician": user.role == Role.CLINICIAN,
    }
    return render(request, "messaging/inbox.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    relationships = writable_relationships(user)
    choices = [(str(r.public_id), display_name(other_of(user, r))) for r in relationships]
    context: dict[str, Any] = {
        "is_clinician": user.role == Role.CLINICIAN,
        "expectations": [expectation(user, r) for r in relationships],
    }
    if not relationships:
        return render(request, "messaging/compose.html", {**context, "form": None})
    if request.method == "GET":
        form = ComposeForm(choices=choices)
        return render(request, "messaging/compose.html", {**context, "form": form})
    form = ComposeForm(request.POST, choices=choices)
    if form.is_valid():
        relationship = get_writable_relationship(user, form.cleaned_data["to"])
        try:
            thread = actions.start_thread(
                user, relationship, form.cleaned_data["subject"], form.cleaned_data["body"]
            )
        except Invalid as exc:  # the care ended meanwhile
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return redirect(reverse("bb-message-thread", args=[thread.public_id]) + "#latest")
    return render(request, "messaging/compose.html", {**context, "form": form}, status=400)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _person(request)
    found = get_thread(user, public_id)
    relationship = found.relationship
    writable = can_write(user, relationship)
    status = 200
    form = ReplyForm()
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                actions.send_message(user, found, form.cleaned_data["body"])
            except Invalid as exc:  # the care ended (or the thread went) meanwhile
                form.add_error("body" if exc.field == "body" else None, str(exc))
            else:
                return redirect(reverse("bb-message-thread", args=[found.public_id]) + "#latest")
        status = 400
    else:
        actions.mark_read(user, found)
    context = {
        "thread": found,
        "rows": messages_of(user, found),
        "other": display_name(other_of(user, relationship)),
        "writable": writable,
        "form": form,
        "expectations": [expectation(user, relationship)],
        "is_clinician": user.role == Role.CLINICIAN,
    }
    return render(request, "messaging/thread.html", context, status=status)


@never_cache
@login_required
@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    """For a clinic's administrators: members' messages waiting past their clinician's reply time (who, since
    when; nothing of the messages), so someone can make sure they are answered (hazard H28)."""
    user = request.user
    assert isinstance(user, User)
    return render(request, "messaging/waiting.html", {"rows": waiting_at_clinic(user, timezone.now())})

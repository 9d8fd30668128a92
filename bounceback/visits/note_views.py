"""The after-visit pages: the member reads the published summary (and shared notes); the visit's clinician
writes both. Thin: look up through ``notes``, call its action, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from bounceback.accounts.models import User

from .notes import (
    NOTES_MAX,
    SUMMARY_MAX,
    NoteError,
    has_started,
    note_of,
    read_for_member,
    save_note,
    visit_for_clinician,
    visit_for_member,
)

SAID = {
    "save": "Saved.",
    "publish": "Saved and published: the member can read the summary now.",
    "share": "Saved and shared: the member can read your notes now.",
    "unshare": "Saved. Your notes are no longer shown to the member.",
}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


@never_cache
@login_required
@require_GET
def summary(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    visit = visit_for_member(user, public_id)
    view = read_for_member(user, visit)
    profile = getattr(visit.clinician, "clinician_profile", None)
    context = {
        "visit": visit,
        "view": view,
        "clinician": profile.display_name if profile is not None else "Your clinician",
    }
    return render(request, "visits/note_summary.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notes(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    visit = visit_for_clinician(user, public_id)
    note = note_of(visit)
    errors: dict[str, str] = {}
    summary_text = note.summary if note else ""
    notes_text = note.notes if note else ""
    status = 200
    if request.method == "POST":
        action = str(request.POST.get("action") or "save")
        if action not in SAID:
            action = "save"
        summary_text = str(request.POST.get("summary") or "")
        notes_text = str(request.POST.get("notes") or "")
        try:
            save_note(
                user,
                visit,
                summary=summary_text,
                notes=notes_text,
                publish=action == "publish",
                share={"share": True, "unshare": False}.get(action),
            )
        except NoteError as exc:
            errors[exc.field] = str(exc)
            status = 400
            summary_text, notes_text = summary_text[: 2 * SUMMARY_MAX], notes_text[: 2 * NOTES_MAX]
        else:
            messages.success(request, SAID[action])
            return redirect(reverse("bb-visit-notes", args=[visit.public_id]))
    context = {
        "visit": visit,
        "note": note,
        "started": has_started(visit),
        "member": visit.member.get_full_name() or visit.member.email,
        "summary_text": summary_text,
        "notes_text": notes_text,
        "errors": errors,
        "summary_max": SUMMARY_MAX,
        "notes_max": NOTES_MAX,
        "summary_limit": f"{SUMMARY_MAX:,}",
        "notes_limit": f"{NOTES_MAX:,}",
    }
    return render(request, "visits/note_edit.html", context, status=status)

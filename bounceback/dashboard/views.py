"""The clinician's caseload (``/clinician/``), assigning measures to a member, and the clinic's outcomes for its
administrators. Thin: read the filters or a form, look up through ``access``, call an action, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bounceback.accounts.models import User
from bounceback.care.access import member_name
from bounceback.reminders.rules import INSTRUMENT_NAMES

from . import access, actions
from .cards import card
from .caseload import FILTER_WORDS, FILTERS, MEASURES, Filter, caseload
from .forms import AssignForm
from .outcomes import CASENESS, MIN_N

PER_PAGE = 50
"""Members per page, most in need first (every member is ranked, and so read, on each page)."""


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


@never_cache
@login_required
@require_safe
def caseload_page(request: HttpRequest) -> HttpResponse:
    clinician = access.clinicians_only(_user(request))
    only = request.GET.get("show", "")
    only = only if only in FILTERS else Filter.ALL
    instrument = request.GET.get("measure", "")
    instrument = instrument if instrument in MEASURES else ""
    now = timezone.now()
    members = access.caseload_of(clinician, now)
    by_key = {m.facts.key: m for m in members}
    tz_name = clinician.time_zone or "UTC"
    member_url = reverse("bb-clinician-member", args=["KEY"])
    assign_url = reverse("bb-dashboard-assign", args=["KEY"])
    ranked = caseload([m.facts for m in members], now, only=only, instrument=instrument)
    page = Paginator(ranked, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        card(
            row,
            by_key[row.facts.key],
            n,
            tz_name,
            lambda key: member_url.replace("KEY", key),
            lambda key: assign_url.replace("KEY", key),
        )
        for n, row in enumerate(page.object_list, start=page.start_index())
    ]
    query = urlencode({k: v for k, v in (("show", only), ("measure", instrument)) if v})
    context = {
        "rows": rows,
        "page": page,
        "query": f"{query}&" if query else "",
        "shown": len(ranked),
        "total": len(members),
        "only": only,
        "measure": instrument,
        "filters": [(key, FILTER_WORDS[key]) for key in (Filter.ALL, *FILTERS)],
        "measures": [(i, INSTRUMENT_NAMES[i]) for i in MEASURES],
        "time_zone": tz_name,
    }
    return render(request, "dashboard/caseload.html", context)


def _assign_page(
    request: HttpRequest, clinician: User, public_id: str, form: AssignForm | None = None, status: int = 200
) -> HttpResponse:
    member, relationship = access.member_to_assign(clinician, public_id)
    context = {
        "member": member,
        "name": member_name(member),
        "form": form or AssignForm(),
        "assignments": [(a, INSTRUMENT_NAMES[a.instrument]) for a in access.assignments_of(relationship)],
    }
    return render(request, "dashboard/assign.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, public_id: str) -> HttpResponse:
    """GET: what this member is asked to answer by you, and the form; POST: assign."""
    clinician = access.clinicians_only(_user(request))
    if request.method == "GET":
        return _assign_page(request, clinician, public_id)
    member, relationship = access.member_to_assign(clinician, public_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _assign_page(request, clinician, public_id, form, status=400)
    try:
        actions.assign(
            clinician,
            relationship,
            form.cleaned_data["instruments"],
            form.cleaned_data["every_days"],
            form.cleaned_data["reason"],
        )
    except actions.AssignError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return _assign_page(request, clinician, public_id, form, status=400)
    messages.success(
        request, f"Assigned. {member_name(member)} sees who asked and why on their reminders page."
    )
    return redirect("bb-dashboard-assign", public_id=member.public_id)


@never_cache
@login_required
@require_POST
def unassign(request: HttpRequest, public_id: str, assignment_id: str) -> HttpResponse:
    clinician = access.clinicians_only(_user(request))
    member, relationship = access.member_to_assign(clinician, public_id)
    assignment = access.get_assignment(relationship, assignment_id)
    if actions.stop(clinician, assignment):
        messages.success(request, f"Stopped. {member_name(member)} is no longer asked to answer it.")
    return redirect("bb-dashboard-assign", public_id=member.public_id)


@never_cache
@login_required
@require_safe
def outcomes_page(request: HttpRequest) -> HttpResponse:
    found = access.outcomes_of_clinic(_user(request))
    context = {
        "clinic": found.clinic,
        "sharing": found.sharing,
        "rows": found.rows,
        "min_n": MIN_N,
        "caseness": [c.source for c in CASENESS.values()],
    }
    return render(request, "dashboard/outcomes.html", context)

"""The care pages. Thin: look up through ``access``, call an action, render.

Members: "My care" (their clinicians), one relationship's sharing page (what is shared now, share more, stop a
share, end care) and the access log (every read of their data by a clinician). Clinicians: "My members" and
one member's shared data, read through ``access.shared_data_for_clinician`` on every request, so a share that
was stopped or ran out is gone on the clinician's next request (hazard H15).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bounceback.accounts.models import Role, User
from bounceback.progress.page import progress_page
from bounceback.safetyplan.steps import BY_ID
from bounceback.tracking.actions import local_today, zone_of

from . import access, actions
from .forms import ShareForm
from .models import CareRelationship, Kind, Share
from .wording import in_sentence, join_words, long_day, long_moment, stopped_message

FIND_CARE = "/care/find/"
KIND_SLUGS = {"results": Kind.RESULTS, "checkins": Kind.CHECKINS, "safety-plan": Kind.SAFETY_PLAN}
LABELS: dict[str, str] = {kind.value: str(kind.label) for kind in Kind}


def _member(request: HttpRequest) -> User:
    """The signed-in member; anyone else gets the same 404 as a missing page."""
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    if user.role != Role.MEMBER:
        raise Http404(access.NOT_FOUND)
    return user


def _clinician(request: HttpRequest) -> User:
    """The signed-in clinician, active in a clinic (the middleware has made them set up two-factor sign-in)."""
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    if not access.is_active_clinician(user):
        raise Http404(access.NOT_FOUND)
    return user


def _find_care_url() -> str:
    """The directory of clinicians, when the site has it."""
    try:
        resolve(FIND_CARE)
    except Resolver404:
        return ""
    return FIND_CARE


def _words(kinds: list[str]) -> str:
    return join_words([in_sentence(LABELS[k]) for k in kinds])


@dataclass(frozen=True)
class ShareRow:
    share: Share
    what: list[str]
    last_day: str


def _share_rows(shares: list[Share], member: User) -> list[ShareRow]:
    return [
        ShareRow(share, [LABELS[k] for k in share.kinds()], long_day(access.last_day(share, member)))
        for share in shares
    ]


# --- Members --------------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def my_care(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    zone = zone_of(member)
    rows = [
        {
            "care": care,
            "shared": _words(care.kinds),
            "since": long_day(care.relationship.agreed_at.astimezone(zone).date()),
            "ended": long_day(care.relationship.ended_at.astimezone(zone).date())
            if care.relationship.ended_at
            else "",
        }
        for care in access.care_of_member(member)
    ]
    context = {
        "active": [r for r in rows if not r["ended"]],
        "ended": [r for r in rows if r["ended"]],
        "find_care": _find_care_url(),
    }
    return render(request, "care/my_care.html", context)


def _sharing_page(
    request: HttpRequest,
    member: User,
    relationship: CareRelationship,
    form: ShareForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = local_today(member)
    shares = access.live_shares(relationship)
    context: dict[str, Any] = {
        "relationship": relationship,
        "clinician": access.clinician_name(relationship.clinician),
        "rows": _share_rows(shares, member),
        "ended": long_day(relationship.ended_at.astimezone(zone_of(member)).date())
        if relationship.ended_at
        else "",
        "form": form or ShareForm(today=today, initial={"last_day": _default_last_day(today)}),
        "time_zone": member.time_zone or "UTC",
        "not_shared": [LABELS[k] for k in Kind.values if not any(getattr(s, k) for s in shares)],
    }
    return render(request, "care/sharing.html", context, status=status)


def _default_last_day(today: date) -> date:
    return date.fromordinal(today.toordinal() + 30)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """GET: what this clinician can see now. POST: share more (kinds and a last day)."""
    member = _member(request)
    relationship = access.get_relationship_for_member(member, public_id)
    if request.method == "GET":
        return _sharing_page(request, member, relationship)
    if relationship.ended_at is not None:
        raise Http404(access.NOT_FOUND)
    form = ShareForm(request.POST, today=local_today(member))
    if not form.is_valid():
        return _sharing_page(request, member, relationship, form, status=400)
    try:
        actions.share_with(member, relationship, form.cleaned_data["kinds"], form.cleaned_data["last_day"])
    except actions.CareError as exc:
        form.add_error(
            "last_day" if exc.field == "until" else "kinds" if exc.field == "kinds" else None, str(exc)
        )
        return _sharing_page(request, member, relationship, form, status=400)
    messages.success(
        request,
        f"Shared. {access.clinician_name(relationship.clinician)} can now see your "
        f"{_words(form.cleaned_data['kinds'])} until the end of {long_day(form.cleaned_data['last_day'])}.",
    )
    return redirect("bb-care-sharing", public_id=relationship.public_id)


@never_cache
@login_required
@require_POST
def revoke(request: HttpRequest, public_id: uuid.UUID, share_id: uuid.UUID) -> HttpResponse:
    """Stop one share now: the clinician's next request no longer shows what it covered."""
    member = _member(request)
    relationship = access.get_relationship_for_member(member, public_id)
    share = access.share_of_relationship(member, relationship, share_id)
    actions.revoke_share(member, share)
    still = access.shared_kinds(relationship)
    stopped = [k for k in share.kinds() if k not in still]
    messages.success(
        request,
        stopped_message(
            access.clinician_name(relationship.clinician),
            [LABELS[k] for k in stopped],
            [LABELS[k] for k in Kind.values if k in still],
        ),
    )
    return redirect("bb-care-sharing", public_id=relationship.public_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """GET: what ending care means, and the button. POST: end it."""
    member = _member(request)
    relationship = access.get_relationship_for_member(member, public_id)
    name = access.clinician_name(relationship.clinician)
    if request.method == "POST":
        if actions.end_care(member, relationship):
            messages.success(
                request, f"Care with {name} has ended. They can no longer see anything you shared."
            )
        return redirect("bb-care")
    if relationship.ended_at is not None:
        return redirect("bb-care-sharing", public_id=relationship.public_id)
    return render(request, "care/end.html", {"relationship": relationship, "clinician": name})


@never_cache
@login_required
@require_safe
def access_log(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    zone = zone_of(member)
    page = access.reads_page(member, request.GET.get("page", 1))
    rows = [
        (
            read.clinician_name,
            access.WHAT_IN_WORDS.get(read.what, read.what),
            long_moment(read.at.astimezone(zone)),
        )
        for read in page
    ]
    context = {"page": page, "rows": rows, "time_zone": member.time_zone or "UTC", "labels": LABELS.values()}
    return render(request, "care/access_log.html", context)


# --- Clinicians -----------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def my_members(request: HttpRequest) -> HttpResponse:
    clinician = _clinician(request)
    rows = [
        {
            "in_care": in_care,
            "name": access.member_name(in_care.member),
            "since": long_day(in_care.relationship.agreed_at.astimezone(zone_of(in_care.member)).date()),
            "shares": _share_rows(in_care.shares, in_care.member),
        }
        for in_care in access.members_of_clinician(clinician)
    ]
    return render(request, "care/my_members.html", {"rows": rows})


def _member_page(request: HttpRequest, public_id: str, only: str = "") -> HttpResponse:
    clinician = _clinician(request)
    data = access.shared_data_for_clinician(clinician, public_id, only=only)
    page = None
    if Kind.RESULTS in data.shown or Kind.CHECKINS in data.shown:
        page = progress_page(data.records, data.days, data.today)
    plan_steps = None
    if data.plan is not None:
        plan_steps = [(BY_ID[step], entries) for step, entries in data.plan.items()]
    context = {
        "data": data,
        "name": access.member_name(data.member),
        "rows": _share_rows(data.shares, data.member),
        "shared": [LABELS[k] for k in data.kinds],
        "not_shared": [LABELS[k] for k in Kind.values if k not in data.kinds],
        "kind_links": [(slug, LABELS[kind]) for slug, kind in KIND_SLUGS.items() if kind in data.kinds],
        "only": only,
        "page": page,
        "plan_steps": plan_steps,
        "plan_empty": plan_steps is not None and not any(entries for _s, entries in plan_steps),
        "time_zone": data.member.time_zone or "UTC",
        "show_results": Kind.RESULTS in data.shown,
        "show_checkins": Kind.CHECKINS in data.shown,
    }
    return render(request, "care/member.html", context)


@never_cache
@login_required
@require_safe
def member(request: HttpRequest, public_id: str) -> HttpResponse:
    """Everything this member shares with the clinician now, each kind's read logged for the member."""
    return _member_page(request, public_id)


@never_cache
@login_required
@require_safe
def member_kind(request: HttpRequest, public_id: str, kind: str) -> HttpResponse:
    """One kind of this member's shared data (results, check-ins or the safety plan)."""
    if kind not in KIND_SLUGS:
        _clinician(request)
        raise Http404(access.NOT_FOUND)
    return _member_page(request, public_id, only=KIND_SLUGS[kind])

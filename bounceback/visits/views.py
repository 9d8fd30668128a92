"""Finding care and visits: the directory, a clinician's page with free times, the booking form, the visits list,
one visit (cancel, move, calendar file).

Thin: read through ``access``, write through ``actions``, show times on the viewer's own clock with the zone named.
The crisis path never waits for a booking: the find-care and booking pages say where to get help now.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bounceback.accounts.models import Role, User
from bounceback.care.access import active_relationship
from bounceback.clinics.availability import Slot, format_start, in_zone, parse_start, zone_name, zone_of

from . import access, actions, ics
from .display import days_of, shown
from .forms import SHARE_DAYS_AFTER_VISIT, BookingForm, MoveForm
from .models import Appointment, Status

NEXT_FREE = 3
PROFILE_DAYS = 14
JOIN_TEMPLATE = "video/_join.html"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def _member(request: HttpRequest) -> User:
    user = _user(request)
    if user.role != Role.MEMBER:
        raise Http404(access.NOT_FOUND)
    return user


def _zone(user: User) -> str:
    return zone_of(user.time_zone).key


def _label(zone: str) -> str:
    """The zone named as it is now, e.g. "Europe/London (GMT)"."""
    return zone_name(timezone.now(), zone)


@never_cache
@login_required
@require_safe
def find_care(request: HttpRequest) -> HttpResponse:
    member = _member(request)
    zone = _zone(member)
    now = timezone.now()
    clinicians = []
    for profile in access.directory(member):
        free = access.free_slots(profile, now)[:NEXT_FREE]
        clinicians.append(
            {
                "profile": profile,
                "id": str(profile.user.public_id),
                "free": [shown(s.starts_at, s.ends_at, zone) for s in free],
            }
        )
    return render(
        request,
        "visits/find.html",
        {"clinicians": clinicians, "needs_region": not member.region, "zone": _label(zone)},
    )


@never_cache
@login_required
@require_safe
def clinician(request: HttpRequest, public_id: str) -> HttpResponse:
    member = _member(request)
    profile = access.clinician_for_member(member, public_id)
    zone = _zone(member)
    free = access.free_slots(profile, days=PROFILE_DAYS)
    return render(
        request,
        "visits/clinician.html",
        {
            "profile": profile,
            "id": str(profile.user.public_id),
            "days": days_of(free, zone),
            "zone": _label(zone),
            "in_care": active_relationship(member, profile.user) is not None,
            "profile_days": PROFILE_DAYS,
        },
    )


def _offered(free: list[Slot], start: str) -> Slot | None:
    wanted = parse_start(start)
    return next((s for s in free if s.starts_at == wanted), None) if wanted else None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, public_id: str) -> HttpResponse:
    member = _member(request)
    profile = access.clinician_for_member(member, public_id)
    zone = _zone(member)
    first_visit = active_relationship(member, profile.user) is None
    now = timezone.now()
    today = in_zone(now, zone).date()
    start = str((request.POST if request.method == "POST" else request.GET).get("start") or "")[:40]
    slot = _offered(access.free_slots(profile, now), start)
    context: dict[str, Any] = {
        "profile": profile,
        "id": str(profile.user.public_id),
        "zone": _label(zone),
        "first_visit": first_visit,
    }
    if slot is None:
        context["gone"] = True
        status = 409 if request.method == "POST" else 200
        return render(request, "visits/book.html", context, status=status)
    context["slot"] = shown(slot.starts_at, slot.ends_at, zone)
    visit_day = in_zone(slot.starts_at, zone).date()
    if request.method == "GET":
        form = BookingForm(
            initial={
                "start": format_start(slot.starts_at),
                "share_until": visit_day + timedelta(SHARE_DAYS_AFTER_VISIT),
            },
            today=today,
            first_visit=first_visit,
        )
        return render(request, "visits/book.html", context | {"form": form})
    form = BookingForm(request.POST, today=today, first_visit=first_visit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            appointment = actions.book_visit(
                member,
                profile.user,
                data["start"],
                reason=data["reason"],
                share_kinds=data["share"],
                share_last_day=data["share_until"],
                agree=bool(data.get("agree")) or not first_visit,
            )
        except actions.BookingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "Your visit is booked. Both of you have been told.")
            return redirect("bb-visit", public_id=str(appointment.public_id))
    return render(request, "visits/book.html", context | {"form": form}, status=400)


@never_cache
@login_required
@require_safe
def visits(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    zone = _zone(user)
    found = access.visits_of(user)

    def rows(appointments: list[Appointment]) -> list[dict[str, Any]]:
        return [_row(a, user, zone) for a in appointments]

    return render(
        request,
        "visits/list.html",
        {
            "upcoming": rows(found.upcoming),
            "past": rows(found.past),
            "cancelled": rows(found.cancelled),
            "zone": _label(zone),
            "is_member": user.role == Role.MEMBER,
        },
    )


def _other_name(appointment: Appointment, viewer: User) -> str:
    if viewer.pk == appointment.member_id:
        profile = access.profile_of_visit(appointment)
        return profile.display_name if profile else "Your clinician"
    member = appointment.member
    return member.get_full_name() or member.email


def _row(appointment: Appointment, viewer: User, zone: str) -> dict[str, Any]:
    return {
        "id": str(appointment.public_id),
        "when": shown(appointment.starts_at, appointment.ends_at, zone),
        "with": _other_name(appointment, viewer),
        "visit": appointment,
    }


def _join_template() -> str | None:
    try:
        select_template([JOIN_TEMPLATE])
    except TemplateDoesNotExist:
        return None
    return JOIN_TEMPLATE


def _visit_page(
    request: HttpRequest,
    user: User,
    appointment: Appointment,
    move_form: MoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    zone = _zone(user)
    now = timezone.now()
    is_member = user.pk == appointment.member_id
    profile = access.profile_of_visit(appointment)
    cutoff = timedelta(hours=profile.cancel_cutoff_hours if profile else 24)
    booked = appointment.status == Status.BOOKED
    upcoming = booked and appointment.ends_at > now
    member_may_change = is_member and upcoming and now <= appointment.starts_at - cutoff
    move_days = []
    if member_may_change and profile is not None:
        move_days = days_of(access.free_slots(profile, now, days=PROFILE_DAYS), zone)
    moved_to = appointment.rescheduled_to if appointment.rescheduled_to_id else None
    return render(
        request,
        "visits/visit.html",
        {
            "visit": appointment,
            "id": str(appointment.public_id),
            "when": shown(appointment.starts_at, appointment.ends_at, zone),
            "with": _other_name(appointment, user),
            "profile": profile,
            "is_member": is_member,
            "booked": booked,
            "upcoming": upcoming,
            "started": booked and appointment.starts_at <= now,
            "may_cancel": upcoming and (member_may_change or not is_member),
            "may_move": member_may_change,
            "cutoff_hours": int(cutoff.total_seconds() // 3600),
            "move_days": move_days,
            "move_form": move_form,
            "moved_to": str(moved_to.public_id) if moved_to and is_member else "",
            "reason": appointment.reason,
            "join_template": _join_template() if upcoming else None,
            "zone": _label(zone),
        },
        status=status,
    )


@never_cache
@login_required
@require_safe
def visit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    return _visit_page(request, user, access.get_visit(user, public_id))


@never_cache
@login_required
@require_POST
def cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    appointment = access.get_visit(user, public_id)
    try:
        if actions.cancel_visit(user, appointment):
            messages.success(request, "The visit is cancelled. Both of you have been told.")
    except actions.BookingError as exc:
        messages.error(request, str(exc))
    return redirect("bb-visit", public_id=str(appointment.public_id))


@never_cache
@login_required
@require_POST
def reschedule(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    appointment = access.get_visit(user, public_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            moved = actions.reschedule_visit(user, appointment, form.cleaned_data["start"])
        except actions.BookingError as exc:
            form.add_error("start", str(exc))
        else:
            messages.success(request, "Your visit has a new time. Both of you have been told.")
            return redirect("bb-visit", public_id=str(moved.public_id))
    return _visit_page(request, user, appointment, move_form=form, status=400)


@never_cache
@login_required
@require_safe
def invite(request: HttpRequest, public_id: str) -> HttpResponse:
    """The visit as a calendar file (.ics), for its two participants only."""
    user = _user(request)
    appointment = access.get_visit(user, public_id)
    page = request.build_absolute_uri(reverse("bb-visit", kwargs={"public_id": str(appointment.public_id)}))
    body = ics.invitation(appointment, url=page, domain=request.get_host().split(":")[0], now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="bounceback-visit.ics"'
    response["Cache-Control"] = "no-store"
    return response

"""Clinic pages: the administrator's clinic page (settings, staff, invitations), accepting an invitation, the
clinician's profile and diary, and a member's region. Thin: read a form, look up through access, call an
action, put its refusal back on the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from bounceback.accounts.middleware import has_authenticator_app
from bounceback.accounts.models import Role, User

from . import access, actions
from .forms import (
    AcceptForm,
    ClinicForm,
    DiaryForm,
    InvitationForm,
    ProfileForm,
    RegionForm,
    StaffActiveForm,
    TimeOffForm,
)
from .models import StaffRole

T = TypeVar("T")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def _refused(form: Form, exc: actions.ClinicError) -> None:
    if isinstance(exc, actions.WeekError):
        for weekday, block, message in exc.problems:
            form.add_error(f"hours_{weekday}_{block - 1}_start", message)
        return
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _saved(
    request: HttpRequest, form: Form, save: Callable[[], T], done: str | Callable[[T], str], then: str
) -> HttpResponse | None:
    """A valid form's write: when it is made, say so (`done`, or `done` of what it returned) and go to `then`; when
    it is refused, the refusal goes back on the form. None unless it was made: the caller shows the form again."""
    if not form.is_valid():
        return None
    try:
        result = save()
    except actions.ClinicError as exc:
        _refused(form, exc)
        return None
    messages.success(request, done if isinstance(done, str) else done(result))
    return redirect(then)


def _status(*forms: Form | None) -> int:
    """400 when a form on the page was refused, 200 otherwise."""
    return 400 if any(form is not None and form.errors for form in forms) else 200


# --- The clinic administrator's page -----------------------------------------------------------------------


def _clinic_page(
    request: HttpRequest,
    admin: User,
    *,
    clinic_form: ClinicForm | None = None,
    invitation_form: InvitationForm | None = None,
) -> HttpResponse:
    clinic = access.clinic_of_admin(admin)
    context = {
        "clinic": clinic,
        "clinic_form": clinic_form or ClinicForm(initial=ClinicForm.initial_for(clinic)),
        "invitation_form": invitation_form or InvitationForm(),
        "staff": access.staff_list(admin),
        "invitations": access.open_invitations(admin),
        "me": admin,
        "invitation_days": settings.BOUNCEBACK_INVITATION_DAYS,
    }
    return render(request, "clinics/clinic.html", context, status=_status(clinic_form, invitation_form))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def clinic(request: HttpRequest) -> HttpResponse:
    admin = _user(request)
    current = access.clinic_of_admin(admin)
    if request.method != "POST":
        return _clinic_page(request, admin)
    form = ClinicForm(request.POST)
    saved = _saved(
        request,
        form,
        lambda: actions.update_clinic(admin, current, form.values()),
        "Saved the clinic's settings.",
        "bb-clinic",
    )
    if saved is not None:
        return saved
    return _clinic_page(request, admin, clinic_form=form)


@never_cache
@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    admin = _user(request)
    current = access.clinic_of_admin(admin)
    form = InvitationForm(request.POST)
    saved = _saved(
        request,
        form,
        lambda: actions.invite(admin, current, form.cleaned_data["email"], form.cleaned_data["role"]),
        lambda made: f"Sent an invitation to {made[0].email}.",
        "bb-clinic",
    )
    if saved is not None:
        return saved
    return _clinic_page(request, admin, invitation_form=form)


@never_cache
@login_required
@require_POST
def withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    admin = _user(request)
    invitation = access.get_invitation(admin, public_id)
    actions.withdraw_invitation(admin, invitation)
    messages.success(request, f"Withdrew the invitation to {invitation.email}.")
    return redirect("bb-clinic")


@never_cache
@login_required
@require_POST
def staff_active(request: HttpRequest, public_id: str) -> HttpResponse:
    admin = _user(request)
    staff = access.get_staff(admin, public_id)
    form = StaffActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to activate or deactivate.")
        return redirect("bb-clinic")
    try:
        actions.set_staff_active(admin, staff, form.cleaned_data["active"])
    except actions.ClinicError as exc:
        messages.error(request, str(exc))
    else:
        done = "Activated" if form.cleaned_data["active"] else "Deactivated"
        messages.success(request, f"{done} {staff.user.get_full_name() or staff.user.email}.")
    return redirect("bb-clinic")


# --- Invitations ----------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link. A link that no longer works says why, and nothing else."""
    invitation = access.invitation_by_token(token)
    state = actions.state_of(invitation)
    if state != actions.InvitationState.OPEN or invitation is None:
        status = 404 if state == actions.InvitationState.UNKNOWN else 410
        closed = {"message": actions.STATE_MESSAGES[state]}
        return render(request, "clinics/invitation_closed.html", closed, status=status)
    context: dict[str, Any] = {
        "invitation": invitation,
        "role": "a clinic administrator" if invitation.role == StaffRole.ADMIN else "a clinician",
        "path": request.path,
    }
    user = request.user
    if isinstance(user, User):
        if user.email.lower() != invitation.email.lower():
            return render(request, "clinics/invitation_other_account.html", context, status=403)
        if request.method == "POST":
            try:
                actions.accept_invitation_as(user, token)
            except actions.ClinicError as exc:
                return render(request, "clinics/invitation_closed.html", {"message": str(exc)}, status=409)
            return redirect(_after_joining(user))
        return render(request, "clinics/invitation_join.html", context)
    if access.account_exists(invitation.email):
        context["login"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "clinics/invitation_sign_in.html", context)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.accept_invitation(
                token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except actions.ClinicError as exc:
            if exc.field == "token":
                return render(request, "clinics/invitation_closed.html", {"message": str(exc)}, status=410)
            _refused(form, exc)
        else:
            perform_login(request, new, email_verification="none", redirect_url=_after_joining(new))
            # The password was typed just now: setting up two-factor sign-in need not ask for it again.
            record_authentication(request, new, method="password", email=new.email, reauthenticated=True)
            return redirect(_after_joining(new))
    context["form"] = form
    return render(request, "clinics/invitation_accept.html", context, status=_status(form))


def _after_joining(user: User) -> str:
    if not has_authenticator_app(user):
        return reverse("mfa_activate_totp")
    return reverse("bb-clinic" if user.role == Role.OPERATOR else "bb-clinician-profile")


# --- The clinician's profile and diary ----------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    clinician = _user(request)
    current = access.profile_of(clinician)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(current))
    if request.method == "POST":
        saved = _saved(
            request,
            form,
            lambda: actions.save_profile(clinician, form.values()),
            "Saved your profile.",
            "bb-clinician-profile",
        )
        if saved is not None:
            return saved
    return render(request, "clinics/profile.html", {"form": form}, status=_status(form))


def _availability_page(
    request: HttpRequest,
    clinician: User,
    *,
    form: DiaryForm | None = None,
    time_off_form: TimeOffForm | None = None,
) -> HttpResponse:
    current = access.profile_of(clinician)
    hours = access.weekly_hours_of(clinician)
    context = {
        "form": form or DiaryForm(initial=DiaryForm.initial_for(current), hours=hours),
        "time_off_form": time_off_form or TimeOffForm(),
        "time_off": access.time_off_of(clinician),
        "profile": current,
    }
    return render(request, "clinics/availability.html", context, status=_status(form, time_off_form))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest) -> HttpResponse:
    clinician = _user(request)
    access.profile_of(clinician)
    if request.method != "POST":
        return _availability_page(request, clinician)
    form = DiaryForm(request.POST, hours=access.weekly_hours_of(clinician))
    saved = _saved(
        request,
        form,
        lambda: actions.save_diary(clinician, form.values(), form.week()),
        "Saved your weekly hours and booking settings.",
        "bb-clinician-availability",
    )
    if saved is not None:
        return saved
    return _availability_page(request, clinician, form=form)


@never_cache
@login_required
@require_POST
def add_time_off(request: HttpRequest) -> HttpResponse:
    clinician = _user(request)
    access.profile_of(clinician)
    form = TimeOffForm(request.POST)
    saved = _saved(
        request,
        form,
        lambda: actions.add_time_off(
            clinician, form.cleaned_data["first_day"], form.cleaned_data["last_day"]
        ),
        "Added your time off.",
        "bb-clinician-availability",
    )
    if saved is not None:
        return saved
    return _availability_page(request, clinician, time_off_form=form)


@never_cache
@login_required
@require_POST
def remove_time_off(request: HttpRequest, public_id: str) -> HttpResponse:
    clinician = _user(request)
    actions.remove_time_off(clinician, access.get_time_off(clinician, public_id))
    messages.success(request, "Removed that time off.")
    return redirect("bb-clinician-availability")


# --- A member's region ----------------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def region(request: HttpRequest) -> HttpResponse:
    member = _user(request)
    access.members_only(member)
    initial = {"country": member.country, "region": member.region}
    form = RegionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = _saved(
            request,
            form,
            lambda: actions.choose_region(member, form.cleaned_data["country"], form.cleaned_data["region"]),
            "Saved where you live.",
            "bb-region",
        )
        if saved is not None:
            return saved
    return render(request, "clinics/region.html", {"form": form}, status=_status(form))

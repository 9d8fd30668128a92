"""Your data: download everything (JSON, CSV, FHIR) and delete the account. Thin: read the form, call the
access function or the action, answer. Signed-in people only, each for their own account."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bounceback.accounts.models import User
from bounceback.clinics.access import clinic_of_admin

from .access import export_for
from .actions import delete_account
from .clinic_audit import ExportError, Request, export_for_admin
from .export import FORMATS
from .forms import AuditExportForm, DeleteAccountForm
from .registry import tables

DELETED = "bb_account_deleted"
"""Set in the fresh session after a deletion, so the confirmation page shows to the browser that deleted."""


def _person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


@login_required
@require_GET
def data(request: HttpRequest) -> HttpResponse:
    return render(request, "datarights/data.html", {"tables": [t.name for t in tables()]})


@login_required
@require_POST
def download(request: HttpRequest) -> HttpResponse:
    """The file itself: the format comes in the form body, and the address says nothing about its contents."""
    fmt = request.POST.get("format", "")
    if fmt not in FORMATS:
        return HttpResponseBadRequest("Choose JSON, CSV or FHIR.")
    file = export_for(_person(request), fmt)
    response = HttpResponse(file.body, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)  # Cache-Control: no-store (also set for every signed-in page)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        delete_account(user, actor=user)
        # Signed out: the account's sessions are gone already (this one too); start a fresh, empty one.
        request.session.flush()
        request.user = AnonymousUser()
        request.session[DELETED] = True
        return redirect("bb-account-deleted")
    return render(request, "datarights/delete.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    if not request.session.get(DELETED) or request.user.is_authenticated:
        return redirect("bb-home")
    return render(request, "datarights/deleted.html")


@login_required
@require_http_methods(["GET", "POST"])
def clinic_audit(request: HttpRequest) -> HttpResponse:
    """A clinic administrator downloads the audit trail of one of the clinic's members, or of a period. The
    member's address travels in the form body, never in an address."""
    admin = _person(request)
    clinic = clinic_of_admin(admin)  # 404 for anyone but an active administrator
    form = AuditExportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wanted = Request(
            member=form.cleaned_data["member"],
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
            fmt=form.cleaned_data["fmt"],
        )
        try:
            body, _count = export_for_admin(admin, clinic, wanted)
        except ExportError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            response = HttpResponse(
                body, content_type="text/csv" if wanted.fmt == "csv" else "application/json"
            )
            response["Content-Disposition"] = f'attachment; filename="audit.{wanted.fmt}"'
            response["X-Content-Type-Options"] = "nosniff"
            add_never_cache_headers(response)
            return response
    status = 400 if form.errors else 200
    return render(request, "datarights/clinic_audit.html", {"form": form, "clinic": clinic}, status=status)

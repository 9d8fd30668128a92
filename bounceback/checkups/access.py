"""The one place a check-up is looked up for a request. Missing and forbidden are the same 404 (hazard H13)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest

from bounceback.audit.record import record

from .actions import visitor_key
from .models import CheckUp

SESSION_KEY = "visitor_checkups"
"""The session maps a visitor's check-up public ids to the secrets that prove them."""


def visitor_secrets(request: HttpRequest) -> dict[str, str]:
    stored = request.session.get(SESSION_KEY, {})
    return dict(stored) if isinstance(stored, dict) else {}


def remember_visitor_checkup(request: HttpRequest, checkup: CheckUp, secret: str) -> None:
    request.session[SESSION_KEY] = {**visitor_secrets(request), str(checkup.public_id): secret}


def forget_visitor_checkups(request: HttpRequest, public_ids: list[str]) -> None:
    kept = {k: v for k, v in visitor_secrets(request).items() if k not in public_ids}
    request.session[SESSION_KEY] = kept


def get_checkup_for_request(request: HttpRequest, public_id: str | uuid.UUID, *, audit: str = "") -> CheckUp:
    """The check-up if this request may see it: its owner, or the visitor whose session holds its secret."""
    checkup = CheckUp.objects.filter(public_id=public_id).select_related("owner").first()
    if checkup is None:
        raise Http404("No such check-up")
    if not _may_see(request, checkup):
        raise Http404("No such check-up")
    if audit:
        record(request.user, audit, "checkup", str(checkup.public_id))
    return checkup


def _may_see(request: HttpRequest, checkup: CheckUp) -> bool:
    if checkup.owner_id is not None:
        return bool(request.user.is_authenticated and checkup.owner_id == request.user.pk)
    secret = visitor_secrets(request).get(str(checkup.public_id))
    if not secret or not checkup.visitor_key:
        return False
    return visitor_key(secret) == checkup.visitor_key


def visitor_checkups(request: HttpRequest) -> list[CheckUp]:
    """Check-ups this browser started without an account and that no account holds yet, newest first."""
    ids = list(visitor_secrets(request))
    candidates = CheckUp.objects.filter(public_id__in=ids, owner__isnull=True).order_by("-updated_at")
    return [c for c in candidates if _may_see(request, c)]


def current_checkup(request: HttpRequest) -> CheckUp | None:
    """The check-up this person was last working on and has not finished, if any."""
    if request.user.is_authenticated:
        return (
            CheckUp.objects.filter(owner=request.user, completed_at__isnull=True)
            .order_by("-updated_at")
            .first()
        )
    return next((c for c in visitor_checkups(request) if c.completed_at is None), None)

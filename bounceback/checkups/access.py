"""The one place a person's check-ups are looked up. Missing and forbidden are the same 404 (hazard H13).

The access functions take the user (and, for a visitor, the secrets their browser holds) rather than a web
request, so the web views, the API, background workers and the CLI share them. The ``*_for_request`` helpers
are thin wrappers that read those from the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.http import Http404, HttpRequest

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.instruments import ACUTE_FLAG
from bounceback.safety.models import SafetyEvent

from .actions import visitor_key
from .change import Earlier
from .models import CheckUp, StoredResult, StoredResultQuerySet

Person = AbstractBaseUser | AnonymousUser | None
SESSION_KEY = "visitor_checkups"
"""The session maps a visitor's check-up public ids to the secrets that prove them."""


def may_see(user: Person, checkup: CheckUp, secrets: Mapping[str, str] = {}) -> bool:
    """Its owner, or (for a check-up no account holds) the visitor who holds its secret."""
    if checkup.owner_id is not None:
        return bool(user is not None and user.is_authenticated and checkup.owner_id == user.pk)
    secret = secrets.get(str(checkup.public_id))
    if not secret or not checkup.visitor_key:
        return False
    return visitor_key(secret) == checkup.visitor_key


DENIED = "access.denied"
"""The audit verb for a look-up refused: a check-up that is missing or not this person's."""


def well_formed_id(public_id: str | uuid.UUID) -> uuid.UUID | None:
    """The id as a UUID, or None when it is not one (checked on a bounded length before parsing)."""
    if isinstance(public_id, uuid.UUID):
        return public_id
    text = str(public_id)
    if len(text) > 45:  # a UUID in any form uuid.UUID accepts ("urn:uuid:…", braces) is 45 characters at most
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def get_checkup(
    user: Person, public_id: str | uuid.UUID, *, secrets: Mapping[str, str] = {}, audit: str = ""
) -> CheckUp:
    """The check-up if this person may see it, else ``Http404`` (the same for missing and forbidden).

    Every refusal, for a read or a write, is audited (``access.denied``): who asked, and the id they asked for
    when it is a well-formed UUID (in its canonical form, so nothing the requester typed is stored as typed).
    The entry is the same for missing and forbidden, and the person asking sees nothing of it. A caller that
    wraps this in a transaction rolled back by the 404 would lose the entry: look up first, then write.
    """
    wanted = well_formed_id(public_id)
    checkup = None
    if wanted is not None:
        checkup = CheckUp.objects.filter(public_id=wanted).select_related("owner").first()
    if checkup is None or not may_see(user, checkup, secrets):
        record(user, DENIED, "checkup", str(wanted) if wanted is not None else "")
        raise Http404("No such check-up")
    if audit:
        record(user, audit, "checkup", str(checkup.public_id))
    return checkup


def checkups_of(user: User, *, audit: str = "") -> list[CheckUp]:
    """A member's own check-ups, newest first, with their stored results and safety events (constant queries)."""
    if audit:
        record(user, audit, "user", str(user.public_id))
    return list(
        CheckUp.objects.filter(owner=user)
        .prefetch_related(
            Prefetch("results", queryset=StoredResult.objects.order_by("id")), "safety_events", "answers"
        )
        .order_by("-started_at")
    )


def completed_checkups_of(user: User) -> list[CheckUp]:
    """A member's completed check-ups, oldest first, with their raw answers (exports)."""
    return list(
        CheckUp.objects.filter(owner=user, completed_at__isnull=False)
        .prefetch_related("answers")
        .order_by("completed_at")
    )


def results_of(user: User) -> StoredResultQuerySet:
    """A member's stored results, for charts and exports (further narrowed in SQL by the caller)."""
    return StoredResult.objects.of_owner(user.pk)


EARLIER_CHECKUPS = 12
"""How many earlier check-ups the results page looks through for each questionnaire's previous result."""


def earlier_results(user: Person, checkup: CheckUp) -> list[Earlier]:
    """The member's complete stored results from their check-ups completed before this one (the latest
    ``EARLIER_CHECKUPS``), for the results page's "since last time" (one query). None for a check-up not yet
    complete, a visitor's, or one that is not this person's own."""
    owner = checkup.owner_id
    if owner is None or checkup.completed_at is None or user is None or not user.is_authenticated:
        return []
    if user.pk != owner:
        return []
    before = (
        CheckUp.objects.filter(owner_id=owner, completed_at__lt=checkup.completed_at)
        .order_by("-completed_at")
        .values("pk")[:EARLIER_CHECKUPS]
    )
    rows = StoredResult.objects.of_owner(owner).scored().filter(checkup__in=before).order_by("-completed_at")
    return [Earlier(row.completed_at, row.as_result()) for row in rows]


def unclaimed_checkups(secrets: Mapping[str, str]) -> list[CheckUp]:
    """Check-ups these visitor secrets prove and that no account holds yet, newest first."""
    candidates = CheckUp.objects.filter(public_id__in=list(secrets), owner__isnull=True).order_by(
        "-updated_at"
    )
    return [c for c in candidates if may_see(None, c, secrets)]


def unfinished_checkup(user: Person, secrets: Mapping[str, str] = {}) -> CheckUp | None:
    """The check-up this person was last working on and has not finished, if any."""
    if user is not None and user.is_authenticated:
        return (
            CheckUp.objects.filter(owner_id=user.pk, completed_at__isnull=True)
            .order_by("-updated_at")
            .first()
        )
    return next((c for c in unclaimed_checkups(secrets) if c.completed_at is None), None)


# --- Thin wrappers for web requests -----------------------------------------------------------------------


def visitor_secrets(request: HttpRequest) -> dict[str, str]:
    stored = request.session.get(SESSION_KEY, {})
    return dict(stored) if isinstance(stored, dict) else {}


def remember_visitor_checkup(request: HttpRequest, checkup: CheckUp, secret: str) -> None:
    request.session[SESSION_KEY] = {**visitor_secrets(request), str(checkup.public_id): secret}


def forget_visitor_checkups(request: HttpRequest, public_ids: list[str]) -> None:
    kept = {k: v for k, v in visitor_secrets(request).items() if k not in public_ids}
    request.session[SESSION_KEY] = kept


def get_checkup_for_request(request: HttpRequest, public_id: str | uuid.UUID, *, audit: str = "") -> CheckUp:
    return get_checkup(request.user, public_id, secrets=visitor_secrets(request), audit=audit)


def visitor_checkups(request: HttpRequest) -> list[CheckUp]:
    return unclaimed_checkups(visitor_secrets(request))


def current_checkup(request: HttpRequest) -> CheckUp | None:
    return unfinished_checkup(request.user, visitor_secrets(request))


def acute_since(user: Person, secrets: Mapping[str, str], since: datetime) -> bool:
    """Whether this person answered "yes" to the ASQ's "right now" question since then, in any check-up of
    theirs (a member's own, or one this browser's secrets prove). One query; none for a visitor with none."""
    acute = SafetyEvent.objects.filter(kind=ACUTE_FLAG, created_at__gte=since)
    if user is not None and user.is_authenticated:
        return acute.filter(checkup__owner_id=user.pk).exists()
    if not secrets:
        return False
    keys = [visitor_key(secret) for secret in secrets.values()]
    return acute.filter(
        checkup__public_id__in=list(secrets), checkup__owner__isnull=True, checkup__visitor_key__in=keys
    ).exists()

"""After-visit summary and clinician notes: access and actions.

The clinician of a visit writes, once the visit has started, a summary for the member and their own notes,
both encrypted at rest. Publishing the summary lets the member read it (and tells them, with fixed words, that
a summary is ready); sharing the notes lets the member read those too, until the clinician stops sharing them.
Nobody else reads either: another clinician, an administrator, anyone without an account get the same 404 as
for a visit that does not exist (hazard H13). Each write is one transaction with its audit entry (ids only).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.care.access import is_active_clinician
from bounceback.reminders.notices import Notice, notify, register

from .models import Appointment, Status, VisitNote

NOT_FOUND = "Not found"
SUMMARY_MAX = 5000
NOTES_MAX = 10000

SUMMARY_READY = Notice(
    kind="visit.summary",
    subject="A visit summary is ready",
    body="A visit summary is ready on Bounceback. Sign in to read it.",
    path="/visits/",
)

_UNSAVEABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class NoteError(ValueError):
    """A note that cannot be saved, naming the field (``summary``, ``notes``, ``visit``)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def clean(raw: str, field: str, noun: str, limit: int) -> str:
    """Free text as stored (may be empty): lines kept, at most one blank line in a row, ends trimmed."""
    if len(raw) > 2 * limit:
        raise NoteError(field, f"Please keep the {noun} to {limit:,} characters (this has {len(raw):,}).")
    if _UNSAVEABLE.search(raw):
        raise NoteError(
            field,
            f"The {noun} contains a control character (such as a NUL byte) that cannot be saved; please retype it.",
        )
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    if len(text) > limit:
        raise NoteError(field, f"Please keep the {noun} to {limit:,} characters (this has {len(text):,}).")
    return text


# --- Access ----------------------------------------------------------------------------------------------


def _uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def appointments_of_participant(user: User) -> QuerySet[Appointment]:
    """The appointments this person takes part in (as the member or the clinician); nobody else's."""
    if not user.is_authenticated:
        return Appointment.objects.none()
    return Appointment.objects.filter(Q(member_id=user.pk) | Q(clinician_id=user.pk))


def _find(user: User, public_id: str | uuid.UUID) -> Appointment | None:
    wanted = _uuid(public_id)
    if wanted is None:
        return None
    return (
        appointments_of_participant(user)
        .select_related("relationship", "member", "clinician__clinician_profile")
        .filter(public_id=wanted, status=Status.BOOKED)
        .first()
    )


def visit_for_clinician(clinician: User, public_id: str | uuid.UUID) -> Appointment:
    """A booked visit of this active clinician, in an active relationship; else 404."""
    found = _find(clinician, public_id)
    if (
        found is None
        or found.clinician_id != clinician.pk
        or found.relationship.ended_at is not None
        or not is_active_clinician(clinician)
    ):
        raise Http404(NOT_FOUND)
    return found


def visit_for_member(member: User, public_id: str | uuid.UUID) -> Appointment:
    """A booked visit of this member (after their care ended too); else 404."""
    found = _find(member, public_id)
    if found is None or found.member_id != member.pk:
        raise Http404(NOT_FOUND)
    return found


def note_of(visit: Appointment) -> VisitNote | None:
    return VisitNote.objects.filter(appointment_id=visit.pk).first()


@dataclass(frozen=True)
class MemberView:
    """What the member may read of a visit's note: the published summary, and the notes once shared."""

    summary: str
    published_at: datetime | None
    notes: str
    shared_at: datetime | None


def read_for_member(member: User, visit: Appointment) -> MemberView:
    if visit.member_id != member.pk:
        raise Http404(NOT_FOUND)
    note = note_of(visit)
    if note is None:
        return MemberView("", None, "", None)
    published = note.summary_published_at is not None
    shared = note.notes_shared_at is not None
    view = MemberView(
        summary=note.summary if published else "",
        published_at=note.summary_published_at,
        notes=note.notes if shared else "",
        shared_at=note.notes_shared_at,
    )
    record(member, "visit.note.read", "appointment", str(visit.public_id))
    return view


def has_started(visit: Appointment, now: datetime | None = None) -> bool:
    return visit.starts_at <= (now or timezone.now())


# --- Actions ---------------------------------------------------------------------------------------------


@transaction.atomic
def save_note(
    clinician: User,
    visit: Appointment,
    *,
    summary: str,
    notes: str,
    publish: bool = False,
    share: bool | None = None,
    now: datetime | None = None,
) -> VisitNote:
    """Save the summary and notes as written; then publish the summary (once: the member is told), and share
    or stop sharing the notes. A published summary can be corrected but not emptied."""
    now = now or timezone.now()
    current = Appointment.objects.select_related("relationship").filter(pk=visit.pk).first()
    if (
        current is None
        or current.clinician_id != clinician.pk
        or current.status != Status.BOOKED
        or current.relationship.ended_at is not None
        or not is_active_clinician(clinician)
    ):
        raise NoteError("visit", "No such visit.")
    if not has_started(current, now):
        raise NoteError("visit", "You can write the summary and notes once the visit has started.")
    summary = clean(summary, "summary", "summary", SUMMARY_MAX)
    notes = clean(notes, "notes", "notes", NOTES_MAX)
    try:
        with transaction.atomic():
            note, _ = VisitNote.objects.select_for_update().get_or_create(appointment=current)
    except IntegrityError:  # a second tab made it at the same moment
        note = VisitNote.objects.select_for_update().get(appointment=current)
    published = note.summary_published_at is not None
    if not summary and (publish or published):
        raise NoteError("summary", "Please write the summary before publishing it (a published one stays).")
    if not notes and share:
        raise NoteError("notes", "Please write the notes before sharing them.")
    if not notes and note.notes_shared_at is not None and share is not False:
        raise NoteError("notes", "Shared notes can't be emptied; stop sharing them first.")
    note.summary, note.notes = summary, notes
    if publish and not published:
        note.summary_published_at = now
    if share is True and note.notes_shared_at is None:
        note.notes_shared_at = now
    elif share is False:
        note.notes_shared_at = None
    note.save()
    ref = str(current.public_id)
    record(clinician, "visit.note.save", "appointment", ref)
    if publish and not published:
        record(clinician, "visit.summary.publish", "appointment", ref)
        notify(current.member, SUMMARY_READY.kind, ref)
    if share is True:
        record(clinician, "visit.notes.share", "appointment", ref)
    elif share is False:
        record(clinician, "visit.notes.unshare", "appointment", ref)
    return note


def _summary_still_there(ref: str, recipient: User) -> bool:
    wanted = _uuid(ref)
    if wanted is None:
        return False
    return VisitNote.objects.filter(
        appointment__public_id=wanted,
        appointment__member_id=recipient.pk,
        appointment__status=Status.BOOKED,
        summary_published_at__isnull=False,
    ).exists()


def register_notices() -> None:
    """Make the summary notice known (called from ``VisitsConfig.ready``; registering again is harmless)."""
    register(SUMMARY_READY, _summary_still_there)


register_notices()

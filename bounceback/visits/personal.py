"""What the visits app keeps about a member: their appointments (with the reason they gave) and what each visit
left that they may read (``bounceback/datarights/registry.py``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bounceback.accounts.models import User

from .models import Appointment, VisitNote

APPOINTMENT_COLUMNS = (
    "public_id",
    "starts_at",
    "ends_at",
    "status",
    "reason",
    "booked_at",
    "cancelled_at",
    "cancelled_by",
)
NOTE_COLUMNS = ("appointment", "summary", "summary_published_at", "notes", "notes_shared_at")


def _appointments(user: User) -> Iterable[dict[str, object]]:
    # Model instances, not .values(): the reason is decrypted by its field.
    for visit in Appointment.objects.filter(member_id=user.pk).order_by("starts_at"):
        yield {column: getattr(visit, column) for column in APPOINTMENT_COLUMNS}


def _notes(user: User) -> Iterable[dict[str, object]]:
    """The summary once published and the clinician's notes once shared: what the member may read."""
    notes = VisitNote.objects.filter(appointment__member_id=user.pk).select_related("appointment")
    for note in notes.order_by("appointment__starts_at"):
        yield {
            "appointment": note.appointment.public_id,
            "summary": note.summary if note.summary_published_at else "",
            "summary_published_at": note.summary_published_at,
            "notes": note.notes if note.notes_shared_at else "",
            "notes_shared_at": note.notes_shared_at,
        }


TABLES = (
    ("appointments", Appointment, APPOINTMENT_COLUMNS, _appointments),
    ("visit_notes", VisitNote, NOTE_COLUMNS, _notes),
)

ERASED = (Appointment, VisitNote)


def erase(user: User) -> dict[str, int]:
    deleted: Counter[str] = Counter()
    deleted.update(Appointment.objects.filter(member_id=user.pk).delete()[1])
    return dict(deleted)

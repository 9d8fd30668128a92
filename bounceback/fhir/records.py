"""A member's stored check-ups as FHIR input: the one place the FHIR export reads the database."""

from __future__ import annotations

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.checkups.access import completed_checkups_of

from .export import Completed


def subject_reference(user: User) -> str:
    """An opaque reference: the member's public id, never their email or database id."""
    return f"Patient/{user.public_id}"


def completed_for(user: User) -> list[Completed]:
    """Every instrument of every completed check-up, oldest first, recomputed from the raw answers."""
    results = []
    for checkup in completed_checkups_of(user):
        assert checkup.completed_at is not None
        for instrument_id, subset in checkup.battery.administered(
            checkup.answer_map(), checkup.declined
        ).items():
            given = {item: value for item, value in subset.items() if value is not None}
            if given:
                results.append(Completed(instrument_id, given, checkup.completed_at))
    record(None, "fhir.export", "user", str(user.public_id))
    return results

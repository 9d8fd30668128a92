"""A member's stored check-ups and check-ins as FHIR input: the one place the FHIR export reads the database."""

from __future__ import annotations

from datetime import datetime

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.checkups.access import checkups_of, completed_checkups_of
from bounceback.checkups.models import CheckUp
from bounceback.tracking.access import checkins_of
from bounceback.tracking.actions import keeps_checkins

from .export import JSON, Completed, bundle, checkin_observation


def subject_reference(user: User) -> str:
    """An opaque reference: the member's public id, never their email or database id."""
    return f"Patient/{user.public_id}"


def _administered(checkup: CheckUp) -> dict[str, dict[str, int]]:
    """The answers given to each instrument the check-up administered (instruments with none left out)."""
    subsets = checkup.battery.administered(checkup.answer_map(), checkup.declined)
    given = {
        instrument_id: {item: value for item, value in subset.items() if value is not None}
        for instrument_id, subset in subsets.items()
    }
    return {instrument_id: answers for instrument_id, answers in given.items() if answers}


def completed_for(user: User) -> list[Completed]:
    """Every instrument of every completed check-up, oldest first, recomputed from the raw answers."""
    results = []
    for checkup in completed_checkups_of(user):
        assert checkup.completed_at is not None
        for instrument_id, given in _administered(checkup).items():
            results.append(Completed(instrument_id, given, checkup.completed_at))
    record(None, "fhir.export", "user", str(user.public_id))
    return results


def responses_for(user: User) -> list[Completed]:
    """Every instrument of every check-up the member has, finished or not, oldest first, each naming its
    check-up: a finished one is authored when it completed, one in progress when it last changed."""
    results = []
    for checkup in sorted(checkups_of(user), key=lambda c: (c.started_at, c.pk)):
        authored = checkup.completed_at or checkup.updated_at
        for instrument_id, given in _administered(checkup).items():
            results.append(
                Completed(
                    instrument_id,
                    given,
                    authored,
                    in_progress=checkup.completed_at is None,
                    source=str(checkup.public_id),
                )
            )
    return results


def checkin_observations_for(user: User) -> list[JSON]:
    """Every daily check-in of the member as an Observation, oldest first (the journal note decrypted)."""
    if not keeps_checkins(user):
        return []
    subject = subject_reference(user)
    return [
        checkin_observation(str(c.public_id), c.day, c.answers(), subject, c.updated_at)
        for c in checkins_of(user).order_by("day")
    ]


def member_bundle(user: User, timestamp: datetime) -> JSON:
    """Everything FHIR has a place for, of one member: each check-up's responses (and the totals of the
    finished ones) and each daily check-in. Not audited here: the caller (the member's download) audits."""
    return bundle(
        responses_for(user), subject_reference(user), timestamp, others=checkin_observations_for(user)
    )

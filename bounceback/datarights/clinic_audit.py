"""A clinic administrator's export of the audit trail (issue 11): one member of the clinic's entries, or a
period's entries by the clinic's staff, as CSV or JSON. Ids and fixed verbs only, as the trail holds.

Scope: a member counts as the clinic's when they have (or had) a care relationship with it; their export holds
what they did, what was done about their account (clinicians' reads of what they shared, failed sign-ins) and
what was done to their care at this clinic (relationships, shares, visits, message threads, safety alerts). A
period's export holds what the clinic's staff did. Nothing about another clinic's members."""

from __future__ import annotations

import contextlib
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from bounceback.accounts.models import User
from bounceback.alerts.models import Alert
from bounceback.audit import export
from bounceback.audit.record import record
from bounceback.care.models import CareRelationship, Share
from bounceback.clinics.models import Clinic, Staff
from bounceback.messaging.models import Thread
from bounceback.visits.models import Appointment


class ExportError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Request:
    member: str
    """An email address or a public id; empty for a period's export."""
    since: date | None
    until: date | None
    fmt: str


def member_of_clinic(clinic: Clinic, who: str) -> User | None:
    """The member with this address or public id who is (or was) in care at the clinic; None otherwise (the
    same answer for no such account and for another clinic's member)."""
    who = who.strip()
    found = Q(email__iexact=who)
    with contextlib.suppress(ValueError):
        found |= Q(public_id=uuid.UUID(who))
    in_care = CareRelationship.objects.filter(clinic=clinic).values("member_id")
    return User.objects.filter(found, pk__in=in_care).first()


def _things(clinic: Clinic, member: User) -> list[tuple[str, str]]:
    relationships = CareRelationship.objects.filter(clinic=clinic, member=member)
    things = [("care", str(r)) for r in relationships.values_list("public_id", flat=True)]
    things += [
        ("share", str(s))
        for s in Share.objects.filter(relationship__in=relationships).values_list("public_id", flat=True)
    ]
    things += [
        ("appointment", str(a))
        for a in Appointment.objects.filter(relationship__in=relationships).values_list(
            "public_id", flat=True
        )
    ]
    things += [
        ("thread", str(t))
        for t in Thread.objects.filter(relationship__in=relationships).values_list("public_id", flat=True)
    ]
    things += [
        ("alert", str(a))
        for a in Alert.objects.filter(clinic=clinic, member=member).values_list("public_id", flat=True)
    ]
    return things


def _bounds(admin: User, wanted: Request) -> tuple[datetime | None, datetime | None]:
    zone = ZoneInfo(admin.time_zone or "UTC")
    if wanted.since and wanted.until and wanted.until < wanted.since:
        raise ExportError("until", "The last day must be on or after the first day.")
    since = datetime.combine(wanted.since, time(0), tzinfo=zone) if wanted.since else None
    until = datetime.combine(wanted.until + timedelta(days=1), time(0), tzinfo=zone) if wanted.until else None
    return since, until


def export_for_admin(admin: User, clinic: Clinic, wanted: Request) -> tuple[str, int]:
    """The export's text and its number of entries; audited as ``audit.export`` (by the clinic's id)."""
    if wanted.fmt not in export.FORMATS:
        raise ExportError("fmt", "Choose CSV or JSON.")
    since, until = _bounds(admin, wanted)
    if wanted.member.strip():
        member = member_of_clinic(clinic, wanted.member)
        if member is None:
            raise ExportError("member", "No member of this clinic has that email address or id.")
        rows = export.entries(
            member_pk=member.pk,
            member_public_id=str(member.public_id),
            also=_things(clinic, member),
            since=since,
            until=until,
        )
    else:
        if since is None and until is None:
            raise ExportError("since", "Give a member, or the first and last day of a period.")
        staff = [
            str(p) for p in Staff.objects.filter(clinic=clinic).values_list("user__public_id", flat=True)
        ]
        rows = (row for row in export.entries(since=since, until=until) if row["actor_public_id"] in staff)
    out = io.StringIO()
    count = export.write(rows, wanted.fmt, out)
    record(admin, "audit.export", "clinic", str(clinic.public_id))
    return out.getvalue(), count

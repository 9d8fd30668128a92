"""The dashboard's reads. A clinician's caseload goes through ``care.access.shared_for_clinician``, which checks
on this request what each member shares now and records each read for the member's access log; results are read
only for members who share results now. The caseload reads nothing else of a member's data: their check-ins and
safety plan stay on the member's own page (``/clinician/members/<member>/``), read there when shared. A constant
number of queries whatever the caseload or the histories: each read below is one query for all the members.

A clinic's outcomes are aggregates for its administrators: no member's name or result leaves this module.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Min, Window
from django.db.models.functions import FirstValue, RowNumber
from django.http import Http404
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.alerts.access import clinic_administered_by, visible_to
from bounceback.audit.record import record
from bounceback.care.access import (
    NOT_FOUND,
    PROFILE,
    InCare,
    is_active_clinician,
    member_for_clinician,
    member_name,
    members_sharing_with_clinic,
    shared_for_clinician,
)
from bounceback.care.models import CareRelationship, Kind
from bounceback.checkups.models import CheckUp, StoredResult
from bounceback.clinics.models import Clinic
from bounceback.reminders.assigned import Extra, standing
from bounceback.reminders.rules import State
from bounceback.visits.models import Appointment, Status

from . import outcomes
from .caseload import MEASURES, TREND_POINTS, Facts, OpenAlert, Score
from .models import Assignment

RECENT = timedelta(weeks=16)
"""How far back the caseload's trend lines look (at most ``TREND_POINTS`` results each): longer than any
assignable interval, so an assigned measure with no result in it is overdue whatever came before."""


def clinicians_only(user: User) -> User:
    if not is_active_clinician(user):
        raise Http404(NOT_FOUND)
    return user


@dataclass(frozen=True)
class Member:
    """One row's facts and what the page shows beside the ranking."""

    in_care: InCare
    facts: Facts
    assigned: list[Assignment]


def _recent_results(member_ids: list[int], now: datetime) -> dict[int, dict[str, list[Score]]]:
    """Each member's complete results of each measure in the last ``RECENT`` (at most ``TREND_POINTS``, the
    latest), oldest first. Two queries: the members' recent check-ups, then their results by check-up (an index
    look-up whatever the histories' length)."""
    found: dict[int, dict[str, list[Score]]] = {m: {} for m in member_ids}
    if not member_ids:
        return found
    checkups = {
        pk: (owner, at)
        for pk, owner, at in CheckUp.objects.filter(
            owner_id__in=member_ids, completed_at__gte=now - RECENT
        ).values_list("pk", "owner_id", "completed_at")
    }
    if not checkups:
        return found
    rows = (
        StoredResult.objects.scored()
        .filter(checkup_id__in=list(checkups), instrument_id__in=MEASURES, total__isnull=False)
        .values_list("checkup_id", "instrument_id", "total", "band")
    )
    for checkup_id, instrument, total, band in rows:
        owner, at = checkups[checkup_id]  # a result's time is its check-up's completion
        if total is not None and at is not None:  # (complete results have one)
            found[owner].setdefault(instrument, []).append(Score(at, float(total), band))
    for scores in found.values():
        for instrument, series in scores.items():
            series.sort(key=lambda s: s.at)
            scores[instrument] = series[-TREND_POINTS:]
    return found


def _overdue(
    member: User, assigned: list[Assignment], scores: dict[str, list[Score]], now: datetime
) -> tuple[str, ...]:
    last = {i: series[-1].at for i, series in scores.items() if series}
    late: list[str] = []
    for a in assigned:
        extra = Extra((a.instrument,), a.every_days, a.created_at, "")
        if any(d.state is State.OVERDUE for d in standing(extra, last, member.time_zone or "UTC", now)):
            late.append(a.instrument)
    return tuple(i for i in MEASURES if i in late)


def caseload_of(clinician: User, now: datetime | None = None) -> list[Member]:
    """The members in this clinician's care with what each shares now, read and logged for each member."""
    now = now or timezone.now()
    clinicians_only(clinician)
    in_care = shared_for_clinician(clinician, [Kind.RESULTS], now)
    ids = [row.member.pk for row in in_care]
    with_results = [row.member.pk for row in in_care if Kind.RESULTS in row.kinds]
    alerts: dict[int, list[OpenAlert]] = {}
    if ids:
        for member_id, kind, raised_at in (
            visible_to(clinician)
            .filter(acknowledged_at__isnull=True)
            .filter(member_id__in=ids)
            .values_list("member_id", "kind", "raised_at")
        ):
            alerts.setdefault(member_id, []).append(OpenAlert(kind, raised_at))
    results = _recent_results(with_results, now)
    visits: dict[int, datetime] = {}
    if ids:
        visits = dict(
            Appointment.objects.filter(
                clinician_id=clinician.pk, member_id__in=ids, status=Status.BOOKED, starts_at__gte=now
            )
            .values("member_id")
            .annotate(first=Min("starts_at"))
            .values_list("member_id", "first")
        )
    assigned: dict[int, list[Assignment]] = {}
    relationship_ids = [row.relationship.pk for row in in_care]
    if relationship_ids:
        for a in (
            Assignment.objects.current().filter(relationship_id__in=relationship_ids).order_by("instrument")
        ):
            assigned.setdefault(a.member_id, []).append(a)
    found = []
    for row in in_care:
        member = row.member
        scores = results.get(member.pk)
        mine = assigned.get(member.pk, [])
        facts = Facts(
            key=str(member.public_id),
            name=member_name(member),
            alerts=tuple(alerts.get(member.pk, ())),
            results=scores,
            overdue=_overdue(member, mine, scores, now) if scores is not None else (),
            next_visit=visits.get(member.pk),
            shared=frozenset(row.kinds),
        )
        found.append(Member(row, facts, mine))
    return found


# --- Assignments ----------------------------------------------------------------------------------------------


def member_to_assign(clinician: User, member_public_id: str | uuid.UUID) -> tuple[User, CareRelationship]:
    """A member in this clinician's active care (the fact of care is all that is read; logged as such)."""
    member = member_for_clinician(clinicians_only(clinician), member_public_id, PROFILE)
    relationship = CareRelationship.objects.active().get(member_id=member.pk, clinician_id=clinician.pk)
    return member, relationship


def assignments_of(relationship: CareRelationship) -> list[Assignment]:
    return list(Assignment.objects.current().filter(relationship_id=relationship.pk).order_by("instrument"))


def get_assignment(relationship: CareRelationship, public_id: str | uuid.UUID) -> Assignment:
    try:
        found = (
            Assignment.objects.current().filter(relationship_id=relationship.pk, public_id=public_id).first()
        )
    except (ValueError, TypeError, ValidationError):
        found = None
    if found is None:
        raise Http404(NOT_FOUND)
    return found


# --- A clinic's outcomes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClinicOutcomes:
    clinic: Clinic
    sharing: int
    """Members sharing results now with a clinician of the clinic (everyone the table can include)."""
    rows: list[outcomes.Outcome]


def outcomes_of_clinic(admin: User, now: datetime | None = None) -> ClinicOutcomes:
    """The clinic's outcomes per measure, for its administrators only (else 404), over the members who share
    results now; one audit entry naming the clinic."""
    clinic = clinic_administered_by(admin)
    sharing = members_sharing_with_clinic(clinic.pk, Kind.RESULTS, now or timezone.now())
    partition = [F("checkup__owner_id"), F("instrument_id")]
    rows = (
        StoredResult.objects.scored()
        .filter(
            checkup__owner_id__in=sharing,
            instrument_id__in=outcomes.MEASURES,
            total__isnull=False,
        )
        .annotate(
            latest=Window(RowNumber(), partition_by=partition, order_by=F("completed_at").desc()),
            first=Window(FirstValue("total"), partition_by=partition, order_by=F("completed_at").asc()),
            count=Window(Count("id"), partition_by=partition),
        )
        .filter(latest=1)
        .values_list("instrument_id", "first", "total", "count")
    )
    courses = [
        outcomes.Course(instrument, (float(first), float(last)) if count >= 2 else (float(last),))
        for instrument, first, last, count in rows
        if first is not None and last is not None
    ]
    record(admin, "dashboard.outcomes.read", "clinic", str(clinic.public_id))
    return ClinicOutcomes(clinic, sharing.count(), outcomes.outcomes(courses))

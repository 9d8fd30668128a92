"""The one place where care relationships are looked up, and where a clinician reads a member's data.

Every clinician read of a member's data asks ``member_for_clinician`` first: it checks, on that request, that the
clinician is active, that the relationship is active and that a live share covers what is read; it records the
read in the member's access log and the audit trail. Missing and forbidden are the same 404 (hazards H13, H15).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.audit.record import record, record_many
from bounceback.clinics.access import (
    is_active_clinician as is_active_clinician,
)  # the one check, re-exported for care's callers
from bounceback.progress.access import progress_of
from bounceback.progress.checkins import Day
from bounceback.progress.series import Record
from bounceback.safetyplan.access import shared_plan_of
from bounceback.safetyplan.models import SafetyPlanEntry
from bounceback.tracking.actions import local_today, zone_of

from .models import CareRelationship, ClinicianRead, Kind, Share

NOT_FOUND = "Not found"
PROFILE = "profile"
"""A read of the fact that the member is in the clinician's care (name, relationship), not of shared data."""
DENIED = "access.denied"
"""The audit verb for a clinician's look-up that was refused (missing, not theirs, or not shared now)."""
READS_PER_PAGE = 50

WHAT_IN_WORDS: dict[str, str] = {
    **{kind.value: str(kind.label) for kind in Kind},
    PROFILE: "That you are in their care",
}
"""How the member's access log names each read."""


def _uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    text = str(value)
    if len(text) > 45:  # longer than any form of a UUID: never parsed
        return None
    try:
        return uuid.UUID(text)
    except (ValueError, TypeError, ValidationError, AttributeError):
        return None


def active_relationship(member: User, clinician: User) -> CareRelationship | None:
    return CareRelationship.objects.active().filter(member_id=member.pk, clinician_id=clinician.pk).first()


def relationships_of_member(member: User) -> list[CareRelationship]:
    """The member's own relationships, active first, newest first."""
    if not member.is_authenticated:
        return []
    rows = CareRelationship.objects.filter(member_id=member.pk).select_related(
        "clinician", "clinician__clinician_profile", "clinic"
    )
    return sorted(rows, key=lambda r: (r.ended_at is not None, -r.agreed_at.timestamp()))


def relationships_of_clinician(clinician: User) -> list[CareRelationship]:
    """The active relationships of an active clinician (nobody else has any)."""
    if not is_active_clinician(clinician):
        return []
    return list(
        CareRelationship.objects.active()
        .filter(clinician_id=clinician.pk)
        .select_related("member")
        .order_by("agreed_at")
    )


def get_relationship_for_member(member: User, public_id: str | uuid.UUID) -> CareRelationship:
    wanted = _uuid(public_id)
    found = None
    if wanted is not None and member.is_authenticated:
        found = CareRelationship.objects.filter(public_id=wanted, member_id=member.pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def get_relationship_for_clinician(clinician: User, public_id: str | uuid.UUID) -> CareRelationship:
    """An active relationship of this active clinician, else 404."""
    wanted = _uuid(public_id)
    found = None
    if wanted is not None and is_active_clinician(clinician):
        found = CareRelationship.objects.active().filter(public_id=wanted, clinician_id=clinician.pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def is_participant(user: User, relationship: CareRelationship) -> bool:
    """The member, or the clinician while active: who may use the relationship's messages and visits."""
    if not user.is_authenticated:
        return False
    if user.pk == relationship.member_id:
        return True
    return user.pk == relationship.clinician_id and is_active_clinician(user)


def _live(now: datetime | None) -> QuerySet[Share]:
    """Shares live now that cover something (a share of nothing shows nothing and is not listed)."""
    return Share.objects.live(now).filter(Q(results=True) | Q(checkins=True) | Q(safety_plan=True))


def live_shares(relationship: CareRelationship, now: datetime | None = None) -> list[Share]:
    return list(_live(now).filter(relationship_id=relationship.pk).order_by("until"))


def shared_kinds(relationship: CareRelationship, now: datetime | None = None) -> set[str]:
    """What the clinician may read now: the union of the live shares' kinds."""
    kinds: set[str] = set()
    for share in live_shares(relationship, now):
        kinds.update(share.kinds())
    return kinds


def get_share_for_member(member: User, public_id: str | uuid.UUID) -> Share:
    wanted = _uuid(public_id)
    found = None
    if wanted is not None and member.is_authenticated:
        found = (
            Share.objects.select_related("relationship")
            .filter(public_id=wanted, relationship__member_id=member.pk)
            .first()
        )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def clinician_name(clinician: User) -> str:
    """The name a clinician goes by on Bounceback (their profile's), else their account's name or address."""
    profile = getattr(clinician, "clinician_profile", None)
    return profile.display_name if profile is not None else clinician.get_full_name() or clinician.email


def member_name(member: User) -> str:
    return member.get_full_name() or member.email


def _refuse(clinician: User, wanted: uuid.UUID | None) -> Http404:
    """The refusal: audited (who tried which id), and the same 404 as a missing member."""
    record(clinician, DENIED, "user", str(wanted) if wanted is not None else "")
    return Http404(NOT_FOUND)


def _record_read(clinician: User, member: User, what: str, now: datetime) -> None:
    ClinicianRead.objects.create(
        member=member, clinician=clinician, clinician_name=clinician_name(clinician), what=what, at=now
    )
    record(clinician, f"care.read.{what}", "user", str(member.public_id))


def _active_relationship_by_member(clinician: User, wanted: uuid.UUID | None) -> CareRelationship | None:
    if wanted is None or not is_active_clinician(clinician):
        return None
    return (
        CareRelationship.objects.active()
        .select_related("member")
        .filter(clinician_id=clinician.pk, member__public_id=wanted)
        .first()
    )


def member_for_clinician(
    clinician: User, member_public_id: str | uuid.UUID, what: str, now: datetime | None = None
) -> User:
    """The member, for a read of ``what`` (a ``Kind`` or ``PROFILE``) by this clinician, checked now; else 404.

    Records the read for the member's access log and in the audit trail (who, what, when; never content).
    """
    now = now or timezone.now()
    wanted = _uuid(member_public_id)
    relationship = _active_relationship_by_member(clinician, wanted)
    if relationship is None:
        raise _refuse(clinician, wanted)
    if what != PROFILE:
        if what not in Kind.values:
            raise _refuse(clinician, wanted)
        covered = Share.objects.live(now).filter(relationship_id=relationship.pk).filter(Q(**{what: True}))
        if not covered.exists():
            raise _refuse(clinician, wanted)
    member = relationship.member
    _record_read(clinician, member, what, now)
    return member


# --- What a clinician sees of the members in their care -----------------------------------------------------


def last_day(share: Share, member: User) -> date:
    """The last day a share covers, in the member's own zone (``until`` is the first instant after it)."""
    return (share.until.astimezone(zone_of(member)) - timedelta(microseconds=1)).date()


@dataclass(frozen=True)
class InCare:
    """One active relationship as its clinician's list shows it: who, since when, what is shared now."""

    relationship: CareRelationship
    member: User
    shares: list[Share]
    kinds: list[str]
    """What is shared now, in ``Kind`` order."""
    until: date | None
    """The last day (the member's) on which anything is shared, or None when nothing is."""


def _kinds(shares: list[Share]) -> list[str]:
    return [kind for kind in Kind.values if any(getattr(share, kind) for share in shares)]


def members_of_clinician(clinician: User, now: datetime | None = None) -> list[InCare]:
    """The members in this active clinician's care now, oldest relationship first, with what each shares now
    (two queries). Not a read of their data: a member's name comes with agreeing to care."""
    relationships = relationships_of_clinician(clinician)
    shares: dict[int, list[Share]] = {r.pk: [] for r in relationships}
    for share in _live(now).filter(relationship_id__in=shares).order_by("until"):
        shares[share.relationship_id].append(share)
    found = []
    for relationship in relationships:
        live = shares[relationship.pk]
        member = relationship.member
        found.append(
            InCare(
                relationship,
                member,
                live,
                _kinds(live),
                max((last_day(s, member) for s in live), default=None),
            )
        )
    return found


def shared_for_clinician(clinician: User, kinds: list[str], now: datetime | None = None) -> list[InCare]:
    """The members in this active clinician's care now with what each shares now (``members_of_clinician``),
    for a page that shows ``kinds`` of several members' data at once: each member's read of each of ``kinds``
    they share now is recorded for their access log and in the audit trail, in a constant number of queries
    whatever the caseload. The caller reads a member's data of a kind only when ``kind in row.kinds``."""
    now = now or timezone.now()
    found = members_of_clinician(clinician, now)
    reads = [
        (row.member, kind) for row in found for kind in Kind.values if kind in kinds and kind in row.kinds
    ]
    if reads:
        name = clinician_name(clinician)
        with transaction.atomic():  # one commit for the log and the audit entries
            ClinicianRead.objects.bulk_create(
                [
                    ClinicianRead(member=member, clinician=clinician, clinician_name=name, what=kind, at=now)
                    for member, kind in reads
                ]
            )
            for kind in Kind.values:
                ids = [str(member.public_id) for member, read in reads if read == kind]
                record_many(clinician, f"care.read.{kind}", "user", ids)
    return found


def members_sharing_with_clinic(
    clinic_id: int, kind: str, now: datetime | None = None
) -> QuerySet[Share, int]:
    """The ids of the members who share ``kind`` now with a clinician of this
    clinic, for the clinic's aggregates (never a read of one member's data; the caller shows counts only)."""
    if kind not in Kind.values:
        return Share.objects.none().values_list("relationship__member_id", flat=True)
    return (
        Share.objects.live(now)
        .filter(relationship__clinic_id=clinic_id, **{kind: True})
        .values_list("relationship__member_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class SharedData:
    """What a clinician may see of one member now, already read (and each read logged for the member)."""

    relationship: CareRelationship
    member: User
    shares: list[Share]
    kinds: list[str]
    """Everything shared now (``Kind`` order)."""
    shown: list[str]
    """What this page reads and shows (all of ``kinds``, or the one asked for)."""
    today: date
    """Today where the member lives."""
    records: list[Record] = field(default_factory=list)
    days: list[Day] = field(default_factory=list)
    plan: dict[str, list[SafetyPlanEntry]] | None = None


def shared_data_for_clinician(
    clinician: User, member_public_id: str | uuid.UUID, only: str = "", now: datetime | None = None
) -> SharedData:
    """What this member shares with this clinician now, read: everything shared (``only`` empty) or that one
    kind. 404 for an inactive clinician, no active relationship, nothing shared now, or ``only`` not shared now;
    the same 404 as a missing member. Each kind read is one ``ClinicianRead`` and one audit entry."""
    now = now or timezone.now()
    wanted = _uuid(member_public_id)
    relationship = _active_relationship_by_member(clinician, wanted)
    if relationship is None:
        raise _refuse(clinician, wanted)
    shares = live_shares(relationship, now)
    kinds = _kinds(shares)
    shown = [only] if only else kinds
    if not shown or not set(shown) <= set(kinds):
        raise _refuse(clinician, wanted)
    member = relationship.member
    for kind in shown:
        _record_read(clinician, member, kind, now)
    results, checkins = Kind.RESULTS in shown, Kind.CHECKINS in shown
    records: list[Record] = []
    days: list[Day] = []
    if results or checkins:
        records, days, _today = progress_of(member, results=results, checkins=checkins)
    plan = shared_plan_of(member) if Kind.SAFETY_PLAN in shown else None
    return SharedData(
        relationship, member, shares, kinds, shown, local_today(member, now), records, days, plan
    )


def reads_of(member: User, limit: int = 500) -> list[ClinicianRead]:
    """The member's access log, newest first."""
    if not member.is_authenticated:
        return []
    return list(ClinicianRead.objects.filter(member_id=member.pk).order_by("-at", "-pk")[:limit])


def reads_page(member: User, number: str | int | None) -> Page[ClinicianRead]:
    """One page of the member's own access log, newest first (a page number that is not one gives the first
    page, one past the end the last)."""
    rows = ClinicianRead.objects.filter(member_id=member.pk if member.is_authenticated else None)
    return Paginator(rows.order_by("-at", "-pk"), READS_PER_PAGE).get_page(number)


# --- What a member sees of their own care ---------------------------------------------------------------------


@dataclass(frozen=True)
class MyCare:
    relationship: CareRelationship
    clinician_name: str
    shares: list[Share]
    kinds: list[str]


def care_of_member(member: User, now: datetime | None = None) -> list[MyCare]:
    """The member's own relationships (active first, newest first) with what each shares now (two queries)."""
    relationships = relationships_of_member(member)
    shares: dict[int, list[Share]] = {r.pk: [] for r in relationships}
    for share in _live(now).filter(relationship_id__in=shares).order_by("until"):
        shares[share.relationship_id].append(share)
    return [MyCare(r, clinician_name(r.clinician), shares[r.pk], _kinds(shares[r.pk])) for r in relationships]


def share_of_relationship(member: User, relationship: CareRelationship, public_id: str | uuid.UUID) -> Share:
    """One of the member's own shares in this relationship of theirs, else 404."""
    share = get_share_for_member(member, public_id)
    if share.relationship_id != relationship.pk:
        raise Http404(NOT_FOUND)
    return share

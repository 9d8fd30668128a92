"""Every write to care relationships and shares: one function each, owning its transaction and audit entry.

A relationship starts only when the member agrees (``agree_to_care``, called by the member's own booking or a
"start care" page, never by a clinician). What the clinician may read is the union of the member's live shares;
revoking one takes effect on the clinician's next request, because every clinician read asks ``access``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.audit.record import record
from bounceback.clinics.models import Staff, StaffRole
from bounceback.reminders.rules import zone as zone_of

from .models import CareRelationship, Kind, Share

MAX_SHARE_DAYS = 366
"""The furthest a share may reach: a year and a day (a member renews it rather than sharing for ever)."""


class CareError(ValueError):
    """A care write that cannot be made, naming the field and what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def end_of_day(user: User, day: date) -> datetime:
    """The first instant after ``day`` ends in the person's own time zone (a share "until 12 March" includes all
    of 12 March where they live, whatever the server's zone)."""
    zone = zone_of(user.time_zone)
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))


def clinic_of(clinician: User) -> Staff:
    """The clinician's active place in a clinic, else ``CareError`` (no care with someone who cannot give it)."""
    staff = (
        Staff.objects.select_related("clinic").filter(user_id=clinician.pk, role=StaffRole.CLINICIAN).first()
    )
    if staff is None or not staff.active or not clinician.is_active or clinician.role != Role.CLINICIAN:
        raise CareError("clinician", "This clinician is not taking members at the moment.")
    return staff


@transaction.atomic
def agree_to_care(member: User, clinician: User) -> CareRelationship:
    """The member agrees to care with this clinician: the active relationship (made now, or the one already
    there). Only members start care; the clinician must be an active clinician of a clinic."""
    if member.role != Role.MEMBER or not member.is_active:
        raise CareError("member", "Only members can start care.")
    staff = clinic_of(clinician)
    existing = (
        CareRelationship.objects.active().filter(member_id=member.pk, clinician_id=clinician.pk).first()
    )
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            relationship = CareRelationship.objects.create(
                member=member, clinician=clinician, clinic=staff.clinic
            )
    except IntegrityError:  # a second tab agreed at the same moment: one relationship
        return CareRelationship.objects.active().get(member_id=member.pk, clinician_id=clinician.pk)
    record(member, "care.agree", "care", str(relationship.public_id))
    return relationship


def clean_kinds(kinds: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(kinds))
    unknown = [k for k in chosen if k not in Kind.values]
    if unknown:
        raise CareError("kinds", "Choose what to share from the list.")
    return chosen


@transaction.atomic
def share_with(
    member: User,
    relationship: CareRelationship,
    kinds: Iterable[str],
    last_day: date,
    now: datetime | None = None,
) -> Share | None:
    """Share these kinds of data with the relationship's clinician until the end of ``last_day`` (the member's
    own day). Sharing nothing is allowed and makes no share (None)."""
    now = now or timezone.now()
    # Read again, locked: care ended in another tab (or by the clinician) a moment ago takes no new share.
    current = (
        CareRelationship.objects.select_for_update()
        .filter(pk=relationship.pk, member_id=member.pk, ended_at__isnull=True)
        .first()
    )
    if current is None:
        raise CareError("relationship", "This care has ended.")
    chosen = clean_kinds(kinds)
    if not chosen:
        return None
    today = now.astimezone(zone_of(member.time_zone)).date()
    if last_day < today:
        raise CareError("until", "Choose a last day that is today or later.")
    if last_day > today + timedelta(days=MAX_SHARE_DAYS):
        raise CareError("until", f"Choose a last day within {MAX_SHARE_DAYS} days.")
    share = Share.objects.create(
        relationship=current,
        until=end_of_day(member, last_day),
        created_at=now,
        **{kind: True for kind in chosen},
    )
    record(member, "care.share", "share", str(share.public_id))
    return share


@transaction.atomic
def revoke_share(member: User, share: Share, now: datetime | None = None) -> bool:
    """Stop a share at once. True when it was live; revoking twice is harmless."""
    if share.relationship.member_id != member.pk:
        raise CareError("share", "No such share.")
    changed = Share.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    if changed:
        record(member, "care.share.revoke", "share", str(share.public_id))
    return bool(changed)


@transaction.atomic
def end_care(actor: User, relationship: CareRelationship, now: datetime | None = None) -> bool:
    """End a relationship (the member, or the clinician): every share stops with it."""
    now = now or timezone.now()
    if actor.pk == relationship.member_id:
        by = "member"
    elif actor.pk == relationship.clinician_id:
        by = "clinician"
    else:
        raise CareError("relationship", "No such care relationship.")
    changed = CareRelationship.objects.filter(pk=relationship.pk, ended_at__isnull=True).update(
        ended_at=now, ended_by=by
    )
    if changed:
        relationship.ended_at, relationship.ended_by = now, by
        Share.objects.filter(relationship_id=relationship.pk, revoked_at__isnull=True).update(revoked_at=now)
        record(actor, "care.end", "care", str(relationship.public_id))
    return bool(changed)

"""The one place where message threads are looked up. Missing and forbidden are the same 404 (hazard H13).

Who reads a thread: the member of its care relationship, always (after the care ends too, read-only); the
clinician, only while the relationship is active and they are an active clinician. Nobody else. Who writes: the
two participants of an active relationship (``care.access.is_participant``). Functions take the user, not the
request, so views, commands and tests share them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from bounceback.accounts.models import Role, User
from bounceback.care.access import is_active_clinician, is_participant
from bounceback.care.models import CareRelationship
from bounceback.clinics.access import clinic_of_admin
from bounceback.clinics.models import Staff, StaffRole

from .models import Message, Thread, ThreadRead
from .rules import reply_time, usually_replies

NOT_FOUND = "Not found"
NEVER = datetime(1970, 1, 1, tzinfo=UTC)
DEFAULT_RESPONSE_HOURS = 48


def uses_messaging(user: User) -> bool:
    """Members and clinicians have a message box; nobody else does."""
    return bool(user.is_authenticated and user.is_active and user.role in (Role.MEMBER, Role.CLINICIAN))


def messaging_only(user: User) -> None:
    if not uses_messaging(user):
        raise Http404(NOT_FOUND)


def _uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, ValidationError, AttributeError):
        return None


def _readable(user: User) -> QuerySet[Thread]:
    """The threads this person may read (none for anyone without a message box)."""
    if not uses_messaging(user):
        return Thread.objects.none()
    mine = Q(relationship__member_id=user.pk)
    if is_active_clinician(user):
        mine |= Q(relationship__clinician_id=user.pk, relationship__ended_at__isnull=True)
    return Thread.objects.filter(mine)


def _unread(user: User) -> Exists:
    """True for a thread where someone else wrote after this person last read it (a subquery on the thread)."""
    read_at = ThreadRead.objects.filter(thread_id=OuterRef("thread_id"), user_id=user.pk).values("read_at")[
        :1
    ]
    newer = (
        Message.objects.filter(thread_id=OuterRef("pk"))
        .exclude(sender_id=user.pk)
        .filter(sent_at__gt=Coalesce(Subquery(read_at), Value(NEVER)))
    )
    return Exists(newer)


def can_write(user: User, relationship: CareRelationship) -> bool:
    """Only the two participants of an active relationship write."""
    return relationship.ended_at is None and is_participant(user, relationship)


def display_name(person: User | None) -> str:
    """A clinician by the name on their profile; a member by their name, else their address."""
    if person is None:
        return "Someone no longer on Bounceback"
    profile = getattr(person, "clinician_profile", None) if person.role == Role.CLINICIAN else None
    if profile is not None:
        return str(profile.display_name)
    return person.get_full_name() or person.email


def response_hours(clinician: User) -> int:
    profile = getattr(clinician, "clinician_profile", None)
    return int(profile.response_hours) if profile is not None else DEFAULT_RESPONSE_HOURS


def expectation(user: User, relationship: CareRelationship) -> str:
    """What a compose box says about replies: the clinician's usual time, in words."""
    hours = response_hours(relationship.clinician)
    if user.pk == relationship.clinician_id:
        return f"Members are told you usually reply {reply_time(hours)}."
    return usually_replies(display_name(relationship.clinician), hours)


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    other: str
    """The other participant's name."""
    unread: bool
    writable: bool


def _other(user: User, relationship: CareRelationship) -> User | None:
    return relationship.clinician if user.pk == relationship.member_id else relationship.member


def threads_of(user: User) -> list[ThreadRow]:
    """The person's threads, the newest message first, each with its unread mark."""
    threads = (
        _readable(user)
        .annotate(unread=_unread(user))
        .select_related("relationship__member", "relationship__clinician__clinician_profile")
    )
    active_clinician = is_active_clinician(user)  # once, not per thread
    rows = []
    for thread in threads.order_by("-last_message_at", "-pk"):
        relationship = thread.relationship
        writable = relationship.ended_at is None and (
            user.pk == relationship.member_id or (user.pk == relationship.clinician_id and active_clinician)
        )
        rows.append(
            ThreadRow(
                thread=thread,
                other=display_name(_other(user, relationship)),
                unread=bool(getattr(thread, "unread", False)),
                writable=writable,
            )
        )
    return rows


def unread_count(user: User) -> int:
    """How many of the person's threads hold a message they have not read."""
    if not uses_messaging(user):
        return 0
    return _readable(user).filter(_unread(user)).count()


def get_thread(user: User, public_id: str | uuid.UUID) -> Thread:
    """A thread this person may read, else ``Http404`` (the same for missing and forbidden)."""
    wanted = _uuid(public_id)
    found = None
    if wanted is not None:
        found = (
            _readable(user)
            .select_related("relationship__member", "relationship__clinician__clinician_profile")
            .filter(public_id=wanted)
            .first()
        )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def has_unread(user: User, thread: Thread) -> bool:
    """Whether the thread, readable by this person, holds a message from the other they have not read."""
    return _readable(user).filter(pk=thread.pk).filter(_unread(user)).exists()


def can_read(user: User, thread: Thread) -> bool:
    return _readable(user).filter(pk=thread.pk).exists()


@dataclass(frozen=True)
class MessageRow:
    message: Message
    mine: bool
    sender: str


def messages_of(user: User, thread: Thread) -> list[MessageRow]:
    """The thread's messages, oldest first, for someone who may read it (else 404)."""
    if not can_read(user, thread):
        raise Http404(NOT_FOUND)
    rows = []
    for message in (
        Message.objects.filter(thread_id=thread.pk)
        .select_related("sender__clinician_profile")
        .order_by("sent_at", "pk")
    ):
        mine = message.sender_id == user.pk
        rows.append(MessageRow(message, mine, "You" if mine else display_name(message.sender)))
    return rows


def writable_relationships(user: User) -> list[CareRelationship]:
    """The active relationships this person may write in, the clinician's profile loaded."""
    if not uses_messaging(user):
        return []
    if user.role == Role.CLINICIAN:
        if not is_active_clinician(user):
            return []
        mine = CareRelationship.objects.active().filter(clinician_id=user.pk)
    else:
        mine = CareRelationship.objects.active().filter(member_id=user.pk)
    found = mine.select_related("member", "clinician__clinician_profile").order_by("agreed_at", "pk")
    return [r for r in found if can_write(user, r)]


def get_writable_relationship(user: User, public_id: str | uuid.UUID) -> CareRelationship:
    wanted = _uuid(public_id)
    found = next((r for r in writable_relationships(user) if r.public_id == wanted), None)
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def in_care(user: User) -> bool:
    """Whether the person has, or had, a care relationship (threads to read, or someone to write to)."""
    if not uses_messaging(user):
        return False
    return CareRelationship.objects.filter(Q(member_id=user.pk) | Q(clinician_id=user.pk)).exists()


def other_of(user: User, relationship: CareRelationship) -> User | None:
    return _other(user, relationship)


# --- Past the reply time (hazard H28) -------------------------------------------------------------------


@dataclass(frozen=True)
class Overdue:
    thread: Thread
    waiting_since: datetime
    """When the member's oldest message still without an answer was sent."""


def overdue_threads(now: datetime) -> list[Overdue]:
    """Threads of active care where the member's message has waited longer than the clinician's reply time:
    the newest message is the member's, and nothing from the clinician came after the first one waiting."""
    last_sender = (
        Message.objects.filter(thread_id=OuterRef("pk")).order_by("-sent_at", "-pk").values("sender_id")[:1]
    )
    last_answer = (
        Message.objects.filter(thread_id=OuterRef("thread_id"))
        .exclude(sender_id=OuterRef("thread__relationship__member_id"))
        .order_by("-sent_at", "-pk")
        .values("sent_at")[:1]
    )
    first_waiting = (
        Message.objects.filter(thread_id=OuterRef("pk"), sender_id=OuterRef("relationship__member_id"))
        .filter(sent_at__gt=Coalesce(Subquery(last_answer), Value(NEVER)))
        .order_by("sent_at", "pk")
        .values("sent_at")[:1]
    )
    candidates = (
        Thread.objects.filter(relationship__ended_at__isnull=True)
        .annotate(last_sender=Subquery(last_sender), waiting_since=Subquery(first_waiting))
        .filter(last_sender=F("relationship__member_id"), waiting_since__isnull=False)
        .select_related("relationship__clinician__clinician_profile")
    )
    found = []
    for thread in candidates:
        since = getattr(thread, "waiting_since", None)
        hours = response_hours(thread.relationship.clinician)
        if since is not None and since + timedelta(hours=hours) <= now:
            found.append(Overdue(thread, since))
    return found


def clinic_admins(relationship: CareRelationship) -> list[User]:
    """The active administrators of the relationship's clinic: who hears of a message past its reply time."""
    staff = Staff.objects.filter(
        clinic_id=relationship.clinic_id, role=StaffRole.ADMIN, active=True, user__is_active=True
    ).select_related("user")
    return [s.user for s in staff]


def thread_for_notice(ref: str) -> Thread | None:
    """The thread a notice is about (for the notice's send-time check only; never shown to anyone)."""
    wanted = _uuid(ref)
    return Thread.objects.select_related("relationship").filter(public_id=wanted).first() if wanted else None


def is_overdue(thread: Thread, now: datetime) -> bool:
    return any(o.thread.pk == thread.pk for o in overdue_threads(now))


@dataclass(frozen=True)
class Waiting:
    clinician: str
    waiting_since: datetime
    reply_time: str
    """The reply time members of that clinician are told, in words."""


def waiting_at_clinic(admin: User, now: datetime) -> list[Waiting]:
    """For an active administrator of a clinic (else 404): which of its clinicians have a member's message
    waiting past the reply time, and since when. Never the member, the subject or a word of a message."""
    clinic = clinic_of_admin(admin)
    rows = [
        Waiting(
            clinician=display_name(o.thread.relationship.clinician),
            waiting_since=o.waiting_since,
            reply_time=reply_time(response_hours(o.thread.relationship.clinician)),
        )
        for o in overdue_threads(now)
        if o.thread.relationship.clinic_id == clinic.pk
    ]
    return sorted(rows, key=lambda w: w.waiting_since)

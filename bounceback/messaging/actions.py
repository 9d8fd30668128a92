"""Every write to messages: one function each, owning its transaction and its audit entry (ids only, never a
subject or a word of a message).

Only the two participants of an active care relationship write. A new message notifies the other participant
through ``reminders.notices`` with fixed words that carry nothing of the message (hazard H18).
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.care.models import CareRelationship
from bounceback.reminders.notices import notify

from .access import can_read, can_write, clinic_admins, other_of, overdue_threads
from .models import Message, Thread, ThreadRead
from .notify import NEW_MESSAGE, OVERDUE, OVERDUE_TO_CLINIC
from .rules import Invalid, clean_body, clean_subject

MessagingError = Invalid
"""A write that cannot be made, naming the field (``subject``, ``body``, ``relationship``, ``thread``)."""

ENDED = "This care has ended: its messages can be read but no longer answered."


def _locked_relationship(actor: User, relationship: CareRelationship) -> CareRelationship:
    """The relationship read again under a row lock (an ending in another request is seen), checked writable."""
    current = CareRelationship.objects.select_for_update().filter(pk=relationship.pk).first()
    if current is None or not can_write(actor, current):
        raise Invalid("relationship", ENDED)
    return current


def _mark_read(user: User, thread: Thread, when: datetime) -> None:
    updated = ThreadRead.objects.filter(thread_id=thread.pk, user_id=user.pk, read_at__lt=when).update(
        read_at=when
    )
    if updated or ThreadRead.objects.filter(thread_id=thread.pk, user_id=user.pk).exists():
        return
    try:
        with transaction.atomic():
            ThreadRead.objects.create(thread=thread, user=user, read_at=when)
    except IntegrityError:  # a second tab marked it at the same moment
        ThreadRead.objects.filter(thread_id=thread.pk, user_id=user.pk, read_at__lt=when).update(read_at=when)


def _notify_other(actor: User, relationship: CareRelationship, thread: Thread) -> None:
    other = other_of(actor, relationship)
    if other is not None:
        notify(other, NEW_MESSAGE.kind, str(thread.public_id))


@transaction.atomic
def start_thread(
    actor: User, relationship: CareRelationship, subject: str, body: str, now: datetime | None = None
) -> Thread:
    """A new thread with its first message, from one participant of an active relationship to the other."""
    now = now or timezone.now()
    errors = []
    cleaned: dict[str, str] = {}
    for field, clean, raw in (("subject", clean_subject, subject), ("body", clean_body, body)):
        try:
            cleaned[field] = clean(raw)
        except Invalid as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
    relationship = _locked_relationship(actor, relationship)
    thread = Thread.objects.create(
        relationship=relationship,
        subject=cleaned["subject"],
        started_by=actor,
        created_at=now,
        last_message_at=now,
    )
    Message.objects.create(thread=thread, sender=actor, body=cleaned["body"], sent_at=now)
    _mark_read(actor, thread, now)
    record(actor, "message.thread.start", "thread", str(thread.public_id))
    _notify_other(actor, relationship, thread)
    return thread


@transaction.atomic
def send_message(actor: User, thread: Thread, body: str, now: datetime | None = None) -> Message:
    """A reply in a thread of an active relationship, by one of its two participants."""
    now = now or timezone.now()
    text = clean_body(body)
    relationship = _locked_relationship(actor, thread.relationship)
    if not can_read(actor, thread):
        raise Invalid("thread", "No such conversation.")
    message = Message.objects.create(thread=thread, sender=actor, body=text, sent_at=now)
    Thread.objects.filter(pk=thread.pk, last_message_at__lt=now).update(last_message_at=now)
    _mark_read(actor, thread, now)
    record(actor, "message.send", "message", str(message.public_id))
    _notify_other(actor, relationship, thread)
    return message


@transaction.atomic
def mark_read(user: User, thread: Thread, now: datetime | None = None) -> None:
    """The person has read the thread up to now (the member may still read an ended relationship's threads)."""
    if not can_read(user, thread):
        raise Invalid("thread", "No such conversation.")
    _mark_read(user, thread, now or timezone.now())
    record(user, "message.thread.read", "thread", str(thread.public_id))


def escalate_overdue(now: datetime | None = None) -> int:
    """The scheduler's job (hazard H28): for each member's message waiting past the clinician's reply time,
    remind the clinician and tell the clinic's administrators, with fixed words, once a day while it waits.
    Idempotent (the notices are unique per person, thread and day). Returns the number of notices planned."""
    now = now or timezone.now()
    planned = 0
    for overdue in overdue_threads(now):
        thread = overdue.thread
        relationship = thread.relationship
        ref = str(thread.public_id)
        with transaction.atomic():
            added = notify(relationship.clinician, OVERDUE.kind, ref)
            for admin in clinic_admins(relationship):
                added += notify(admin, OVERDUE_TO_CLINIC.kind, ref)
            if added:
                record(None, "message.overdue", "thread", ref)
        planned += added
    return planned

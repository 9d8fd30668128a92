"""The notices of messaging: a new message, and a member's message past the clinician's reply time (to the
clinician and the clinic's administrators). Fixed words, never the sender, the subject or a word of a message
(hazard H18). Registered in ``MessagingConfig.ready``; asked again at send time, so a thread read (or answered)
meanwhile, or no longer readable, sends nothing."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.reminders.notices import Notice, register

from .access import clinic_admins, get_thread, has_unread, is_overdue, thread_for_notice

NEW_MESSAGE = Notice(
    kind="message.new",
    subject="You have a new message on Bounceback",
    body="You have a new message on Bounceback. Sign in to read it.",
    path="/messages/",
)


def still_unread(ref: str, recipient: User) -> bool:
    """Wanted while the recipient may read the thread and has not read its newest message from the other."""
    try:
        thread = get_thread(recipient, ref)
    except Http404:  # gone, or no longer theirs
        return False
    return has_unread(recipient, thread)


OVERDUE = Notice(
    kind="message.overdue",
    subject="A message on Bounceback is waiting for a reply",
    body="A member's message has waited longer than the reply time they were told. Sign in to see it.",
    path="/messages/",
)
OVERDUE_TO_CLINIC = Notice(
    kind="message.overdue.clinic",
    subject="A message at your clinic is waiting for a reply",
    body=(
        "A member's message to a clinician of your clinic has waited longer than the reply time they were told."
        " Please check that someone answers it."
    ),
    path="/messages/waiting/",
)


def still_overdue(ref: str, recipient: User) -> bool:
    """Wanted while the thread still waits for the clinician, and the recipient is its clinician or an active
    administrator of its clinic."""
    thread = thread_for_notice(ref)
    if thread is None:
        return False
    relationship = thread.relationship
    if recipient.pk != relationship.clinician_id and recipient not in clinic_admins(relationship):
        return False
    return is_overdue(thread, timezone.now())


def register_notices() -> None:
    register(NEW_MESSAGE, still_unread)
    register(OVERDUE, still_overdue)
    register(OVERDUE_TO_CLINIC, still_overdue)

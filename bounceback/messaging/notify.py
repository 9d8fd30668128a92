"""The notice of a new message: fixed words, never the sender, the subject or a word of the message (hazard
H18). Registered in ``MessagingConfig.ready``; asked again at send time, so a thread read meanwhile (or no
longer readable) sends nothing."""

from __future__ import annotations

from django.http import Http404

from bounceback.accounts.models import User
from bounceback.reminders.notices import Notice, register

from .access import get_thread, has_unread

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


def register_notices() -> None:
    register(NEW_MESSAGE, still_unread)

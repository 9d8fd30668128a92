"""What the messaging app keeps about a member: their threads with clinicians and every message in them, and
their read marks (``bounceback/datarights/registry.py``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bounceback.accounts.models import User

from .models import Message, Thread, ThreadRead

THREAD_COLUMNS = ("public_id", "subject", "created_at", "last_message_at")
MESSAGE_COLUMNS = ("public_id", "thread", "from_me", "body", "sent_at")
READ_COLUMNS = ("thread", "read_at")


def _threads(user: User) -> Iterable[dict[str, object]]:
    for thread in Thread.objects.filter(relationship__member_id=user.pk).order_by("created_at"):
        yield {column: getattr(thread, column) for column in THREAD_COLUMNS}


def _messages(user: User) -> Iterable[dict[str, object]]:
    messages = Message.objects.filter(thread__relationship__member_id=user.pk).select_related("thread")
    for message in messages.order_by("sent_at", "pk"):
        yield {
            "public_id": message.public_id,
            "thread": message.thread.public_id,
            "from_me": message.sender_id == user.pk,
            "body": message.body,
            "sent_at": message.sent_at,
        }


def _reads(user: User) -> Iterable[dict[str, object]]:
    for mark in ThreadRead.objects.filter(user_id=user.pk).select_related("thread").order_by("read_at"):
        yield {"thread": mark.thread.public_id, "read_at": mark.read_at}


TABLES = (
    ("message_threads", Thread, THREAD_COLUMNS, _threads),
    ("messages", Message, MESSAGE_COLUMNS, _messages),
    ("message_read_marks", ThreadRead, READ_COLUMNS, _reads),
)

ERASED = (Thread, Message, ThreadRead)


def erase(user: User) -> dict[str, int]:
    deleted: Counter[str] = Counter()
    deleted.update(Thread.objects.filter(relationship__member_id=user.pk).delete()[1])
    deleted.update(ThreadRead.objects.filter(user_id=user.pk).delete()[1])
    return dict(deleted)

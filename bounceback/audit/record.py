"""Record an audit event: called by actions (writes) and by the access functions (reads).

The audit app sits below accounts in the dependency order: it knows the user model only as
``settings.AUTH_USER_MODEL`` and reads the actor's ``role`` without importing ``bounceback.accounts``.

Appends are serialised, so concurrent writers never fork the hash chain (``chain.py``). Inside the caller's
transaction (or one of its own when there is none), ``record()`` first *updates* the one-row chain head
(``ChainHead``: sequence + 1), and only then reads the previous entry's hash. The update takes the lock before
the read: on PostgreSQL the row lock, held until the caller's transaction ends, so a second writer's update waits
and then sees the first one's committed head; on SQLite the database's write lock (the project opens its
transactions with ``BEGIN IMMEDIATE`` anyway). A rolled-back transaction rolls back its head update too, so
sequence numbers have no gaps. The unique constraint on ``sequence`` is the backstop.

The cost: every transaction that records an entry holds the head's lock from ``record()`` to its commit, so
audited writes commit one at a time. Record late in a transaction, after the slow work.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import connections, router, transaction
from django.utils import timezone

from . import chain
from .models import AuditEvent, ChainHead

SYSTEM = "system"
"""The actor kind for the system itself: a command run by an operator."""
VISITOR = "visitor"
"""The actor kind for someone not signed in."""
USER = "user"
"""The actor kind for a signed-in user whose user model has no role."""
STATEMENTS = 3
"""The SQL statements one entry (or one ``record_many``) costs inside a transaction: advance the head, read the
previous entry's hash, insert (a test counting a page's queries adds these)."""


def actor_kind(actor: AbstractBaseUser | AnonymousUser | None) -> str:
    """member, clinician, operator, researcher (the user's role), visitor or system."""
    if actor is None:
        return SYSTEM
    if not actor.is_authenticated:
        return VISITOR
    return str(getattr(actor, "role", "") or USER)


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target_type: str,
    target_id: str,
) -> None:
    """Append who did what to which record. Health data never goes in: ids and fixed verbs only.

    ``actor`` None is the system itself (a command run by an operator); an anonymous user is a visitor.
    """
    signed_in = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        actor_id=signed_in.pk if signed_in is not None else None,
        actor_public_id=str(getattr(signed_in, "public_id", "") or ""),
        actor_kind=actor_kind(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
    )
    using = router.db_for_write(AuditEvent)
    if connections[using].in_atomic_block:
        _append(event, using)
    else:
        with transaction.atomic(using=using):
            _append(event, using)


def record_many(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target_type: str,
    target_ids: list[str],
) -> None:
    """``record`` for the same action on many targets (a page listing many people), in a constant number of
    statements: the head advances by their count at once, the entries are chained in order and inserted
    together. Nothing is written for no targets."""
    if not target_ids:
        return
    signed_in = actor if actor is not None and actor.is_authenticated else None
    events = [
        AuditEvent(
            actor_id=signed_in.pk if signed_in is not None else None,
            actor_public_id=str(getattr(signed_in, "public_id", "") or ""),
            actor_kind=actor_kind(actor),
            action=action,
            target_type=target_type,
            target_id=str(target_id),
        )
        for target_id in target_ids
    ]
    using = router.db_for_write(AuditEvent)
    if connections[using].in_atomic_block:
        _append_many(events, using)
    else:
        with transaction.atomic(using=using):
            _append_many(events, using)


def _append_many(events: list[AuditEvent], using: str) -> None:
    sequence, previous = _claim(using, len(events))
    now = timezone.now()
    for offset, event in enumerate(events):
        event.sequence, event.prev_hash, event.at = sequence + offset, previous, now
        event.hash = previous = chain.digest(entry_of(event))
    AuditEvent.objects.using(using).bulk_create(events)


def _append(event: AuditEvent, using: str) -> None:
    event.sequence, event.prev_hash = _claim(using, 1)
    event.at = timezone.now()
    event.hash = chain.digest(entry_of(event))
    event.save(using=using)


_HEAD = ChainHead._meta.db_table
_EVENTS = AuditEvent._meta.db_table
# Our own tables' names; values are parameters. Plain SQL: the ORM costs more in Python than these statements
# cost in the database.
ADVANCE = f'UPDATE "{_HEAD}" SET sequence = sequence + %s WHERE id = %s RETURNING sequence'  # noqa: S608
PREVIOUS = f'SELECT hash FROM "{_EVENTS}" WHERE sequence = %s'  # noqa: S608


def _claim(using: str, count: int) -> tuple[int, str]:
    """Take the head's lock and move it on by ``count``; the first sequence number claimed and the hash of the
    entry before it.

    The previous hash is read in a statement of its own, after the head's update: on PostgreSQL each statement
    sees what was committed when it started, so this one sees the entry of the writer that held the lock last.
    """
    last = _advance(using, count)
    if last is None:
        _start(using)
        last = _advance(using, count)
        assert last is not None
    first = last - count + 1
    if first == 1:
        return first, chain.GENESIS
    with connections[using].cursor() as cursor:
        cursor.execute(PREVIOUS, [first - 1])
        row = cursor.fetchone()
    # The entry before was deleted behind record()'s back: carry on (the trail must keep recording), and
    # ``bounceback audit verify`` names the gap.
    return first, str(row[0]) if row is not None else ""


def _advance(using: str, count: int) -> int | None:
    """The head's sequence + ``count``, taking its lock first; None when there is no head."""
    with connections[using].cursor() as cursor:
        cursor.execute(ADVANCE, [count, ChainHead.ID])
        row = cursor.fetchone()
    return int(row[0]) if row is not None else None


def _start(using: str) -> None:
    """Create the head from the last entry when there is none: the migration makes it, but a test run's flush
    removes it. Two writers may both get here: the second insert does nothing (on PostgreSQL it waits for the
    first to commit)."""
    last = AuditEvent.objects.using(using).order_by("-sequence").values_list("sequence", flat=True).first()
    ChainHead.objects.using(using).bulk_create(
        [ChainHead(id=ChainHead.ID, sequence=last or 0)], ignore_conflicts=True
    )


def entry_of(event: AuditEvent) -> chain.Entry:
    """The part of a stored event that its hash covers."""
    return chain.Entry(
        sequence=event.sequence,
        at=event.at,
        actor_id=event.actor_id,
        actor_public_id=event.actor_public_id,
        actor_kind=event.actor_kind,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        prev_hash=event.prev_hash,
    )


def hold_chain(using: str = "default") -> None:
    """Take the chain's lock now, at the start of a transaction that will lock other rows and then record.

    Every audited write takes the chain's lock when it records and holds it until it commits. A transaction that
    locks a row (an alert, say) and records afterwards, while another records first and then wants that row,
    would wait on each other (PostgreSQL aborts one). Taking the chain first keeps one order, chain then rows,
    everywhere. Must run inside a transaction (the lock lasts until it ends)."""
    assert connections[using].in_atomic_block, "hold_chain() belongs at the start of a transaction"
    if _advance(using, 0) is None:
        _start(using)
        _advance(using, 0)

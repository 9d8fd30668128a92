"""Record an audit event: called by actions (writes) and by the access functions (reads).

The audit app sits below accounts in the dependency order: it knows the user model only as
``settings.AUTH_USER_MODEL`` and reads the actor's ``role`` without importing ``bounceback.accounts``.

Appends are serialised, so concurrent writers never fork the hash chain (``chain.py``). Inside the caller's
transaction (or one of its own when there is none), ``record()`` first *updates* the one-row chain head
(``ChainHead``: sequence + 1), and only then reads the previous hash from it. The update takes the lock before
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
"""The SQL statements one entry costs inside a transaction: advance the head, insert the entry, store its hash
in the head (a test counting a page's queries adds these)."""


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


def _advance(using: str) -> tuple[int, str] | None:
    """Sequence + 1 on the head, taking its lock first; the new sequence and the previous hash."""
    connection = connections[using]
    table = connection.ops.quote_name(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        # Our own table name, quoted; the id is a parameter.
        cursor.execute(
            f"UPDATE {table} SET sequence = sequence + 1 WHERE id = %s RETURNING sequence, hash",  # noqa: S608
            [ChainHead.ID],
        )
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row is not None else None


def _start(using: str) -> None:
    """Create the head from the last entry (or the start of the chain) when there is none: after the migration
    on an empty database there is one, but a test run's flush removes it. Two writers may both get here: the
    second insert does nothing (on PostgreSQL it waits for the first to commit)."""
    last = AuditEvent.objects.using(using).order_by("-sequence").values_list("sequence", "hash").first()
    sequence, hash_ = last if last is not None else (0, chain.GENESIS)
    ChainHead.objects.using(using).bulk_create(
        [ChainHead(id=ChainHead.ID, sequence=sequence, hash=hash_)], ignore_conflicts=True
    )


def _append(event: AuditEvent, using: str) -> None:
    head = _advance(using)
    if head is None:
        _start(using)
        head = _advance(using)
        assert head is not None
    event.sequence, event.prev_hash = head
    event.at = timezone.now()
    event.hash = chain.digest(entry_of(event))
    event.save(using=using)
    ChainHead.objects.using(using).filter(id=ChainHead.ID).update(hash=event.hash)


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

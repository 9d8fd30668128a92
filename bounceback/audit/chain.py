"""The audit trail's hash chain, in plain Python: the canonical form of an entry, its hash, and the walk that finds
the first broken link. No Django here; ``record.py`` appends and ``management/commands/audit.py`` reads the rows.

Each entry has a ``sequence`` number (1, 2, 3, … with no gaps), the ``prev_hash`` (the hash of the entry before;
for entry 1, sixty-four zeros) and its own ``hash``: the SHA-256 of the entry's canonical form, written as 64
lowercase hexadecimal digits.

The canonical form (version 1) is a byte string: the ASCII text ``bounceback-audit-v1``, then nine fields, each
written as a netstring: the length of the field's UTF-8 bytes in decimal, a colon, the bytes, a comma. The fields,
in this order:

1. the sequence number, in decimal (``17``);
2. ``at``, in UTC, as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (always six digits of microseconds);
3. the actor's account number (``actor_id``) in decimal, or nothing (length 0) when there is none;
4. the actor's public id (``actor_public_id``), possibly empty;
5. the actor kind (``member``, ``clinician``, ``operator``, ``visitor``, ``system``, …);
6. the action (``checkup.read``, …);
7. the target type;
8. the target id;
9. ``prev_hash``.

For example, entry 1 by the system, ``fhir.export`` of user ``abc`` at 2026-01-02 03:04:05.000006 UTC, is::

    bounceback-audit-v1 1:1, 27:2026-01-02T03:04:05.000006Z, 0:, 0:, 6:system, 11:fhir.export, 4:user, 3:abc,
    64:0000000000000000000000000000000000000000000000000000000000000000,

without the spaces and line break shown here. Anyone can recompute it from the table's columns with any SHA-256
tool. The hash proves the rows were not changed after the fact only together with the last hash kept somewhere
else (``bounceback audit verify`` prints it; ``--anchor`` checks it later): a person able to rewrite the whole
table could recompute the whole chain.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

VERSION = b"bounceback-audit-v1"
GENESIS = "0" * 64
"""The ``prev_hash`` of entry 1."""


@dataclass(frozen=True)
class Entry:
    """What an entry's hash covers."""

    sequence: int
    at: datetime
    actor_id: int | None
    actor_public_id: str
    actor_kind: str
    action: str
    target_type: str
    target_id: str
    prev_hash: str


@dataclass(frozen=True)
class Stored:
    """An entry as read back from the table, with the hash stored beside it."""

    entry: Entry
    hash: str


@dataclass(frozen=True)
class Break:
    """The first broken link: the entry's sequence number, what kind of break, and in words."""

    sequence: int
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"entry {self.sequence}: {self.kind}: {self.detail}"


CHANGED = "content changed"
PREVIOUS = "previous hash mismatch"
MISSING = "gap in sequence"
DELETED = "deleted rows"
FORGED = "not appended by the chain"
ANCHOR = "anchor mismatch"


@dataclass(frozen=True)
class Walk:
    """The result of walking the chain: how many entries were intact, the last one's hash, the first break."""

    count: int
    last_hash: str
    broken: Break | None


def utc_text(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("an audit time must be aware (UTC)")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _netstring(text: str) -> bytes:
    data = text.encode("utf-8")
    return str(len(data)).encode("ascii") + b":" + data + b","


def canonical(entry: Entry) -> bytes:
    fields = (
        str(entry.sequence),
        utc_text(entry.at),
        "" if entry.actor_id is None else str(entry.actor_id),
        entry.actor_public_id,
        entry.actor_kind,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.prev_hash,
    )
    return VERSION + b"".join(_netstring(field) for field in fields)


def digest(entry: Entry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def walk(
    rows: Iterable[Stored],
    head: int | None,
    anchors: dict[int, str] | None = None,
) -> Walk:
    """Check ``rows`` (every entry up to the chain head, in sequence order) against each other and the head.

    ``head`` is the chain head's sequence number read before the rows, or None when there is no head (only
    right for an empty trail). ``anchors`` are hashes kept elsewhere: {sequence: hash}.
    """
    anchors = anchors or {}
    expected, prev = 1, GENESIS
    for row in rows:
        entry = row.entry
        if entry.sequence != expected:
            return Walk(
                expected - 1,
                prev,
                Break(
                    expected,
                    MISSING,
                    f"the entry after {expected - 1} is {entry.sequence}: "
                    + (
                        f"entry {expected} is missing (deleted)"
                        if entry.sequence == expected + 1
                        else f"entries {expected} to {entry.sequence - 1} are missing (deleted)"
                    ),
                ),
            )
        if entry.prev_hash != prev:
            before = "the chain's starting value" if expected == 1 else f"the hash of entry {expected - 1}"
            return Walk(
                expected - 1,
                prev,
                Break(
                    expected,
                    PREVIOUS,
                    f"its prev_hash is not {before} (entry {expected} or the one before was changed and "
                    "re-hashed, or inserted)",
                ),
            )
        if digest(entry) != row.hash:
            return Walk(
                expected - 1,
                prev,
                Break(expected, CHANGED, "its stored hash does not match its columns (the row was changed)"),
            )
        if expected in anchors and anchors[expected] != row.hash:
            return Walk(
                expected - 1,
                prev,
                Break(
                    expected,
                    ANCHOR,
                    "its hash differs from the one kept elsewhere (the chain was rewritten up to here)",
                ),
            )
        prev = row.hash
        expected += 1
    count = expected - 1
    if head is None:
        if count:
            return Walk(count, prev, Break(count, FORGED, "the chain head row is missing"))
        head = 0
    head_sequence = head
    if head_sequence > count:
        first = count + 1
        span = f"entry {first} is" if first == head_sequence else f"entries {first} to {head_sequence} are"
        return Walk(
            count,
            prev,
            Break(first, DELETED, f"the chain head is at {head_sequence} but {span} missing (deleted)"),
        )
    late = [s for s in anchors if s > count]
    if late:
        return Walk(count, prev, Break(min(late), ANCHOR, "the anchored entry is not in the trail (deleted)"))
    return Walk(count, prev, None)


def beyond_head(sequences: Iterable[int], head_after: int) -> Break | None:
    """Entries after the head read before the walk: fine if appended meanwhile (the head, read again after
    them, has reached them); otherwise written past the head by something other than ``record()``."""
    forged = [s for s in sequences if s > head_after]
    if forged:
        return Break(
            min(forged),
            FORGED,
            f"it comes after the chain head ({head_after}): it was inserted directly, not through record()",
        )
    return None

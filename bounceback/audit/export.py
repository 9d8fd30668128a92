"""The audit trail for an administrator: one member's entries, or a period's, as CSV or JSON.

What the trail holds is ids and fixed verbs, never content, and that is all an export carries: the sequence
number, the time (UTC), the actor's kind and public id, the action, the target and the entry's hash (so a row can
be matched with ``bounceback audit verify``). Used by ``bounceback audit export``; the clinic administrators'
page can call ``entries`` and ``write`` the same way.

A member's entries are those they made (by account number or public id) and those about their account (target
``user`` with their public id: a clinician's reads of what they shared, sign-in failures, deletion). Entries
about the member's things (a check-up, a visit) name the thing, not the member; a caller that knows which
things are the member's passes them as ``also``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Protocol

from django.db.models import Q

from . import chain
from .models import AuditEvent

COLUMNS = ("sequence", "at", "actor_kind", "actor_public_id", "action", "target_type", "target_id", "hash")
FORMATS = ("csv", "json")
FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these could be run as a formula by a spreadsheet: it gets a leading '."""


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def entries(
    *,
    member_pk: int | None = None,
    member_public_id: str = "",
    also: Iterable[tuple[str, str]] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[dict[str, str | int]]:
    """The matching entries in sequence order, by ``COLUMNS`` (the sequence a number, the rest text, the time
    as in the hash's canonical form). ``until`` is exclusive."""
    rows = AuditEvent.objects.order_by("sequence")
    who = Q()
    if member_pk is not None:
        who |= Q(actor_id=member_pk)
    if member_public_id:
        who |= Q(actor_public_id=member_public_id) | Q(target_type="user", target_id=member_public_id)
    for target_type, target_id in also:
        who |= Q(target_type=target_type, target_id=target_id)
    if who:
        rows = rows.filter(who)
    if since is not None:
        rows = rows.filter(at__gte=since)
    if until is not None:
        rows = rows.filter(at__lt=until)
    for values in rows.values_list(*COLUMNS).iterator(chunk_size=2000):
        row = dict(zip(COLUMNS, values, strict=True))
        row["at"] = chain.utc_text(row["at"])
        yield row


def _cell(value: str | int) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA) else text


def write(rows: Iterable[dict[str, str | int]], fmt: str, out: Writable) -> int:
    """Write ``rows`` to ``out`` as CSV (a header line, then one line each) or a JSON list; the count."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in COLUMNS])
            count += 1
        return count
    out.write("[")
    for row in rows:
        out.write(("," if count else "") + "\n  " + json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count

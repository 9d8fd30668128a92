"""Walk the stored chain (``chain.walk``) without blocking writers: read the head first, then every entry up to it.

An entry up to the head read first is committed (its transaction moved the head there); entries after it are
either appended meanwhile (the head, read again afterwards, has reached them) or were inserted around
``record()``. Read-only: verifying records nothing, so it may run against a replica.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import chain
from .models import AuditEvent, ChainHead

CHUNK = 2000
COLUMNS = (
    "sequence",
    "at",
    "actor_id",
    "actor_public_id",
    "actor_kind",
    "action",
    "target_type",
    "target_id",
    "prev_hash",
    "hash",
)


def _head(using: str) -> int | None:
    return ChainHead.objects.using(using).filter(id=ChainHead.ID).values_list("sequence", flat=True).first()


def _stored(using: str, up_to: int | None) -> Iterator[chain.Stored]:
    rows = AuditEvent.objects.using(using).order_by("sequence")
    if up_to is not None:
        rows = rows.filter(sequence__lte=up_to)
    for values in rows.values_list(*COLUMNS).iterator(chunk_size=CHUNK):
        *fields, stored_hash = values
        yield chain.Stored(chain.Entry(*fields), stored_hash)


def verify(using: str = "default", anchors: dict[int, str] | None = None) -> chain.Walk:
    head = _head(using)
    result = chain.walk(_stored(using, head), head, anchors)
    if result.broken is not None or head is None:
        return result
    later = list(AuditEvent.objects.using(using).filter(sequence__gt=head).values_list("sequence", flat=True))
    if later:
        head_after = _head(using)
        forged = chain.beyond_head(later, head_after if head_after is not None else head)
        if forged is not None:
            return chain.Walk(result.count, result.last_hash, forged)
    return result

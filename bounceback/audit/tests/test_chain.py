"""The chain's canonical form and walk, in plain Python: what an auditor would recompute by hand."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from bounceback.audit import chain

START = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)


def links(n: int) -> list[chain.Stored]:
    rows, prev = [], chain.GENESIS
    for sequence in range(1, n + 1):
        entry = chain.Entry(
            sequence,
            START + timedelta(seconds=sequence),
            7,
            "p-7",
            "member",
            "checkup.read",
            "checkup",
            "c1",
            prev,
        )
        prev = chain.digest(entry)
        rows.append(chain.Stored(entry, prev))
    return rows


def head_of(rows: list[chain.Stored]) -> int:
    return rows[-1].entry.sequence if rows else 0


def test_the_documented_example_is_the_canonical_form() -> None:
    entry = chain.Entry(1, START, None, "", "system", "fhir.export", "user", "abc", chain.GENESIS)
    written = (
        b"bounceback-audit-v1"
        + b"1:1,27:2026-01-02T03:04:05.000006Z,0:,0:,6:system,11:fhir.export,4:user,3:abc,"
        + b"64:"
        + b"0" * 64
        + b","
    )
    assert chain.canonical(entry) == written
    assert chain.digest(entry) == hashlib.sha256(written).hexdigest()


def test_the_time_is_written_in_utc_with_microseconds_and_lengths_count_bytes() -> None:
    away = datetime(2026, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    entry = chain.Entry(12, away, 3, "", "member", "a", "t", "é", chain.GENESIS)
    assert b"2:12,27:2026-01-02T03:04:05.000000Z,1:3," in chain.canonical(entry)
    assert b"2:\xc3\xa9," in chain.canonical(entry)
    with pytest.raises(ValueError, match="aware"):
        chain.canonical(replace(entry, at=datetime(2026, 1, 2)))


def test_an_intact_chain_and_an_empty_one_pass() -> None:
    rows = links(5)
    assert chain.walk(rows, head_of(rows)) == chain.Walk(5, rows[-1].hash, None)
    assert chain.walk([], None) == chain.Walk(0, chain.GENESIS, None)
    assert chain.walk([], 0).broken is None


@pytest.mark.parametrize(
    ("damage", "sequence", "kind"),
    [
        ("content", 3, chain.CHANGED),
        ("content rehashed", 4, chain.PREVIOUS),
        ("first prev", 1, chain.PREVIOUS),
        ("middle deleted", 3, chain.MISSING),
        ("two deleted", 2, chain.MISSING),
        ("last deleted", 5, chain.DELETED),
        ("head missing", 5, chain.FORGED),
    ],
)
def test_it_names_the_first_broken_link(damage: str, sequence: int, kind: str) -> None:
    rows = links(5)
    head: int | None = head_of(rows)
    if damage == "content":
        rows[2] = replace(rows[2], entry=replace(rows[2].entry, target_id="c2"))
    elif damage == "content rehashed":
        changed = replace(rows[2].entry, target_id="c2")
        rows[2] = chain.Stored(changed, chain.digest(changed))
    elif damage == "first prev":
        rows[0] = replace(rows[0], entry=replace(rows[0].entry, prev_hash="f" * 64))
    elif damage == "middle deleted":
        del rows[2]
    elif damage == "two deleted":
        del rows[1:3]
    elif damage == "last deleted":
        del rows[4]
    elif damage == "head missing":
        head = None
    broken = chain.walk(rows, head).broken
    assert broken is not None
    assert (broken.sequence, broken.kind) == (sequence, kind), str(broken)
    assert str(broken).startswith(f"entry {sequence}: {kind}: ")


def test_anchors_catch_a_rewritten_chain_and_rows_past_the_head_are_named() -> None:
    rows = links(4)
    assert chain.walk(rows, head_of(rows), {2: rows[1].hash}).broken is None
    broken = chain.walk(rows, head_of(rows), {2: "a" * 64}).broken
    assert broken is not None and (broken.sequence, broken.kind) == (2, chain.ANCHOR)
    broken = chain.walk(rows, head_of(rows), {9: "a" * 64}).broken
    assert broken is not None and (broken.sequence, broken.kind) == (9, chain.ANCHOR)
    assert chain.beyond_head([5, 6], 6) is None
    forged = chain.beyond_head([5, 6], 5)
    assert forged is not None and (forged.sequence, forged.kind) == (6, chain.FORGED)

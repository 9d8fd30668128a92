"""A clinician's weekly hours as typed: several blocks a weekday, wall-clock times in their own zone (pure).

``check_week`` names every problem by weekday and block, so the page can say which block to fix: an end that is
not after its start, a start or end given without the other, and blocks of one day that overlap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_BLOCKS = 6
"""Blocks a weekday may hold (a split day with a long lunch and an evening clinic needs three)."""


@dataclass(frozen=True)
class Block:
    weekday: int
    start: time
    end: time
    number: int = 0
    """Its place on the page (1-based), for messages."""


@dataclass(frozen=True)
class Problem:
    weekday: int
    block: int
    """1-based, as the page numbers them."""
    message: str


Typed = Mapping[tuple[int, int], tuple[time | None, time | None]]
"""(weekday, block index from 0) → (start, end) as read, None where empty."""


def check_week(typed: Typed) -> tuple[list[Block], list[Problem]]:
    """The blocks to keep (in order), and what is wrong. Empty pairs are skipped."""
    blocks: list[Block] = []
    problems: list[Problem] = []
    for (weekday, index), (start, end) in sorted(typed.items()):
        day = WEEKDAYS[weekday]
        n = index + 1
        if start is None and end is None:
            continue
        if start is None or end is None:
            missing = "start" if start is None else "end"
            problems.append(Problem(weekday, n, f"{day}, block {n}: give the {missing} time too."))
            continue
        if end <= start:
            problems.append(Problem(weekday, n, f"{day}, block {n}: the end must be after the start."))
            continue
        blocks.append(Block(weekday, start, end, n))
    problems += overlaps(blocks)
    return sorted(blocks, key=lambda b: (b.weekday, b.start)), problems


def overlaps(blocks: list[Block]) -> list[Problem]:
    """Blocks of one weekday that share any time (one ending as the next starts is fine)."""
    problems = []
    for weekday in range(7):
        day = [b for b in blocks if b.weekday == weekday]
        for i, one in enumerate(day):
            for other in day[i + 1 :]:
                if one.start < other.end and other.start < one.end:
                    a, b = sorted((one.number, other.number))
                    problems.append(Problem(weekday, b, f"{WEEKDAYS[weekday]}: blocks {a} and {b} overlap."))
    return problems

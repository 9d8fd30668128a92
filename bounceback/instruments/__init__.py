"""Bounceback's instrument library: definitions and exact scoring, in plain Python (no Django).

from bounceback.instruments import score, get
result = score("phq9", {"phq9_1": 2, ...})
result.total, result.band, result.complete, result.flags
"""

from __future__ import annotations

from .base import Band, Instrument, Item, Licence, Method, Option, Result, ScoringError, Source
from .registry import (
    INSTRUMENTS,
    NOT_SHIPPED,
    ReliableChange,
    all_instruments,
    get,
    reliable_change,
    score,
)

__all__ = [
    "INSTRUMENTS",
    "NOT_SHIPPED",
    "Band",
    "Instrument",
    "Item",
    "Licence",
    "Method",
    "Option",
    "ReliableChange",
    "Result",
    "ScoringError",
    "Source",
    "all_instruments",
    "get",
    "reliable_change",
    "score",
]

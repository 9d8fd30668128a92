"""Bounceback's instrument library: definitions and exact scoring, in plain Python (no Django).

from bounceback.instruments import score, get
result = score("phq9", {"phq9_1": 2, ...})
result.total, result.band, result.complete, result.flags
"""

from __future__ import annotations

from .base import Band, Gate, Instrument, Item, Licence, Method, Option, Result, ScoringError, Source
from .registry import (
    INSTRUMENTS,
    NOT_SHIPPED,
    ReliableChange,
    all_instruments,
    get,
    reliable_change,
    score,
)
from .safety import ACUTE_FLAG, SAFETY_FLAGS, SAFETY_ITEMS, needs_professional_help, refers, safety_flags

__all__ = [
    "ACUTE_FLAG",
    "INSTRUMENTS",
    "NOT_SHIPPED",
    "SAFETY_FLAGS",
    "SAFETY_ITEMS",
    "Band",
    "Gate",
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
    "needs_professional_help",
    "refers",
    "reliable_change",
    "safety_flags",
    "score",
]

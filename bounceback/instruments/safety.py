"""What the definitions say about safety and referral, derived once for every caller (hazards H04, H09).

The web check-up, plans, FHIR and bulk scoring import these; none keeps its own list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .base import Result
from .registry import INSTRUMENTS

SAFETY_FLAGS: frozenset[str] = frozenset(f for i in INSTRUMENTS.values() for f in i.all_safety_flags)
"""Every suicide-risk flag any instrument can raise (PHQ-9 item 9's rule, the ASQ's screen and acuity)."""

SAFETY_ITEMS: frozenset[str] = frozenset(item for i in INSTRUMENTS.values() for item in i.safety_items)
"""The only answers a safety flag depends on: saving any other answer never needs a safety check."""

ACUTE_FLAG = "acute_suicide_risk"
"""The flag that puts emergency help first (the ASQ's "right now" question answered "yes")."""
assert ACUTE_FLAG in SAFETY_FLAGS


def safety_flags(results: Iterable[Result] | Mapping[str, Result]) -> frozenset[str]:
    """Every suicide-risk flag among these results, complete or not."""
    values = results.values() if isinstance(results, Mapping) else results
    flags: set[str] = set()
    for result in values:
        flags |= result.flags & SAFETY_FLAGS
    return frozenset(flags)


def refers(result: Result) -> bool:
    """A complete result in a band at which talking to a professional is recommended."""
    if not result.complete or result.band is None:
        return False
    instrument = INSTRUMENTS[result.instrument_id]
    return any(b.code == result.band and b.refer for b in instrument.bands)


def needs_professional_help(results: Mapping[str, Result]) -> bool:
    """The professional-help rule: any suicide-risk flag, or any result in a referral band."""
    return bool(safety_flags(results)) or any(refers(r) for r in results.values())

"""Pure safety rules: the safety gate, and which country's crisis resources a person sees (hazards H04, H12).

No Django: the check-up views, the coming API and the clinician's dashboard read the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bounceback.instruments import ACUTE_FLAG

from .crisis import is_choice

SUICIDE_RISK_FLAG = "suicide_risk"
"""The ASQ's positive screen (non-acute unless the acute flag is raised too)."""


@dataclass(frozen=True)
class SafetyState:
    """Where a check-up stands on safety, from its append-only safety events."""

    flagged: bool
    """Any suicide-risk flag was ever raised in this check-up (editing the answer back keeps it)."""
    needs_gate: bool
    """A flag was raised after the person last confirmed they are safe right now (or they never did)."""
    acute: bool
    asq_positive: bool

    def as_context(self) -> dict[str, bool]:
        return {
            "safety_flagged": self.flagged,
            "needs_gate": self.needs_gate,
            "acute": self.acute,
            "asq_positive": self.asq_positive,
        }


def safety_state(events: Iterable[tuple[str, datetime]], safe_confirmed_at: datetime | None) -> SafetyState:
    """``events`` are (flag, raised at). The gate asks "are you safe right now?" again after any later flag."""
    events = list(events)
    kinds = {kind for kind, _at in events}
    latest = max((at for _kind, at in events), default=None)
    stale_confirmation = safe_confirmed_at is None or (latest is not None and latest > safe_confirmed_at)
    return SafetyState(
        flagged=bool(kinds),
        needs_gate=bool(kinds) and stale_confirmation,
        acute=ACUTE_FLAG in kinds,
        asq_positive=SUICIDE_RISK_FLAG in kinds,
    )


def crisis_country(*, chosen: str, signed_in: bool, account: str, started_with: str, default: str) -> str:
    """The country whose crisis resources a person sees. One rule everywhere:

    1. the country they chose (on Get help now or at the start of a check-up, kept in their browser);
    2. a signed-in member: their account's country;
    3. a visitor in a check-up: the country that check-up began with;
    4. the site's default.
    """
    if is_choice(chosen):
        return chosen
    if signed_in:
        return account if is_choice(account) else default
    return started_with if is_choice(started_with) else default

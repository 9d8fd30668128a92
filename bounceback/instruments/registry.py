"""Every instrument Bounceback defines, by id, and the three calls the rest of the code uses."""

from __future__ import annotations

from dataclasses import dataclass

from .asq import ASQ
from .base import Answers, Instrument, Method, Result, score_answers
from .brs import BRS
from .evs import EVS
from .gad import GAD2, GAD7
from .phq import PHQ2, PHQ8, PHQ9
from .ptsd import PCL5, PCPTSD5
from .wellbeing import OSSS3, SWLS, UCLA3, WHO5

INSTRUMENTS: dict[str, Instrument] = {
    i.id: i for i in (BRS, PHQ9, PHQ8, PHQ2, GAD7, GAD2, PCPTSD5, PCL5, OSSS3, UCLA3, EVS, SWLS, ASQ, WHO5)
}

NOT_SHIPPED = {
    "cdrisc": "CD-RISC: proprietary, licence and fee required",
    "cssrs": "C-SSRS: electronic use exclusively licensed",
    "isi": "Insomnia Severity Index: licensed through Mapi Research Trust",
    "promis_sleep": "PROMIS Sleep Disturbance: commercial permission and HEAP required",
    "pss": "Perceived Stress Scale: commercial terms unresolved",
    "maas": "MAAS: commercial use not addressed",
}
"""Instruments deliberately not defined, for licence reasons (hazard H27)."""


def get(instrument_id: str) -> Instrument:
    """The definition of one instrument; raises KeyError naming the id and the known ids."""
    try:
        return INSTRUMENTS[instrument_id]
    except KeyError:
        raise KeyError(f"unknown instrument {instrument_id!r}; known: {', '.join(INSTRUMENTS)}") from None


def all_instruments(include_disabled: bool = True) -> list[Instrument]:
    return [i for i in INSTRUMENTS.values() if include_disabled or i.licence.enabled_by_default]


def score(instrument_id: str, answers: Answers) -> Result:
    """Score one response. See :func:`bounceback.instruments.base.score_answers`."""
    return score_answers(get(instrument_id), answers)


@dataclass(frozen=True)
class ReliableChange:
    instrument_id: str
    before: float
    after: float
    change: float
    threshold: float
    reliable: bool
    direction: str
    """"improved", "worsened" or "no_reliable_change" — by the instrument's direction of better."""
    source: str
    """Where the parameters come from, in words."""
    source_url: str


def reliable_change(instrument_id: str, before: float, after: float) -> ReliableChange:
    """Jacobson & Truax reliable change between two complete totals of the same instrument."""
    instrument = get(instrument_id)
    params = instrument.rci
    if params is None:
        raise ValueError(f"{instrument_id}: no reliable-change parameters are defined for this instrument")
    change = after - before
    threshold = params.threshold
    reliable = abs(change) > threshold
    if not reliable:
        direction = "no_reliable_change"
    elif (change > 0) == params.higher_is_better:
        direction = "improved"
    else:
        direction = "worsened"
    return ReliableChange(
        instrument_id,
        before,
        after,
        change,
        threshold,
        reliable,
        direction,
        params.source.text,
        params.source.url,
    )


def _check_definitions() -> None:
    for instrument in INSTRUMENTS.values():
        if (instrument.method is Method.CUSTOM) != (instrument.custom is not None):
            raise AssertionError(f"{instrument.id}: a custom method needs a custom scorer, and only it")


_check_definitions()

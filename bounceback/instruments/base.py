"""The vocabulary of an instrument definition, and the generic scorer.

Pure Python: no Django imports, so the library can be lifted out and tested without a database.

An instrument is declared once, as data (items, options, scoring method, bands, risk rules, licence,
citations, LOINC codes, reliable-change parameters). Instruments whose rules are not a plain sum, mean or
count (PC-PTSD-5's exposure gate, the ASQ's acuity question, the Exercise Vital Sign's product) supply a
``custom`` scoring function; everything else goes through :func:`score_answers`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

Answers = Mapping[str, object]
"""Item id → the value as answered (an int, an integral float, or None for no answer)."""


class ScoringError(ValueError):
    """An answer that is not one of the item's allowed values, or an unknown item id."""

    def __init__(self, instrument_id: str, item_id: str, message: str) -> None:
        self.instrument_id = instrument_id
        self.item_id = item_id
        super().__init__(f"{item_id}: {message}")


class Method(StrEnum):
    SUM = "sum"
    MEAN = "mean"
    COUNT = "count"  # number of items answered with a value >= 1 (yes/no screens)
    CUSTOM = "custom"


@dataclass(frozen=True)
class Source:
    """A citation: who said it and where to read it."""

    text: str
    url: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Licence:
    name: str
    terms: str
    source: Source
    commercial_use: bool
    """False when the terms exclude commercial use; such instruments are off by default."""
    attribution: str
    """Shown wherever the items are shown."""
    enabled_by_default: bool = True


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    loinc: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    options: tuple[Option, ...] = ()
    """Empty for a numeric item, whose range is min_value..max_value."""
    min_value: int = 0
    max_value: int = 0
    unit: str = ""
    scored: bool = True
    reverse: bool = False
    """Reverse-keyed: scored as (lowest + highest − value)."""
    loinc: str = ""
    prefix: str = ""
    """A lead-in the published form prints before this item (e.g. "In the past month, have you…")."""

    @property
    def allowed(self) -> tuple[int, ...]:
        if self.options:
            return tuple(o.value for o in self.options)
        return tuple(range(self.min_value, self.max_value + 1))

    @property
    def lowest(self) -> int:
        return min(self.allowed) if self.options else self.min_value

    @property
    def highest(self) -> int:
        return max(self.allowed) if self.options else self.max_value

    def allowed_text(self) -> str:
        if self.options:
            return ", ".join(str(o.value) for o in self.options)
        return f"whole numbers {self.min_value} to {self.max_value}"


@dataclass(frozen=True)
class Band:
    """A score range with a code, a plain label, and the source of its cut-offs.

    ``lower`` and ``upper`` are exact (Fractions compare mean scores such as 26/6 without rounding);
    ``lower_open``/``upper_open`` make a bound exclusive (BRS: normal is 3.00 ≤ mean ≤ 4.30, high is > 4.30).
    """

    code: str
    label: str
    lower: Fraction
    upper: Fraction
    source: Source
    lower_open: bool = False
    upper_open: bool = False
    refer: bool = False
    """A level at which talking to a professional is recommended (the professional-help rule, hazard H09)."""

    def contains(self, value: Fraction) -> bool:
        above = value > self.lower if self.lower_open else value >= self.lower
        below = value < self.upper if self.upper_open else value <= self.upper
        return above and below

    def range_text(self, decimals: int = 0) -> str:
        def fmt(x: Fraction) -> str:
            return f"{float(x):.{decimals}f}" if decimals else str(int(x))

        if self.lower_open:
            return f"above {fmt(self.lower)}"
        if self.upper_open:
            return f"below {fmt(self.upper)}"
        if self.lower == self.upper:
            return fmt(self.lower)
        return f"{fmt(self.lower)}–{fmt(self.upper)}"


def band(
    code: str, label: str, lower: float | int | str, upper: float | int | str, source: Source, **kw: bool
) -> Band:
    """Shorthand for a band with exact bounds (strings such as "4.30" are read exactly)."""
    return Band(code, label, Fraction(str(lower)), Fraction(str(upper)), source, **kw)


@dataclass(frozen=True)
class RiskRule:
    """Raise ``flag`` whenever item ``item_id`` is answered with at least ``at_least`` — whatever else is
    missing. Safety items start workflows; they never wait for a complete result."""

    flag: str
    item_ids: tuple[str, ...]
    at_least: int
    description: str


@dataclass(frozen=True)
class Gate:
    """Ask ``item_ids`` only when any of ``questions`` is answered ``operator`` ``value`` (``=`` or ``>``).

    The instrument's own follow-up rule (PC-PTSD-5's exposure question, the ASQ's acuity question, the EVS's
    minutes): the stepped check-up, the FHIR Questionnaire's enableWhen and bulk scoring all read it here.
    """

    item_ids: tuple[str, ...]
    questions: tuple[str, ...]
    operator: str
    value: int

    def opens(self, answers: Mapping[str, int | None]) -> bool:
        given = [answers.get(q) for q in self.questions]
        if self.operator == "=":
            return any(v == self.value for v in given)
        return any(v is not None and v > self.value for v in given)


@dataclass(frozen=True)
class ReliableChangeParams:
    """Jacobson & Truax (1991): threshold = 1.96 × SD × √2 × √(1 − r), in points of the total."""

    source: Source
    sd: float
    reliability: float
    higher_is_better: bool = False

    @property
    def threshold(self) -> float:
        return 1.96 * self.sd * math.sqrt(2) * math.sqrt(1 - self.reliability)


@dataclass(frozen=True)
class Result:
    instrument_id: str
    version: int
    total: int | float | None
    band: str | None
    complete: bool
    flags: frozenset[str] = frozenset()
    missing: tuple[str, ...] = ()
    exact_total: Fraction | None = None
    """The total as an exact fraction (for mean-scored instruments; equals ``total`` for sums)."""


CustomScorer = Callable[["Instrument", dict[str, int | None]], Result]


@dataclass(frozen=True)
class Instrument:
    id: str
    version: int
    title: str
    short_title: str
    measures: str
    """What it measures, in our own plain words."""
    citation: Source
    licence: Licence
    instructions: str
    """The published instructions or stem, verbatim."""
    recall_period: str
    items: tuple[Item, ...]
    method: Method
    bands: tuple[Band, ...]
    missing_rule: str
    scoring_text: str
    """How it is scored, in our own words (for the catalogue)."""
    language: str = "en"
    risk_rules: tuple[RiskRule, ...] = ()
    loinc_panel: str = ""
    loinc_total: str = ""
    loinc_note: str = ""
    rci: ReliableChangeParams | None = None
    custom: CustomScorer | None = None
    decimals: int = 0
    """Decimals to show the total with (BRS: 2)."""
    higher_is_better: bool = False
    notes: tuple[str, ...] = ()
    flag_rules: tuple[Callable[[dict[str, int | None]], frozenset[str]], ...] = field(default=())
    safety_flags: frozenset[str] = frozenset()
    """Suicide-risk flags a custom scorer raises (the ASQ); flags of ``risk_rules`` are safety flags too."""
    gates: tuple[Gate, ...] = ()

    @property
    def all_safety_flags(self) -> frozenset[str]:
        return self.safety_flags | {rule.flag for rule in self.risk_rules}

    @property
    def safety_items(self) -> frozenset[str]:
        """Items a safety flag depends on: those of the risk rules, or every item of a safety instrument."""
        if self.safety_flags:
            return frozenset(i.id for i in self.items)
        return frozenset(i for rule in self.risk_rules for i in rule.item_ids)

    def gate_for(self, item_id: str) -> Gate | None:
        return next((g for g in self.gates if item_id in g.item_ids), None)

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.scored)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def band_for(self, total: Fraction) -> Band:
        for b in self.bands:
            if b.contains(total):
                return b
        raise AssertionError(f"{self.id}: no band contains {total}")  # pragma: no cover - guarded by tests

    @property
    def min_total(self) -> Fraction:
        return self.bands[0].lower

    @property
    def max_total(self) -> Fraction:
        return self.bands[-1].upper

    def format_total(self, total: int | float | None) -> str:
        if total is None:
            return "not scored"
        return f"{total:.{self.decimals}f}" if self.decimals else str(total)


def clean_answers(instrument: Instrument, answers: Answers) -> dict[str, int | None]:
    """Validate answers against the definition: every key a known item, every value allowed.

    Integral floats (2.0) are taken as integers; anything else that is not an allowed whole number raises
    :class:`ScoringError` naming the item and the allowed values. Never coerces silently.
    """
    known = {i.id: i for i in instrument.items}
    clean: dict[str, int | None] = dict.fromkeys(known)
    for item_id, raw in answers.items():
        item = known.get(item_id)
        if item is None:
            raise ScoringError(
                instrument.id, str(item_id), f"not an item of {instrument.id} (items: {', '.join(known)})"
            )
        clean[item_id] = clean_value(instrument.id, item, raw)
    return clean


def clean_value(instrument_id: str, item: Item, raw: object) -> int | None:
    if raw is None:
        return None
    allowed = f"allowed values: {item.allowed_text()}"
    if isinstance(raw, bool) or not isinstance(raw, numbers.Real):
        raise ScoringError(instrument_id, item.id, f"{raw!r} is not a number; {allowed}")
    if isinstance(raw, numbers.Integral):
        value = int(raw)
    else:
        as_float = float(raw)
        if not math.isfinite(as_float) or not as_float.is_integer():
            raise ScoringError(instrument_id, item.id, f"{raw!r} is not a whole number; {allowed}")
        value = int(as_float)
    in_range = value in item.allowed if item.options else item.min_value <= value <= item.max_value
    if not in_range:
        raise ScoringError(instrument_id, item.id, f"{value} is out of range; {allowed}")
    return value


def risk_flags(instrument: Instrument, answers: Mapping[str, int | None]) -> frozenset[str]:
    flags = set()
    for rule in instrument.risk_rules:
        if any((answers.get(i) or 0) >= rule.at_least for i in rule.item_ids):
            flags.add(rule.flag)
    for extra in instrument.flag_rules:
        flags |= extra(dict(answers))
    return frozenset(flags)


def item_score(item: Item, value: int) -> int:
    return item.lowest + item.highest - value if item.reverse else value


def score_answers(instrument: Instrument, answers: Answers) -> Result:
    """Score one response exactly as the definition says. Missing scored items → incomplete, no total."""
    clean = clean_answers(instrument, answers)
    if instrument.custom is not None:
        return instrument.custom(instrument, clean)
    flags = risk_flags(instrument, clean)
    missing = tuple(i.id for i in instrument.scored_items if clean[i.id] is None)
    if missing:
        return Result(instrument.id, instrument.version, None, None, False, flags, missing)
    values = [item_score(i, clean[i.id] or 0) for i in instrument.scored_items]
    exact: Fraction
    total: int | float
    if instrument.method is Method.SUM:
        exact = Fraction(sum(values))
        total = sum(values)
    elif instrument.method is Method.MEAN:
        exact = Fraction(sum(values), len(values))
        total = float(exact)
    elif instrument.method is Method.COUNT:
        total = sum(1 for v in values if v >= 1)
        exact = Fraction(total)
    else:  # pragma: no cover - CUSTOM always has a scorer (checked by the registry)
        raise AssertionError(instrument.method)
    return Result(
        instrument.id,
        instrument.version,
        total,
        instrument.band_for(exact).code,
        True,
        flags,
        (),
        exact,
    )


def complete_result(instrument: Instrument, total: int, flags: frozenset[str]) -> Result:
    """A complete result for an integer total, banded by the definition (used by custom scorers)."""
    exact = Fraction(total)
    return Result(
        instrument.id, instrument.version, total, instrument.band_for(exact).code, True, flags, (), exact
    )

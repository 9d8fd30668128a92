"""Vectorised scoring of survey frames with polars, built from the instrument definitions.

Pure Python and polars: no Django. Each instrument becomes a handful of polars expressions derived from its one
definition (items and their allowed values, reverse keying, method, bands, risk rules). The three instruments
with a custom scorer (PC-PTSD-5's exposure gate, the Exercise Vital Sign's product, the ASQ's acuity question)
and the PCL-5's DSM-5 flag have vectorised twins here, kept identical to ``score()`` by property tests.

Rules kept from the single-response scorer:

* A missing scored item makes the result incomplete: no total, no band. Safety flags are raised whatever is
  missing.
* Bands compare exact values. Mean-scored instruments (BRS) compare integer item sums against the band bounds
  scaled by the number of items, never floats.
* Values are validated, never coerced: anything that is not an allowed whole number and not a declared missing
  code is an error naming the row, the column and the value.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

import polars as pl

from bounceback.instruments.base import Band, Instrument, Item, Method
from bounceback.instruments.battery import STEPS
from bounceback.instruments.ptsd import DSM5_CLUSTERS, ENDORSED_AT
from bounceback.instruments.registry import INSTRUMENTS, get

BATTERY = "battery"
RESULT_SUFFIXES = ("total", "band", "complete", "flags")
FLAG_SEPARATOR = ";"
TEMP_PREFIX = "__bounceback__"
ANSWER_TYPE = pl.Int32
"""Cleaned answers: every allowed value of every item fits, and sums of them are done in Int64."""

ColumnKind = Literal["int", "float", "text", "null"]
"""How a source column's cells are read: integers, floats, text to be parsed, or all-null."""


class BulkInputError(ValueError):
    """Input that cannot be scored. The message names the row, column and value where there is one."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.row = row
        self.column = column
        super().__init__(message)


# --- what "no answer" looks like -------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingCodes:
    """Codes that mean "no answer" (refused, don't know), besides blank cells.

    Numeric codes (7, 9, -99) match any cell with that numeric value (7, 7.0); text codes (NA, .) match a cell
    whose text, stripped of surrounding spaces, is exactly that code.
    """

    numbers: frozenset[int] = frozenset()
    texts: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, spec: str | None) -> MissingCodes:
        numbers: set[int] = set()
        texts: set[str] = set()
        for raw in (spec or "").split(","):
            token = raw.strip()
            if not token:
                continue
            number = _as_number(token)
            if number is None:
                texts.add(token)
            elif not number.is_integer():
                raise BulkInputError(f"--missing-values: {token!r} is not a whole number")
            else:
                numbers.add(int(number))
        return cls(frozenset(numbers), frozenset(texts))

    def describe(self) -> str:
        codes = [str(n) for n in sorted(self.numbers)] + sorted(self.texts)
        return ", ".join(codes) if codes else "none"


def _as_number(token: str) -> float | None:
    try:
        value = float(token)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# --- which instruments, which columns ------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """One instrument to score, and the input column that holds each of its items."""

    instrument: Instrument
    sources: dict[str, str]
    """Item id → input column, for every item present (required items always are)."""

    def result_column(self, suffix: str) -> str:
        return f"{self.instrument.id}_{suffix}"

    @property
    def result_columns(self) -> tuple[str, ...]:
        return tuple(self.result_column(s) for s in RESULT_SUFFIXES)


def required_items(instrument: Instrument) -> tuple[Item, ...]:
    """Items that must have a column: every item the scorer reads.

    An unscored item of a plain sum/mean/count (PHQ-9 item 10, the difficulty question) is optional; the
    unscored PC-PTSD-5 exposure question is read by its custom scorer, so it is required.
    """
    return tuple(i for i in instrument.items if i.scored or instrument.custom is not None)


# Battery shorthands: the check-up asks the PHQ-2 and GAD-2 as items 1-2 of the long forms (battery.STEPS).
_SHORT_FORMS: dict[str, str] = {s.id: s.instrument_id for s in STEPS if s.id in ("phq2", "gad2")}


def plan_scoring(
    instrument_ids: Sequence[str], columns: Sequence[str], mapping: Mapping[str, str], missing: MissingCodes
) -> list[Plan]:
    """Decide what to score and from which columns; every mistake in the request is a BulkInputError."""
    if not instrument_ids:
        raise BulkInputError("name at least one --instrument (an instrument id, or 'battery')")
    present = set(columns)
    by_item = _items_by_column(columns, mapping)
    if BATTERY in instrument_ids:
        if len(instrument_ids) > 1:
            raise BulkInputError(
                "--instrument battery already scores every instrument it finds; use it alone"
            )
        plans = _battery_plans(by_item)
    else:
        plans = [_plan(_instrument(i), by_item) for i in dict.fromkeys(instrument_ids)]
    _check_mapping_used(mapping, plans)
    for plan in plans:
        _check_missing_codes(plan, missing)
        for column in plan.result_columns:
            if column in present:
                raise BulkInputError(f"the input already has a column {column!r}; rename it before scoring")
    return plans


def _instrument(instrument_id: str) -> Instrument:
    try:
        return get(instrument_id)
    except KeyError as error:
        raise BulkInputError(f"--instrument: {error.args[0]}, or 'battery'") from None


def _items_by_column(columns: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """Item id → input column: mapped columns, then columns already named by an item id."""
    known_items = {item.id for instrument in INSTRUMENTS.values() for item in instrument.items}
    present = set(columns)
    by_item: dict[str, str] = {}
    for source, item_id in mapping.items():
        if source not in present:
            raise BulkInputError(
                f"--map {source}={item_id}: the input has no column {source!r} (columns: {_list(columns)})"
            )
        if item_id not in known_items:
            raise BulkInputError(f"--map {source}={item_id}: {item_id!r} is not an item id of any instrument")
        if item_id in by_item:
            raise BulkInputError(
                f"--map: item {item_id} is mapped from both {by_item[item_id]!r} and {source!r}"
            )
        if item_id in present and item_id != source:
            raise BulkInputError(
                f"--map {source}={item_id}: the input also has a column named {item_id!r}; "
                "which one holds the item is ambiguous"
            )
        by_item[item_id] = source
    for column in columns:
        if column in known_items and column not in by_item and column not in mapping:
            by_item[column] = column
    return by_item


def _plan(instrument: Instrument, by_item: Mapping[str, str], source_prefix: str | None = None) -> Plan:
    def source_of(item: Item) -> str | None:
        if source_prefix is not None:
            return by_item.get(f"{source_prefix}_{item.id.rsplit('_', 1)[1]}")
        return by_item.get(item.id)

    sources = {item.id: s for item in instrument.items if (s := source_of(item)) is not None}
    absent = [item.id for item in required_items(instrument) if item.id not in sources]
    if absent:
        raise BulkInputError(
            f"{instrument.id}: no column for item(s) {', '.join(absent)}; name the columns by item id or use "
            f"--map SOURCE=ITEM (e.g. --map Q1={required_items(instrument)[0].id})"
        )
    return Plan(instrument, sources)


def _battery_plans(by_item: Mapping[str, str]) -> list[Plan]:
    plans: list[Plan] = []
    for instrument in INSTRUMENTS.values():
        required = [i.id for i in required_items(instrument)]
        found = [i for i in required if i in by_item]
        if found and len(found) < len(required):
            absent = ", ".join(i for i in required if i not in by_item)
            raise BulkInputError(
                f"battery: the input has some items of {instrument.id} but no column for {absent}; add or map "
                "them, or name the instruments to score with --instrument"
            )
        if found:
            plans.append(_plan(instrument, by_item))
        elif instrument.id in _SHORT_FORMS:
            long_form = _SHORT_FORMS[instrument.id]
            if all(f"{long_form}_{n}" in by_item for n in (1, 2)):
                plans.append(_plan(instrument, by_item, source_prefix=long_form))
    if not plans:
        raise BulkInputError("battery: no instrument has all its item columns in the input")
    return plans


def _check_mapping_used(mapping: Mapping[str, str], plans: Sequence[Plan]) -> None:
    scored = {item_id for plan in plans for item_id in plan.sources}
    for source, item_id in mapping.items():
        if item_id not in scored:
            raise BulkInputError(
                f"--map {source}={item_id}: {item_id} is not an item of the instrument(s) being scored "
                f"({', '.join(p.instrument.id for p in plans)})"
            )


def _check_missing_codes(plan: Plan, missing: MissingCodes) -> None:
    for item in plan.instrument.items:
        clash = sorted(n for n in missing.numbers if _allows(item, n))
        if item.id in plan.sources and clash:
            raise BulkInputError(
                f"--missing-values {clash[0]}: {clash[0]} is a valid answer to {item.id} "
                f"(allowed values: {item.allowed_text()}), so it cannot also mean 'no answer'"
            )


def _allows(item: Item, value: int) -> bool:
    return value in item.allowed if item.options else item.min_value <= value <= item.max_value


def _list(names: Iterable[str], limit: int = 12) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f", … ({len(names)} in all)" if len(names) > limit else "")


# --- reading cells ---------------------------------------------------------------------------------------


def column_kind(dtype: pl.DataType) -> ColumnKind:
    """How cells of this dtype are read; a BulkInputError for dtypes that cannot hold answers."""
    if dtype.is_integer():
        return "int"
    if dtype.is_float() or dtype.is_decimal():
        return "float"
    if dtype == pl.String:
        return "text"
    if dtype == pl.Null:
        return "null"
    raise BulkInputError(f"holds {dtype} values, not numbers")


@dataclass(frozen=True)
class Cell:
    """The expressions that read one source column as an item: its number, and what is wrong with it."""

    number: pl.Expr
    """Null for a blank cell, a text missing code or a cell that is not a number; the column itself for
    integer columns (no rounding question arises), Float64 otherwise."""
    integral: bool
    not_a_number: pl.Expr | None
    is_missing_code: pl.Expr | None


def read_cell(column: str, kind: ColumnKind, missing: MissingCodes) -> Cell:
    col = pl.col(column)
    numbers = sorted(missing.numbers)
    if kind == "text":
        text = col.str.strip_chars()
        blank = text.is_null() | (text == "")
        text_code = text.is_in(sorted(missing.texts)) if missing.texts else None
        parsed = text.cast(pl.Float64, strict=False)
        answered = ~blank if text_code is None else ~blank & ~text_code
        not_a_number = (answered & parsed.is_null()).fill_null(False)
        code = parsed.is_in([float(n) for n in numbers]) if numbers else None
        if text_code is not None:
            code = text_code if code is None else text_code | code
        value: pl.Expr = pl.when(answered).then(parsed)
        return Cell(value, False, not_a_number, None if code is None else code.fill_null(False))
    if kind == "null":
        return Cell(pl.lit(None, pl.Int64), True, None, None)
    if kind == "int":  # compared in its own integer type: no copy, no rounding question
        return Cell(col, True, None, col.is_in(numbers).fill_null(False) if numbers else None)
    number = col.cast(pl.Float64)
    code = number.is_in([float(n) for n in numbers]).fill_null(False) if numbers else None
    return Cell(number, False, None, code)


def item_value(item: Item, cell: Cell) -> pl.Expr:
    """The item's answer as Int32: null when blank or a missing code. Invalid cells are also null here; call
    :func:`item_problem` first, which finds them."""
    if cell.integral:
        return pl.when(_valid(item, cell)).then(cell.number.cast(ANSWER_TYPE))
    return pl.when(_valid(item, cell)).then(cell.number.cast(ANSWER_TYPE, strict=False))


def item_problem(item: Item, cell: Cell) -> pl.Expr:
    """True where the cell holds something that is neither an allowed value nor a declared missing code."""
    invalid = cell.number.is_not_null() & ~_valid(item, cell)
    if cell.is_missing_code is not None:
        invalid = invalid & ~cell.is_missing_code
    if cell.not_a_number is not None:
        invalid = cell.not_a_number | invalid
    return invalid.fill_null(True)


def _valid(item: Item, cell: Cell) -> pl.Expr:
    number = cell.number
    allowed = sorted(item.allowed) if item.options else list(range(item.min_value, item.max_value + 1))
    contiguous = allowed == list(range(allowed[0], allowed[-1] + 1))
    if cell.integral:
        return number.is_between(allowed[0], allowed[-1]) if contiguous else number.is_in(allowed)
    if contiguous:
        in_range = number.is_between(float(allowed[0]), float(allowed[-1]))
    else:
        in_range = number.is_in([float(v) for v in allowed])
    return in_range & (number == number.floor())


def describe_problem(item: Item, raw: object, missing: MissingCodes) -> str:
    """Why one cell is invalid, in words, naming the value (the error for the first bad cell found)."""
    allowed = f"allowed values: {item.allowed_text()}; declared missing codes: {missing.describe()}"
    hint = (
        ""
        if missing.numbers or missing.texts
        else " (declare codes that mean 'no answer' with --missing-values)"
    )
    if isinstance(raw, str):
        number = _as_number(raw.strip())
        shown = repr(raw)
        if number is None:
            return f"{shown} is not a number; {allowed}{hint}"
    elif isinstance(raw, int | float):
        number = float(raw)
        shown = repr(raw) if isinstance(raw, int) else format(raw, "g")
        if not math.isfinite(number):
            return f"{shown} is not a whole number; {allowed}"
    else:
        return f"{raw!r} is not a number; {allowed}"
    if not number.is_integer():
        return f"{shown} is not a whole number; {allowed}"
    return f"{shown} is out of range; {allowed}{hint}"


# --- scoring expressions -------------------------------------------------------------------------------


def temp_name(item_id: str) -> str:
    return f"{TEMP_PREFIX}{item_id}"


def v(item_id: str) -> pl.Expr:
    """The cleaned answer to one item (Int32, null when missing), once :func:`cleaned_columns` ran."""
    return pl.col(temp_name(item_id))


def cleaned_columns(plan: Plan, kinds: Mapping[str, ColumnKind], missing: MissingCodes) -> list[pl.Expr]:
    """Int32 answers for every item of the instrument (all-null for an absent optional item)."""
    exprs = []
    for item in plan.instrument.items:
        source = plan.sources.get(item.id)
        if source is None:
            exprs.append(pl.lit(None, ANSWER_TYPE).alias(temp_name(item.id)))
        else:
            exprs.append(
                item_value(item, read_cell(source, kinds[source], missing)).alias(temp_name(item.id))
            )
    return exprs


@dataclass(frozen=True)
class Scored:
    """An instrument's result as expressions over the cleaned answers."""

    total: pl.Expr
    band: pl.Expr
    complete: pl.Expr
    flags: list[tuple[str, pl.Expr]] = field(default_factory=list)


def _answered(item_ids: Iterable[str]) -> pl.Expr:
    return pl.all_horizontal([v(i).is_not_null() for i in item_ids])


def _band_expr(bands: Sequence[Band], numerator: pl.Expr, possible: range, denominator: int = 1) -> pl.Expr:
    """The first band containing numerator/denominator, as band_for() finds it, for every possible numerator.

    The table is computed once from the definition with exact fractions, then applied as a lookup (polars'
    nested when/then is an order of magnitude slower).
    """
    table: dict[int, str] = {}
    for k in possible:
        value = Fraction(k, denominator)
        code = next((b.code for b in bands if b.contains(value)), None)
        if code is not None:
            table[k] = code
    return numerator.replace_strict(table, default=None, return_dtype=pl.String)


def _item_score(item: Item) -> pl.Expr:
    return (item.lowest + item.highest - v(item.id)) if item.reverse else v(item.id)


def _generic(instrument: Instrument) -> Scored:
    scored = instrument.scored_items
    complete = _answered(i.id for i in scored)
    if instrument.method is Method.COUNT:
        raw = pl.sum_horizontal([(v(i.id) >= 1).cast(pl.Int64) for i in scored])
    else:
        raw = pl.sum_horizontal([_item_score(i).cast(pl.Int64) for i in scored])
    points = pl.when(complete).then(raw)
    if instrument.method is Method.MEAN:
        # The mean as score() gives it, float(Fraction(sum, n)): polars divides by a constant as a
        # multiplication by its reciprocal, which can differ in the last bit (20/6), so look it up instead.
        n = len(scored)
        sums = range(sum(i.lowest for i in scored), sum(i.highest for i in scored) + 1)
        means = {s: float(Fraction(s, n)) for s in sums}
        mean = points.replace_strict(means, default=None, return_dtype=pl.Float64)
        return Scored(mean, _band_expr(instrument.bands, points, sums, n), complete)
    if instrument.method is Method.COUNT:
        return Scored(points, _band_expr(instrument.bands, points, range(len(scored) + 1)), complete)
    sums = range(sum(i.lowest for i in scored), sum(i.highest for i in scored) + 1)
    return Scored(points, _band_expr(instrument.bands, points, sums), complete)


def _risk_flags(instrument: Instrument) -> list[tuple[str, pl.Expr]]:
    return [
        (rule.flag, pl.any_horizontal([v(i).fill_null(0) >= rule.at_least for i in rule.item_ids]))
        for rule in instrument.risk_rules
    ]


def _pcptsd5(instrument: Instrument) -> Scored:
    exposure = v("pcptsd5_exposure")
    items = [f"pcptsd5_{n}" for n in range(1, 6)]
    complete = (exposure == 0) | ((exposure == 1) & _answered(items))
    points = (
        pl.when(exposure == 0)
        .then(pl.lit(0, pl.Int64))
        .when(complete)
        .then(pl.sum_horizontal([v(i).cast(pl.Int64) for i in items]))
    )
    return Scored(
        points, _band_expr(instrument.bands, points, range(len(items) + 1)), complete.fill_null(False)
    )


def _evs(instrument: Instrument) -> Scored:
    days, minutes = v("evs_days"), v("evs_minutes")
    complete = (days == 0) | (days.is_not_null() & minutes.is_not_null())
    points = pl.when(days == 0).then(pl.lit(0, pl.Int64)).when(complete).then(days.cast(pl.Int64) * minutes)
    most = instrument.item("evs_days").max_value * instrument.item("evs_minutes").max_value
    return Scored(points, _band_expr(instrument.bands, points, range(most + 1)), complete.fill_null(False))


def _asq(instrument: Instrument) -> Scored:
    (gate,) = instrument.gates  # the acuity question, asked after any "yes" to the screening questions
    screen_items = gate.questions
    screen = [v(i) for i in screen_items]
    (acuity_item,) = gate.item_ids
    acuity = v(acuity_item)
    any_yes = pl.any_horizontal([(s == 1).fill_null(False) for s in screen])
    acute = (acuity == 1).fill_null(False)
    complete = _answered(screen_items) & (~any_yes | acuity.is_not_null())
    points = pl.when(complete).then(pl.sum_horizontal([s.cast(pl.Int64) for s in screen]))
    band = (
        pl.when(~complete)
        .then(None)
        .when(acute)
        .then(pl.lit("acute_positive"))
        .when(points == 0)
        .then(pl.lit("negative"))
        .otherwise(pl.lit("non_acute_positive"))
    )
    return Scored(points, band, complete, [("suicide_risk", any_yes), ("acute_suicide_risk", acute)])


def _pcl5_dsm5() -> list[tuple[str, pl.Expr]]:
    clusters = [
        pl.sum_horizontal([(v(f"pcl5_{n}").fill_null(0) >= ENDORSED_AT).cast(pl.Int64) for n in numbers])
        >= needed
        for _name, numbers, needed in DSM5_CLUSTERS
    ]
    return [("dsm5_criteria_met", pl.all_horizontal(clusters))]


CUSTOM_SCORERS: dict[str, Callable[[Instrument], Scored]] = {"pcptsd5": _pcptsd5, "evs": _evs, "asq": _asq}
"""Vectorised twins of the definitions' custom scorers, by instrument id."""

EXTRA_FLAGS: dict[str, Callable[[], list[tuple[str, pl.Expr]]]] = {"pcl5": _pcl5_dsm5}
"""Vectorised twins of the definitions' ``flag_rules``, by instrument id."""


def scored(instrument: Instrument) -> Scored:
    """The result expressions for one instrument (over columns made by :func:`cleaned_columns`)."""
    if instrument.custom is not None:
        twin = CUSTOM_SCORERS.get(instrument.id)
        if twin is None:
            raise NotImplementedError(
                f"{instrument.id}: a custom scorer without a vectorised twin in bulk.py"
            )
        result = twin(instrument)
    else:
        result = _generic(instrument)
    flags = [*result.flags, *_risk_flags(instrument)]
    if instrument.flag_rules:
        extra = EXTRA_FLAGS.get(instrument.id)
        if extra is None:
            raise NotImplementedError(f"{instrument.id}: flag rules without a vectorised twin in bulk.py")
        flags += extra()
    return Scored(result.total, result.band, result.complete, flags)


def result_columns(plan: Plan) -> list[pl.Expr]:
    """``<id>_total``, ``<id>_band``, ``<id>_complete`` and ``<id>_flags`` (codes sorted, joined by ';').

    Bands and flag sets are Enum columns (their possible values are known from the definition): they write
    as the same text, and the summary counts them without hashing strings.
    """
    result = scored(plan.instrument)
    flags = sorted(result.flags, key=lambda pair: pair[0])
    if not flags:
        joined = pl.lit("")
    elif len(flags) == 1:
        joined = pl.when(flags[0][1]).then(pl.lit(flags[0][0])).otherwise(pl.lit(""))
    else:
        parts = [pl.when(e).then(pl.lit(code)) for code, e in flags]
        joined = pl.concat_str(parts, separator=FLAG_SEPARATOR, ignore_nulls=True).fill_null("")
    flag_sets = sorted(
        FLAG_SEPARATOR.join(code for code, _e in combo)
        for size in range(len(flags) + 1)
        for combo in itertools.combinations(flags, size)
    )
    bands = pl.Enum(list(dict.fromkeys(b.code for b in plan.instrument.bands)))
    total = result.total.cast(pl.Float64 if plan.instrument.method is Method.MEAN else pl.Int64)
    return [
        total.alias(plan.result_column("total")),
        result.band.cast(bands).alias(plan.result_column("band")),
        result.complete.alias(plan.result_column("complete")),
        joined.cast(pl.Enum(flag_sets)).alias(plan.result_column("flags")),
    ]


# --- a whole frame -------------------------------------------------------------------------------------


def source_kinds(schema: Mapping[str, pl.DataType], plans: Sequence[Plan]) -> dict[str, ColumnKind]:
    kinds: dict[str, ColumnKind] = {}
    for plan in plans:
        for item_id, source in plan.sources.items():
            try:
                kinds[source] = column_kind(schema[source])
            except BulkInputError as error:
                raise BulkInputError(f"column {source} ({item_id}) {error}", column=source) from None
    return kinds


def _left_out(item: Item, cell: Cell) -> pl.Expr:
    """A quick test over the cleaned answers: a cell that held something, yet gave no answer and is not a
    missing code, is invalid (what :func:`item_problem` finds, cheaper once the answers are cleaned)."""
    left_out = cell.number.is_not_null() & v(item.id).is_null()
    if cell.is_missing_code is not None:
        left_out = left_out & ~cell.is_missing_code
    if cell.not_a_number is not None:
        left_out = cell.not_a_number | left_out
    return left_out.fill_null(True)


class FrameScorer:
    """Validates and scores frames (batches of one file) with expressions built once, from the definitions."""

    def __init__(self, plans: Sequence[Plan], missing: MissingCodes, kinds: Mapping[str, ColumnKind]) -> None:
        self.plans = list(plans)
        self.missing = missing
        self.checks: list[tuple[Item, str]] = [
            (plan.instrument.item(item_id), source)
            for plan in plans
            for item_id, source in plan.sources.items()
        ]
        self.problems = [item_problem(item, read_cell(s, kinds[s], missing)) for item, s in self.checks]
        self.temps = [expr for plan in plans for expr in cleaned_columns(plan, kinds, missing)]
        self.row_problem = pl.any_horizontal(
            [_left_out(item, read_cell(s, kinds[s], missing)) for item, s in self.checks] or [pl.lit(False)]
        ).alias(f"{TEMP_PREFIX}problem")
        self.results = [expr for plan in plans for expr in result_columns(plan)]
        self.outputs = [c for plan in plans for c in plan.result_columns]

    def find_problem(self, frame: pl.DataFrame, offset: int = 0) -> BulkInputError | None:
        """The first invalid cell of the frame (earliest row, then leftmost column) as an error, or None.

        ``offset`` is the number of data rows before this frame, so the error gives the row number in the file.
        """
        if not self.checks or frame.height == 0:
            return None
        anywhere = pl.any_horizontal(self.problems)
        row, found = frame.select(anywhere.arg_max().alias("row"), anywhere.any().alias("found")).row(0)
        if not found:
            return None
        order = {name: n for n, name in enumerate(frame.columns)}
        flagged = frame.slice(row, 1).select([p.alias(str(n)) for n, p in enumerate(self.problems)]).row(0)
        candidates = [check for check, bad in zip(self.checks, flagged, strict=True) if bad]
        item, source = min(candidates, key=lambda check: order[check[1]])
        raw = frame.item(row, source)
        number = offset + row + 1
        label = source if source == item.id else f"{source} ({item.id})"
        return BulkInputError(
            f"row {number}, column {label}: {describe_problem(item, raw, self.missing)}",
            row=number,
            column=source,
        )

    def score(self, frame: pl.DataFrame, offset: int = 0) -> pl.DataFrame:
        """The frame with every column kept and four result columns per plan appended; raises on bad input."""
        cleaned = frame.with_columns(self.temps)
        if cleaned.select(self.row_problem.any()).item():
            problem = self.find_problem(frame, offset)
            assert problem is not None
            raise problem
        return cleaned.with_columns(self.results).select([*frame.columns, *self.outputs])


def score_frame(
    frame: pl.DataFrame,
    plans: Sequence[Plan],
    missing: MissingCodes,
    kinds: Mapping[str, ColumnKind] | None = None,
    offset: int = 0,
) -> pl.DataFrame:
    """Score one in-memory frame (see :class:`FrameScorer`); raises BulkInputError on bad input."""
    kinds = dict(kinds) if kinds is not None else source_kinds(frame.schema, plans)
    return FrameScorer(plans, missing, kinds).score(frame, offset)

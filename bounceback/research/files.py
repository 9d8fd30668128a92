"""Score a survey file (CSV or Parquet) into a new file, in batches, atomically; and summarise the results.

Pure Python and polars: no Django (the ``score`` management command is a thin wrapper).

* The input is read in batches (``collect_batches``), so memory stays bounded whatever the file's size, and a
  bad cell stops the run at the batch that holds it.
* CSV columns that are not items are read and written back as text, unchanged (identifiers keep their leading
  zeros). Item columns are first read as integers; a file whose items are written otherwise (``1.0``, ``NA``,
  spaces) is read again with its items as text, which gives exactly the same results, only slower.
* The output is written to a temporary file beside the destination and renamed over it only when every row
  is scored: a failure leaves nothing behind.
"""

from __future__ import annotations

import csv
import math
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

import polars as pl

from .bulk import BulkInputError, ColumnKind, FrameScorer, MissingCodes, Plan, plan_scoring, source_kinds

Format = Literal["csv", "parquet"]
FORMATS: dict[str, Format] = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
BATCH_CELLS = 10_000_000
"""Cells per batch (input columns, cleaned answers and results): bounds memory whatever the file's width."""
Progress = Callable[[int, int | None], None]
"""Called after each batch with the rows done so far and the (estimated) rows in all, if known."""


def file_format(path: Path, role: str) -> Format:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BulkInputError(
            f"{role} {path}: use a .csv or .parquet file (the format is taken from the extension)"
        )
    return fmt


@dataclass(frozen=True)
class Request:
    input: Path
    output: Path
    instruments: Sequence[str]
    mapping: dict[str, str] = field(default_factory=dict)
    missing: MissingCodes = field(default_factory=MissingCodes)
    weight: str | None = None
    batch_rows: int | None = None
    """Rows per batch; by default as many as keep a batch near BATCH_CELLS cells (50,000 to 250,000)."""


@dataclass
class InstrumentSummary:
    instrument_id: str
    band_order: tuple[str, ...]
    rows: int = 0
    complete: int = 0
    bands: dict[str, int] = field(default_factory=dict)
    weighted_bands: dict[str, float] = field(default_factory=dict)
    weight_complete: float = 0.0
    flagged_rows: int = 0
    flags: dict[str, int] = field(default_factory=dict)
    total_sum: float = 0.0
    total_squares: float = 0.0

    @property
    def incomplete(self) -> int:
        return self.rows - self.complete

    @property
    def mean(self) -> float | None:
        return self.total_sum / self.complete if self.complete else None

    @property
    def sd(self) -> float | None:
        if self.complete < 2:
            return None
        variance = (self.total_squares - self.total_sum**2 / self.complete) / (self.complete - 1)
        return math.sqrt(max(variance, 0.0))


@dataclass
class Summary:
    rows: int
    instruments: list[InstrumentSummary]
    weight: str | None
    read_items_as_text: bool


def score_file(request: Request, progress: Progress | None = None) -> Summary:
    """Score ``request.input`` into ``request.output``; raises BulkInputError (nothing written) on bad input."""
    in_format = file_format(request.input, "INPUT")
    out_format = file_format(request.output, "OUTPUT")
    _check_paths(request)
    columns = _header(request.input, in_format)
    plans = plan_scoring(request.instruments, columns, request.mapping, request.missing)
    if request.weight is not None and request.weight not in columns:
        raise BulkInputError(
            f"--weight: the input has no column {request.weight!r} (columns: {', '.join(columns)})"
        )
    expected = _estimate_rows(request.input, in_format)
    if in_format == "parquet":
        try:
            return _run(request, plans, _scan_parquet(request.input), out_format, False, expected, progress)
        except pl.exceptions.PolarsError as error:
            raise BulkInputError(
                f"INPUT {request.input}: cannot be read as Parquet: {_first_line(error)}"
            ) from None
    try:
        frame = _scan_csv(request.input, columns, plans, request.weight, typed=True)
        return _run(request, plans, frame, out_format, False, expected, progress)
    except pl.exceptions.PolarsError:
        pass  # items not written as plain integers (1.0, NA, a stray word): read them as text, the exact path
    try:
        frame = _scan_csv(request.input, columns, plans, request.weight, typed=False)
        return _run(request, plans, frame, out_format, True, expected, progress)
    except pl.exceptions.PolarsError as error:
        where = _locate_csv_problem(request.input, len(columns))
        raise BulkInputError(
            f"INPUT {request.input}: cannot be read as CSV: {where or _first_line(error)}"
        ) from None


def _locate_csv_problem(path: Path, width: int) -> str | None:
    """The first line that is not UTF-8 or has the wrong number of fields (for the error message only)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle):
            try:
                line = raw.decode("utf-8-sig" if number == 0 else "utf-8")
            except UnicodeDecodeError:
                return f"row {number} (line {number + 1}) is not UTF-8 text; save the file as UTF-8 CSV"
            fields = next(csv.reader([line]), [])
            if number and fields and len(fields) != width:
                return (
                    f"row {number} (line {number + 1}) has {len(fields)} fields, but the header has {width}"
                )
    return None


def _check_paths(request: Request) -> None:
    if not request.input.is_file():
        raise BulkInputError(f"INPUT {request.input}: no such file")
    if not request.output.parent.is_dir():
        raise BulkInputError(f"OUTPUT {request.output}: the folder {request.output.parent} does not exist")
    if request.output.exists() and request.output.resolve() == request.input.resolve():
        raise BulkInputError("OUTPUT is the INPUT file: write the results to a new file")


def _header(path: Path, fmt: Format) -> list[str]:
    try:
        if fmt == "parquet":
            return pl.scan_parquet(path).collect_schema().names()
        names = pl.scan_csv(path, infer_schema=False).collect_schema().names()
    except pl.exceptions.NoDataError:
        raise BulkInputError(f"INPUT {path}: the file is empty (not even a header row)") from None
    except (pl.exceptions.PolarsError, OSError) as error:
        raise BulkInputError(f"INPUT {path}: cannot be read as {fmt.upper()}: {_first_line(error)}") from None
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        header = next(csv.reader(handle), [])
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise BulkInputError(
            f"INPUT {path}: the header names column(s) {', '.join(map(repr, twice))} more than once"
        )
    return names


def _scan_csv(
    path: Path, columns: Sequence[str], plans: Sequence[Plan], weight: str | None, typed: bool
) -> pl.LazyFrame:
    items = {source for plan in plans for source in plan.sources.values()}
    schema: dict[str, pl.DataType] = {}
    for column in columns:
        if typed and column in items:
            schema[column] = pl.Int16()  # every allowed value fits; anything larger is invalid anyway
        elif typed and column == weight:
            schema[column] = pl.Float64()
        else:
            schema[column] = pl.String()
    return pl.scan_csv(path, schema=schema, has_header=True)


def _scan_parquet(path: Path) -> pl.LazyFrame:
    return pl.scan_parquet(path)


def _estimate_rows(path: Path, fmt: Format) -> int | None:
    try:
        if fmt == "parquet":
            return int(pl.scan_parquet(path).select(pl.len()).collect().item())
        size = path.stat().st_size
        with path.open("rb") as handle:
            sample = handle.read(1 << 20)
        lines = sample.count(b"\n")
        if len(sample) == size:
            return max(lines - 1 + (0 if sample.endswith(b"\n") else 1), 0)
        return int(size / (len(sample) / lines)) if lines else None
    except (OSError, pl.exceptions.PolarsError):  # pragma: no cover - the header was readable a moment ago
        return None


def _run(
    request: Request,
    plans: Sequence[Plan],
    frame: pl.LazyFrame,
    out_format: Format,
    as_text: bool,
    expected: int | None,
    progress: Progress | None,
) -> Summary:
    schema = frame.collect_schema()
    scorer = FrameScorer(plans, request.missing, source_kinds(schema, plans))
    weight_kind = _weight_kind(schema, request.weight)
    summaries = [InstrumentSummary(p.instrument.id, tuple(b.code for b in p.instrument.bands)) for p in plans]
    rows = 0
    with _atomic(request.output) as handle, _Background(_writer(out_format, handle)) as writer:
        for batch in frame.collect_batches(chunk_size=request.batch_rows or _batch_rows(schema, plans)):
            scored = scorer.score(batch, offset=rows)
            weights = _weights(batch, request.weight, weight_kind, request.missing, rows)
            writer.write(scored)  # in a second thread, while the next batch is read and scored
            _accumulate(summaries, plans, scored, weights)
            rows += batch.height
            if progress is not None:
                progress(rows, expected)
        if rows == 0:
            writer.write(scorer.score(pl.DataFrame(schema=schema)))
    return Summary(rows, summaries, request.weight, as_text)


def _batch_rows(schema: pl.Schema, plans: Sequence[Plan]) -> int:
    width = len(schema) + sum(2 * len(p.instrument.items) + len(p.result_columns) for p in plans)
    return max(50_000, min(250_000, BATCH_CELLS // width))


# --- weights ---------------------------------------------------------------------------------------------


def _weight_kind(schema: pl.Schema, weight: str | None) -> ColumnKind | None:
    if weight is None:
        return None
    dtype = schema[weight]
    if dtype.is_integer() or dtype.is_float() or dtype.is_decimal():
        return "float"
    if dtype == pl.String:
        return "text"
    raise BulkInputError(f"--weight {weight}: the column holds {dtype} values, not numbers")


def _weights(
    batch: pl.DataFrame, weight: str | None, kind: ColumnKind | None, missing: MissingCodes, offset: int
) -> pl.Series | None:
    if weight is None:
        return None
    col = pl.col(weight)
    number = col.str.strip_chars().cast(pl.Float64, strict=False) if kind == "text" else col.cast(pl.Float64)
    values = batch.select(number.alias("w")).to_series()
    bad = (values.is_null() | ~values.is_finite() | (values < 0)).fill_null(True)
    if bad.any():
        row = int(bad.arg_max() or 0)
        raw = batch.item(row, weight)
        raise BulkInputError(
            f"row {offset + row + 1}, column {weight}: {raw!r} is not a usable survey weight "
            "(every row needs a number of 0 or more)",
            row=offset + row + 1,
            column=weight,
        )
    return values


# --- summary ---------------------------------------------------------------------------------------------


def _accumulate(
    summaries: Sequence[InstrumentSummary],
    plans: Sequence[Plan],
    scored: pl.DataFrame,
    weights: pl.Series | None,
) -> None:
    aggregates = []
    for n, plan in enumerate(plans):
        values = pl.col(plan.result_column("total")).cast(pl.Float64)
        aggregates += [
            pl.col(plan.result_column("complete")).sum().alias(f"done{n}"),
            values.sum().alias(f"sum{n}"),
            (values * values).sum().alias(f"squares{n}"),
        ]
    totals = scored.select(aggregates).row(0)
    for n, (plan, summary) in enumerate(zip(plans, summaries, strict=True)):
        done, total_sum, squares = totals[3 * n : 3 * n + 3]
        summary.rows += scored.height
        summary.complete += int(done)
        summary.total_sum += float(total_sum or 0)
        summary.total_squares += float(squares or 0)
        _count_bands(summary, scored.get_column(plan.result_column("band")), weights)
        for joined, count in scored.get_column(plan.result_column("flags")).value_counts().iter_rows():
            if joined:  # few distinct flag sets: split them here, not per row
                summary.flagged_rows += count
                for code in joined.split(";"):
                    summary.flags[code] = summary.flags.get(code, 0) + count


def _count_bands(summary: InstrumentSummary, bands: pl.Series, weights: pl.Series | None) -> None:
    if weights is None:
        for code, n in bands.value_counts().iter_rows():
            if code is not None:
                summary.bands[code] = summary.bands.get(code, 0) + n
        return
    frame = pl.DataFrame({"band": bands, "weight": weights})
    grouped = frame.group_by("band").agg(pl.len().alias("n"), pl.col("weight").sum().alias("w"))
    for code, n, w in grouped.iter_rows():
        if code is not None:
            summary.bands[code] = summary.bands.get(code, 0) + n
            summary.weighted_bands[code] = summary.weighted_bands.get(code, 0.0) + w
            summary.weight_complete += w


def format_summary(summary: Summary) -> str:
    """The run's summary as plain text (for stderr): counts, bands, flags; weighted shares with --weight."""
    lines = [f"{summary.rows} rows scored"]
    for item in summary.instruments:
        lines.append("")
        lines.append(
            f"{item.instrument_id}: {item.rows} rows, {item.complete} complete, {item.incomplete} incomplete"
        )
        if item.mean is not None:
            sd = "" if item.sd is None else f", SD {item.sd:.3f}"
            lines.append(f"  total (complete rows): mean {item.mean:.3f}{sd}")
        lines.extend(_band_table(item, summary.weight))
        flags = ", ".join(f"{code} {n}" for code, n in sorted(item.flags.items()))
        lines.append(f"  flagged rows: {item.flagged_rows}" + (f" ({flags})" if flags else ""))
    return "\n".join(lines)


def _band_table(item: InstrumentSummary, weight: str | None) -> list[str]:
    if not item.complete:
        return ["  no complete rows, so no bands"]
    header = f"  {'band':<24}{'n':>9}{'%':>8}{'% this band or above':>22}"
    if weight is not None:
        header += f"{'weighted %':>12}{'weighted % this band or above':>31}"
    lines = [header]
    for n, code in enumerate(item.band_order):
        count = item.bands.get(code, 0)
        above = sum(item.bands.get(c, 0) for c in item.band_order[n:])
        line = (
            f"  {code:<24}{count:>9}{100 * count / item.complete:>8.2f}{100 * above / item.complete:>22.2f}"
        )
        if weight is not None and item.weight_complete > 0:
            share = item.weighted_bands.get(code, 0.0) / item.weight_complete
            share_above = (
                sum(item.weighted_bands.get(c, 0.0) for c in item.band_order[n:]) / item.weight_complete
            )
            line += f"{100 * share:>12.2f}{100 * share_above:>31.2f}"
        lines.append(line)
    if weight is not None:
        lines.append(f"  weighted by {weight}, over the complete rows")
    return lines


# --- writing ---------------------------------------------------------------------------------------------


class _Writer:
    def write(self, frame: pl.DataFrame) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        return None


class _CsvWriter(_Writer):
    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.header = True

    def write(self, frame: pl.DataFrame) -> None:
        frame.write_csv(self.handle, include_header=self.header)
        self.header = False


class _ParquetWriter(_Writer):
    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.writer: Any = None

    def write(self, frame: pl.DataFrame) -> None:
        table = frame.to_arrow()
        if self.writer is None:
            import pyarrow.parquet as pq  # type: ignore[import-untyped]  # only for Parquet: 50 MB, 0.07 s

            self.writer = pq.ParquetWriter(self.handle, table.schema)
        self.writer.write_table(
            table.cast(self.writer.schema) if table.schema != self.writer.schema else table
        )

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


class _Background:
    """Writes frames in a second thread (polars releases the GIL), at most two frames behind the scorer.

    Leaving the block waits for every frame to be written and re-raises the thread's error, if any; leaving it
    with an error stops the thread without waiting for the rest.
    """

    def __init__(self, writer: _Writer) -> None:
        self.writer = writer
        self.frames: queue.Queue[pl.DataFrame | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="bounceback-writer", daemon=True)

    def _work(self) -> None:
        while (frame := self.frames.get()) is not None:
            if self.error is None:
                try:
                    self.writer.write(frame)
                except BaseException as error:  # handed to the main thread
                    self.error = error

    def write(self, frame: pl.DataFrame) -> None:
        if self.error is not None:
            raise self.error
        self.frames.put(frame)

    def __enter__(self) -> _Background:
        self.thread.start()
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if error is not None:
            self.error = self.error or RuntimeError("stopped")
        self.frames.put(None)
        self.thread.join()
        if error is None:
            if self.error is not None:
                raise self.error
            self.writer.close()


def _writer(fmt: Format, handle: BinaryIO) -> _Writer:
    return _CsvWriter(handle) if fmt == "csv" else _ParquetWriter(handle)


@contextmanager
def _atomic(destination: Path) -> Iterator[BinaryIO]:
    """A temporary file beside ``destination``, renamed over it only if the block finishes without error."""
    fd, name = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".partial")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__

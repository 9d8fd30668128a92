"""Hazard T23: NHANES 2017–2018 PHQ-9 regression against the figures of instruments.md §5.2.

DPQ010…DPQ090 are PHQ-9 items 1–9 and DPQ100 is item 10. NHANES codes 7 (refused), 9 (don't know) and blanks
are missing, never values. §5.2 defines "complete cases" as all 9 items in {0..3}; every count below (PHQ-8
≥ 10, PHQ-2 ≥ 3, item 9 ≥ 1, bands, distribution, weighted prevalence) is taken over those complete cases,
as the table's figures are.
"""

from __future__ import annotations

import csv
import hashlib
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bounceback.instruments import score

# The public-domain copy shipped with the project (source, trimming and original SHA-256 in its README.md).
NHANES = Path(__file__).resolve().parents[2] / "testdata" / "nhanes"
ITEM_COLUMNS = tuple(f"DPQ0{n}0" for n in range(1, 10))  # DPQ010 ... DPQ090
DIFFICULTY_COLUMN = "DPQ100"
MISSING_CODES = frozenset({7, 9})


@dataclass(frozen=True)
class Row:
    seqn: int
    items: tuple[int | None, ...]  # PHQ-9 items 1-9
    blank: bool  # all nine item fields empty in the file (7/9 codes are not blank)
    difficulty: int | None
    result: Any  # score("phq9", ...) for this row


def _code(row_number: int, column: str, text: str) -> int | None:
    """NHANES float string -> int 0..3, or None for blank / 7 / 9. Anything else fails loudly."""
    text = text.strip()
    if text == "":
        return None
    value = float(text)
    assert value.is_integer(), f"row {row_number}, column {column}: undeclared value {text!r}"
    code = int(value)
    if code in MISSING_CODES:
        return None
    assert 0 <= code <= 3, f"row {row_number}, column {column}: undeclared code {text!r}"
    return code


def _csv(name: str) -> list[dict[str, str]]:
    path = NHANES / name
    assert path.is_file(), f"NHANES file missing: {path} (shipped in bounceback/testdata/nhanes)"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    parsed: list[Row] = []
    for number, raw in enumerate(_csv("DPQ_J.csv"), start=2):
        items = tuple(_code(number, column, raw[column]) for column in ITEM_COLUMNS)
        difficulty = _code(number, DIFFICULTY_COLUMN, raw[DIFFICULTY_COLUMN])
        answers: dict[str, int | None] = {f"phq9_{n}": v for n, v in enumerate(items, start=1)}
        answers["phq9_10"] = difficulty
        blank = all(raw[column].strip() == "" for column in ITEM_COLUMNS)
        parsed.append(Row(int(float(raw["SEQN"])), items, blank, difficulty, score("phq9", answers)))
    return parsed


@pytest.fixture(scope="module")
def complete(rows: list[Row]) -> list[Row]:
    return [row for row in rows if all(v is not None for v in row.items)]


def _total(row: Row) -> int:
    total = row.result.total
    assert isinstance(total, int)
    return total


# The shipped files. DPQ_J is the original byte for byte; DEMO_J keeps every row but only the columns read
# here (SEQN, RIAGENDR, RIDAGEYR, WTMEC2YR), so its hash differs from the original's c94f7295… (README.md).
SHA256 = {
    "DPQ_J.csv": "d7c1838f8ce3e11fca498892e0ecbd906cc7590973ad41ed295966bd99c2540b",
    "DEMO_J.csv": "cb061e38d1d7d8706ee4df7fc59bdd720ba8953a8e3eabd19429642899c156eb",
}


@pytest.mark.parametrize("name", sorted(SHA256))
def test_it_reads_the_files_the_specification_describes(name: str) -> None:
    path = NHANES / name
    assert path.is_file(), f"NHANES file missing: {path}"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == SHA256[name]


def test_it_matches_the_codebook_counts_of_dpq010() -> None:
    # §5.1 integrity check: DPQ010 0 = 3792, 1 = 816, 2 = 280, 3 = 198, 7 = 4, 9 = 4, missing = 439
    counts = Counter(raw["DPQ010"].strip() for raw in _csv("DPQ_J.csv"))
    assert counts == {"0.0": 3792, "1.0": 816, "2.0": 280, "3.0": 198, "7.0": 4, "9.0": 4, "": 439}


def test_it_reads_every_row_and_finds_the_complete_cases(rows: list[Row], complete: list[Row]) -> None:
    assert len(rows) == 5533
    assert len({row.seqn for row in rows}) == 5533
    assert len(complete) == 5068
    # §5.2: rows / complete / all-missing / partial or 7/9 = 5533 / 5068 / 439 / 26
    assert sum(1 for row in rows if row.blank) == 439
    assert len(rows) - len(complete) - 439 == 26


def test_it_scores_exactly_the_complete_cases(rows: list[Row]) -> None:
    for row in rows:
        is_complete = all(v is not None for v in row.items)
        assert row.result.complete is is_complete, row.seqn
        if is_complete:
            assert row.result.total == sum(v or 0 for v in row.items), row.seqn
            assert row.result.missing == (), row.seqn
        else:
            assert (row.result.total, row.result.band) == (None, None), row.seqn
            expected_missing = tuple(f"phq9_{n}" for n, v in enumerate(row.items, start=1) if v is None)
            assert row.result.missing == expected_missing, row.seqn


def test_it_reproduces_the_mean_and_sd(complete: list[Row]) -> None:
    totals = [_total(row) for row in complete]
    assert round(statistics.mean(totals), 3) == 3.241
    assert round(statistics.stdev(totals), 3) == 4.245


def test_it_counts_phq9_of_10_or_more(complete: list[Row]) -> None:
    assert sum(1 for row in complete if _total(row) >= 10) == 459


def test_it_counts_phq8_of_10_or_more(complete: list[Row]) -> None:
    count = 0
    for row in complete:
        result = score("phq8", {f"phq8_{n}": v for n, v in enumerate(row.items[:8], start=1)})
        total = result.total
        assert isinstance(total, int), row.seqn
        assert total == sum(v or 0 for v in row.items[:8]), row.seqn
        count += total >= 10
    assert count == 445


def test_it_counts_phq2_of_3_or_more(complete: list[Row]) -> None:
    count = 0
    for row in complete:
        result = score("phq2", {"phq2_1": row.items[0], "phq2_2": row.items[1]})
        total = result.total
        assert isinstance(total, int), row.seqn
        assert (result.band == "positive") is (total >= 3), row.seqn
        count += result.band == "positive"
    assert count == 500


def test_it_counts_item9_and_flags_every_row_with_item9(rows: list[Row], complete: list[Row]) -> None:
    assert sum(1 for row in complete if (row.items[8] or 0) >= 1) == 191
    assert sum(1 for row in complete if "suicidal_ideation" in row.result.flags) == 191
    for row in rows:  # the flag is raised whatever else is missing
        assert ("suicidal_ideation" in row.result.flags) is ((row.items[8] or 0) >= 1), row.seqn


def test_it_reproduces_the_band_counts(complete: list[Row]) -> None:
    bands = Counter(row.result.band for row in complete)
    assert bands == {"minimal": 3772, "mild": 837, "moderate": 292, "moderately_severe": 124, "severe": 43}


def test_it_reproduces_the_total_distribution(complete: list[Row]) -> None:
    distribution = Counter(_total(row) for row in complete)
    expected = [1721, 687, 578, 441, 345, 247, 193, 155, 133, 109, 91, 74, 48, 39]
    expected += [40, 30, 35, 21, 26, 12, 11, 13, 10, 4, 3, 2, 0, 0]
    assert [distribution.get(total, 0) for total in range(28)] == expected
    assert sum(expected) == 5068


def test_it_reproduces_the_weighted_prevalence_for_adults(complete: list[Row]) -> None:
    demographics = {int(float(raw["SEQN"])): raw for raw in _csv("DEMO_J.csv")}
    assert len(demographics) == 9254
    weighted: dict[str, list[float]] = {"all": [0.0, 0.0], "men": [0.0, 0.0], "women": [0.0, 0.0]}
    for row in complete:
        person = demographics[row.seqn]  # every DPQ participant has a DEMO record
        if float(person["RIDAGEYR"]) < 20:
            continue
        weight = float(person["WTMEC2YR"])
        assert weight > 0, row.seqn
        sex = {"1.0": "men", "2.0": "women"}[person["RIAGENDR"]]
        for group in ("all", sex):
            weighted[group][1] += weight
            if _total(row) >= 10:
                weighted[group][0] += weight
    percent = {group: round(100 * cases / population, 2) for group, (cases, population) in weighted.items()}
    assert percent == {"all": 8.49, "men": 6.84, "women": 10.05}


def test_it_keeps_the_difficulty_item_out_of_the_total(rows: list[Row]) -> None:
    with_difficulty = [row for row in rows if row.difficulty is not None and row.result.complete]
    assert with_difficulty, "DPQ100 answers expected among complete rows"
    for row in with_difficulty:
        assert row.result.total == sum(v or 0 for v in row.items), row.seqn

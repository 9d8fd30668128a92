"""Hazard T23 through the CLI: ``bounceback score`` on real and awkward files.

NHANES 2017–2018 (instruments.md §5.2) read from the public-domain copy in bounceback/testdata/nhanes. Every
bad input fails naming the row, the column and the value, and leaves nothing behind.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bounceback.instruments import score

ROOT = Path(__file__).resolve().parents[3]
NHANES = ROOT / "bounceback" / "testdata" / "nhanes"
DPQ = NHANES / "DPQ_J.csv"
NHANES_MAP = [f"DPQ0{n}0=phq9_{n}" for n in range(1, 10)]
PHQ9_HEADER = ",".join(f"phq9_{n}" for n in range(1, 10))


def run(*args: str) -> str:
    """Run ``bounceback score`` in-process; return what it wrote to stderr."""
    err = StringIO()
    call_command("score", *args, stderr=err, stdout=StringIO())
    return err.getvalue()


def fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def phq9_csv(path: Path, rows: list[str], header: str = f"id,{PHQ9_HEADER}") -> Path:
    return write(path, "\n".join([header, *rows]) + "\n")


# --- NHANES -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nhanes_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, pl.DataFrame]:
    out = tmp_path_factory.mktemp("nhanes") / "scored.csv"
    summary = run(
        str(DPQ),
        "--instrument",
        "phq9",
        "--output",
        str(out),
        "--map",
        *NHANES_MAP,
        "--missing-values",
        "7,9",
    )
    return summary, pl.read_csv(out, infer_schema=False)


def test_it_reproduces_the_nhanes_figures(nhanes_out: tuple[str, pl.DataFrame]) -> None:
    summary, out = nhanes_out
    assert "5533 rows scored" in summary
    assert "phq9: 5533 rows, 5068 complete, 465 incomplete" in summary
    assert "mean 3.241, SD 4.245" in summary
    bands = {"minimal": 3772, "mild": 837, "moderate": 292, "moderately_severe": 124, "severe": 43}
    for code, n in bands.items():
        assert any(line.split()[:2] == [code, str(n)] for line in summary.splitlines()), (code, summary)
    complete = out.filter(pl.col("phq9_complete") == "true")
    assert complete.height == 5068
    totals = [int(t) for t in complete["phq9_total"]]
    assert sum(1 for t in totals if t >= 10) == 459
    assert round(statistics.mean(totals), 3) == 3.241
    assert round(statistics.stdev(totals), 3) == 4.245


def test_it_keeps_every_nhanes_row_and_column_in_order(nhanes_out: tuple[str, pl.DataFrame]) -> None:
    _summary, out = nhanes_out
    source = pl.read_csv(DPQ, infer_schema=False)
    assert out.columns == [*source.columns, "phq9_total", "phq9_band", "phq9_complete", "phq9_flags"]
    assert out.select(source.columns).equals(source)  # every cell as it was, "1.0" and all


def test_it_equals_score_on_every_nhanes_row(nhanes_out: tuple[str, pl.DataFrame]) -> None:
    _summary, out = nhanes_out
    for row in out.iter_rows(named=True):
        answers: dict[str, int | None] = {}
        for n in range(1, 10):
            text = row[f"DPQ0{n}0"]
            code = None if text is None else int(float(text))
            answers[f"phq9_{n}"] = None if code in (None, 7, 9) else code
        want = score("phq9", answers)
        assert row["phq9_total"] == (None if want.total is None else str(want.total))
        assert row["phq9_band"] == want.band
        assert row["phq9_complete"] == str(want.complete).lower()
        assert set((row["phq9_flags"] or "").split(";")) - {""} == set(want.flags)


def test_it_reproduces_the_weighted_adult_prevalence(tmp_path: Path) -> None:
    # The DPQ file carries no weights: join DEMO_J on SEQN and keep adults (age 20+), as NCHS does.
    demo = pl.read_csv(NHANES / "DEMO_J.csv", columns=["SEQN", "RIDAGEYR", "WTMEC2YR"], infer_schema=False)
    joined = pl.read_csv(DPQ, infer_schema=False).join(
        demo, on="SEQN", how="left", validate="1:1", maintain_order="left"
    )
    adults = joined.filter(pl.col("RIDAGEYR").cast(pl.Float64) >= 20)
    adults.write_csv(tmp_path / "adults.csv")
    summary = run(
        str(tmp_path / "adults.csv"),
        "--instrument",
        "phq9",
        "--output",
        str(tmp_path / "out.parquet"),
        "--map",
        *NHANES_MAP,
        "--missing-values",
        "7,9",
        "--weight",
        "WTMEC2YR",
    )
    moderate = next(line for line in summary.splitlines() if line.split()[:1] == ["moderate"])
    assert moderate.split()[-1] == "8.49", summary  # weighted % with PHQ-9 >= 10 (moderate or above)
    assert "weighted by WTMEC2YR" in summary


# --- errors: row, column, value; nothing left behind ----------------------------------------------------


def test_it_names_row_column_and_value_for_an_undeclared_code(tmp_path: Path) -> None:
    message = fails(
        str(DPQ), "--instrument", "phq9", "--output", str(tmp_path / "o.csv"), "--map", *NHANES_MAP
    )
    # the first 7 or 9 in file order: row 118 (line 119) holds 9.0 in DPQ020
    lines = DPQ.read_text().splitlines()
    assert lines[118].split(",")[2] == "9.0"
    assert all(cell not in ("7.0", "9.0") for line in lines[1:118] for cell in line.split(",")[1:10])
    assert message.startswith("row 118, column DPQ020 (phq9_2): '9.0' is out of range"), message
    assert "allowed values: 0, 1, 2, 3" in message
    assert "--missing-values" in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("4", "row 3, column phq9_5: '4' is out of range"),
        ("x", "row 3, column phq9_5: 'x' is not a number"),
        ("1.5", "row 3, column phq9_5: '1.5' is not a whole number"),
        ("-1", "row 3, column phq9_5: '-1' is out of range"),
        ("nan", "row 3, column phq9_5: 'nan' is not a number"),
        ("1e3", "row 3, column phq9_5: '1e3' is out of range"),
    ],
)
def test_it_rejects_a_bad_cell_naming_row_column_and_value(tmp_path: Path, cell: str, expected: str) -> None:
    rows = ["a,0,0,0,0,0,0,0,0,0", "b,1,1,1,1,1,1,1,1,1", f"c,2,2,2,2,{cell},2,2,2,2", "d,3,3,3,3,x,3,3,3,3"]
    source = phq9_csv(tmp_path / "in.csv", rows)
    message = fails(str(source), "--instrument", "phq9", "--output", str(tmp_path / "out.csv"))
    assert message.startswith(expected), message
    assert message.endswith("(nothing was written)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_it_finds_a_bad_cell_far_into_the_file_and_leaves_the_old_output_alone(tmp_path: Path) -> None:
    rows = [f"r{n},1,1,1,1,1,1,1,1,0" for n in range(1, 1200)] + ["bad,1,1,1,1,1,1,1,5,0"]
    source = phq9_csv(tmp_path / "in.csv", rows)
    existing = write(tmp_path / "out.csv", "earlier results\n")
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("score", str(source), "--instrument", "phq9", "--output", str(existing), stderr=err)
    assert str(caught.value).startswith("row 1200, column phq9_8: 5 is out of range"), caught.value
    assert existing.read_text() == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_it_reports_the_row_across_batches(tmp_path: Path) -> None:
    from bounceback.research.bulk import MissingCodes
    from bounceback.research.files import Request, score_file

    rows = [f"r{n},1,1,1,1,1,1,1,1,0" for n in range(1, 251)] + ["bad,1,1,1,1,1,1,1,9,0"]
    source = phq9_csv(tmp_path / "in.csv", rows)
    request = Request(source, tmp_path / "out.csv", ["phq9"], {}, MissingCodes(), None, batch_rows=100)
    with pytest.raises(ValueError, match=r"^row 251, column phq9_8: 9 is out of range"):
        score_file(request)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--instrument", "phq9", "--map", "Q1=phq9_1"], "--map Q1=phq9_1: the input has no column 'Q1'"),
        (["--instrument", "gad7"], "gad7: no column for item(s) gad7_1, gad7_2"),
        (["--instrument", "phq99"], "--instrument: unknown instrument 'phq99'"),
        (["--instrument", "phq9", "--map", "id=phq9_11"], "'phq9_11' is not an item id of any instrument"),
        (["--instrument", "phq9", "--map", "id=phq9_1"], "the input also has a column named 'phq9_1'"),
        (["--instrument", "phq9", "--map", "id"], "--map id: write SOURCE=ITEM"),
        (
            ["--instrument", "phq9", "--missing-values", "3"],
            "--missing-values 3: 3 is a valid answer to phq9_1",
        ),
        (
            ["--instrument", "phq9", "--missing-values", "7.5"],
            "--missing-values: '7.5' is not a whole number",
        ),
        (["--instrument", "phq9", "--weight", "w"], "--weight: the input has no column 'w'"),
        (["--instrument", "phq9", "--instrument", "battery"], "use it alone"),
    ],
)
def test_it_rejects_a_bad_request_before_reading_rows(tmp_path: Path, args: list[str], expected: str) -> None:
    source = phq9_csv(tmp_path / "in.csv", ["a,0,0,0,0,0,0,0,0,0"])
    message = fails(str(source), "--output", str(tmp_path / "out.csv"), *args)
    assert expected in message, message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_it_rejects_an_output_column_that_already_exists(tmp_path: Path) -> None:
    source = phq9_csv(tmp_path / "in.csv", ["a,0,0,0,0,0,0,0,0,0,1"], header=f"id,{PHQ9_HEADER},phq9_total")
    assert "already has a column 'phq9_total'" in fails(
        str(source), "--instrument", "phq9", "--output", str(tmp_path / "o.csv")
    )


def test_it_rejects_a_bad_weight_naming_the_row(tmp_path: Path) -> None:
    source = phq9_csv(
        tmp_path / "in.csv", ["a,0,0,0,0,0,0,0,0,0,1.5", "b,0,0,0,0,0,0,0,0,0,"], header=f"id,{PHQ9_HEADER},w"
    )
    message = fails(str(source), "--instrument", "phq9", "--output", str(tmp_path / "o.csv"), "--weight", "w")
    assert message.startswith("row 2, column w: None is not a usable survey weight"), message


def test_it_rejects_unknown_formats_and_missing_files(tmp_path: Path) -> None:
    assert "use a .csv or .parquet file" in fails(
        str(tmp_path / "in.xlsx"), "--instrument", "phq9", "--output", "o.csv"
    )
    assert "no such file" in fails(
        str(tmp_path / "in.csv"), "--instrument", "phq9", "--output", str(tmp_path / "o.csv")
    )
    write(tmp_path / "empty.csv", "")
    assert "the file is empty" in fails(
        str(tmp_path / "empty.csv"), "--instrument", "phq9", "--output", str(tmp_path / "o.csv")
    )
    source = phq9_csv(tmp_path / "in.csv", ["a,0,0,0,0,0,0,0,0,0"])
    assert "OUTPUT is the INPUT file" in fails(str(source), "--instrument", "phq9", "--output", str(source))


def test_it_fails_without_a_traceback_on_the_command_line(tmp_path: Path) -> None:
    source = phq9_csv(tmp_path / "in.csv", ["a,0,0,0,0,0,0,0,0,0", "b,0,0,0,0,0,0,0,0,abc"])
    done = subprocess.run(  # noqa: S603 - our own CLI with test arguments
        [
            sys.executable,
            "-m",
            "bounceback",
            "score",
            str(source),
            "--instrument",
            "phq9",
            "--output",
            str(tmp_path / "o.csv"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "row 2, column phq9_9: 'abc' is not a number" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


# --- spreadsheet artefacts ------------------------------------------------------------------------------


def test_it_reads_bom_crlf_floats_and_blank_rows(tmp_path: Path) -> None:
    text = (
        "\ufeffid,"
        + PHQ9_HEADER
        + "\r\n"
        + "a,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0\r\n"
        + ",,,,,,,,,\r\n"  # a blank spreadsheet row: kept, incomplete
        + "\r\n"  # an empty line: also a row, as in the input
        + "b, 2 ,2,2,2,2,2,2,2,0\r\n"
    )
    source = tmp_path / "in.csv"
    source.write_bytes(text.encode("utf-8"))
    run(str(source), "--instrument", "phq9", "--output", str(tmp_path / "out.csv"))
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert out.columns[0] == "id"
    assert out["id"].to_list() == ["a", None, None, "b"]
    assert out["phq9_total"].to_list() == ["9", None, None, "16"]
    assert out["phq9_complete"].to_list() == ["true", "false", "false", "true"]
    assert out["phq9_flags"].to_list() == ["suicidal_ideation", "", "", ""]
    assert out["phq9_1"].to_list() == ["1.0", None, None, " 2 "]  # item cells copied as they were


def test_it_keeps_identifiers_exactly(tmp_path: Path) -> None:
    source = phq9_csv(tmp_path / "in.csv", ["007,0,0,0,0,0,0,0,0,0", "0.10,1,1,1,1,1,1,1,1,1"])
    run(str(source), "--instrument", "phq9", "--output", str(tmp_path / "out.csv"))
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["007", "0.10"]


def test_it_treats_text_missing_codes_and_blanks_as_missing(tmp_path: Path) -> None:
    source = phq9_csv(tmp_path / "in.csv", ["a,NA,0,0,0,0,0,0,0,2", "b,0,0,0,0,0,0,0,0,0"])
    summary = run(
        str(source), "--instrument", "phq9", "--output", str(tmp_path / "out.csv"), "--missing-values", "NA"
    )
    assert "phq9: 2 rows, 1 complete, 1 incomplete" in summary
    assert "flagged rows: 1 (suicidal_ideation 1)" in summary


# --- shapes of output -----------------------------------------------------------------------------------


def test_it_keeps_rows_in_order_in_parquet_both_ways(tmp_path: Path) -> None:
    ids = [f"p{n:05d}" for n in range(2000)]
    frame = pl.DataFrame(
        {"pid": ids, **{f"phq9_{n}": [(k * n) % 4 for k in range(2000)] for n in range(1, 10)}},
        schema_overrides={f"phq9_{n}": pl.Int8 for n in range(1, 10)},
    )
    frame.write_parquet(tmp_path / "in.parquet")
    run(str(tmp_path / "in.parquet"), "--instrument", "phq9", "--output", str(tmp_path / "out.parquet"))
    out = pl.read_parquet(tmp_path / "out.parquet")
    assert out.height == 2000
    assert out["pid"].to_list() == ids
    assert out.select(frame.columns).equals(frame)
    expected = [score("phq9", {f"phq9_{n}": (k * n) % 4 for n in range(1, 10)}).total for k in range(2000)]
    assert out["phq9_total"].to_list() == expected


def test_it_rejects_a_parquet_float_that_is_not_whole(tmp_path: Path) -> None:
    frame = pl.DataFrame({f"phq2_{n}": [1.0, 2.5 if n == 2 else 1.0, float("nan")] for n in (1, 2)})
    frame.write_parquet(tmp_path / "in.parquet")
    message = fails(str(tmp_path / "in.parquet"), "--instrument", "phq2", "--output", str(tmp_path / "o.csv"))
    assert message.startswith("row 2, column phq2_2: 2.5 is not a whole number"), message


def test_it_scores_several_instruments_in_one_run(tmp_path: Path) -> None:
    gad = ",".join(f"gad7_{n}" for n in range(1, 8))
    source = phq9_csv(
        tmp_path / "in.csv", ["a,3,3,3,3,3,3,3,3,3,1,1,1,1,1,1,1"], header=f"id,{PHQ9_HEADER},{gad}"
    )
    summary = run(
        str(source), "--instrument", "phq9", "--instrument", "gad7", "--output", str(tmp_path / "out.csv")
    )
    out = pl.read_csv(tmp_path / "out.csv")
    assert out.row(0, named=True) | {} == {
        **out.row(0, named=True),
        "phq9_total": 27,
        "phq9_band": "severe",
        "gad7_total": 7,
        "gad7_band": "mild",
    }
    assert out.columns[-8:] == [
        f"{i}_{s}" for i in ("phq9", "gad7") for s in ("total", "band", "complete", "flags")
    ]
    assert "gad7: 1 rows, 1 complete" in summary


def test_it_scores_the_battery_items_it_finds(tmp_path: Path) -> None:
    brs = ",".join(f"brs_{n}" for n in range(1, 7))
    swls = ",".join(f"swls_{n}" for n in range(1, 6))
    header = f"id,{brs},{PHQ9_HEADER},{swls},evs_days,evs_minutes"
    # the item-9-only path of the check-up: PHQ-2 of 2, items 3-8 not asked, item 9 answered
    source = write(tmp_path / "in.csv", f"{header}\na,5,1,5,1,5,5,1,1,,,,,,,1,7,7,7,7,7,0,\n")
    summary = run(str(source), "--instrument", "battery", "--output", str(tmp_path / "out.csv"))
    out = pl.read_csv(tmp_path / "out.csv").row(0, named=True)
    assert (out["brs_total"], out["brs_band"]) == (pytest.approx(26 / 6), "high")
    assert (out["phq2_total"], out["phq2_band"]) == (2, "negative")  # PHQ-2 read from PHQ-9 items 1-2
    assert (out["phq9_total"], out["phq9_complete"], out["phq9_flags"]) == (None, False, "suicidal_ideation")
    assert (out["swls_total"], out["evs_total"], out["evs_band"]) == (35, 0, "inactive")
    assert "gad7_total" not in out
    for instrument_id in ("brs", "phq9", "phq2", "swls", "evs"):
        assert f"{instrument_id}:" in summary


def test_it_refuses_a_battery_with_part_of_an_instrument(tmp_path: Path) -> None:
    source = write(tmp_path / "in.csv", "id,gad7_1,gad7_2,gad7_3\na,1,1,1\n")
    message = fails(str(source), "--instrument", "battery", "--output", str(tmp_path / "out.csv"))
    assert "battery: the input has some items of gad7 but no column for gad7_4" in message


def test_it_removes_the_temporary_file_when_killed(tmp_path: Path) -> None:
    import os
    import signal

    from bounceback.research.cli import stop_cleanly_on_sigterm
    from bounceback.research.files import _atomic

    with (
        pytest.raises(SystemExit) as stopped,
        stop_cleanly_on_sigterm(),
        _atomic(tmp_path / "out.csv") as handle,
    ):
        handle.write(b"id,phq9_total\n1,3\n")
        os.kill(os.getpid(), signal.SIGTERM)
    assert stopped.value.code == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(signal.getsignal(signal.SIGTERM))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"id,phq2_1,phq2_1\n1,1,1\n", "the header names column(s) 'phq2_1' more than once"),
        (b"id,phq2_1,phq2_2\n1,1,1\n2,1,1,5\n", "row 2 (line 3) has 4 fields, but the header has 3"),
        (
            b"id,phq2_1,phq2_2\n1,1,1\nJos\xe9,1,1\n",
            "row 2 (line 3) is not UTF-8 text; save the file as UTF-8 CSV",
        ),
    ],
)
def test_it_locates_a_malformed_csv_line(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "in.csv").write_bytes(content)
    message = fails(str(tmp_path / "in.csv"), "--instrument", "phq2", "--output", str(tmp_path / "out.csv"))
    assert expected in message, message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_it_rejects_a_file_that_is_not_parquet(tmp_path: Path) -> None:
    (tmp_path / "in.parquet").write_text("id,phq2_1,phq2_2\n1,1,1\n")
    message = fails(str(tmp_path / "in.parquet"), "--instrument", "phq2", "--output", str(tmp_path / "o.csv"))
    assert "cannot be read as PARQUET" in message

"""`make bench`: bulk scoring against the I/O floor, the vectorised peer and two naive baselines.

Every variant runs as a whole process under /usr/bin/time (wall time and peak resident memory), side by side
in one run, on synthetic PHQ-9 and full-battery files and on the real NHANES 2017-2018 file. Results go to
bench/out/results.json and docs/benchmarks.md.

  (a) I/O floor: polars reads the file and writes it back with four empty result columns per instrument
  (b) bounceback score, end to end; (b′) the same scoring run as the Django management command (manage.py score)
  (c) biopsykit.questionnaires.phq with pandas reading and writing (its own environment: it needs numpy<2)
  (d) a pandas row-wise apply, timed on a sample and extrapolated
  (e) a per-row loop calling score(), timed on a sample and extrapolated

usage: bench/run.py [--sizes 1000000,10000000] [--battery-sizes 1000000,10000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import polars as pl
import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = sys.executable
BOUNCEBACK = str(Path(PY).with_name("bounceback"))
PEER_VENV = OUT / "peer-venv"
PEER_PY = str(PEER_VENV / "bin" / "python")
NHANES = ROOT.parent / "shared" / "data" / "nhanes" / "DPQ_J.csv"
NHANES_MAP = [f"DPQ0{n}0=phq9_{n}" for n in range(1, 10)]
BATTERY = ["brs", "phq9", "asq", "gad7", "pcptsd5", "pcl5", "osss3", "ucla3", "evs", "swls"]
BATTERY_SCORED = [*BATTERY, "phq2", "gad2"]
SAMPLE_ROWS = {"phq9": 50_000, "battery": 10_000}


@dataclass
class Timing:
    dataset: str
    variant: str
    rows: int
    file_bytes: int
    seconds: float
    peak_rss_bytes: int
    cpu_seconds: float
    extrapolated_from: int | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (bytes) and CPU seconds (user + system) of one whole process (/usr/bin/time)."""
    report = OUT / "time.txt"
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M %U %S", "-o", str(report), *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    seconds, kilobytes, user, system = report.read_text().split()[-4:]
    return float(seconds), int(kilobytes) * 1024, float(user) + float(system)


def best(command: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """The fastest of ``repeat`` runs (the machine is shared: the fastest is the least disturbed)."""
    runs = [timed(command, env) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r[0])
    return fastest[0], max(r[1] for r in runs), fastest[2]


def count_rows(path: Path) -> int:
    return int(pl.scan_csv(path, infer_schema=False).select(pl.len()).collect().item())


def generate(name: str, rows: int, instruments: list[str]) -> Path:
    path = OUT / f"{name}.csv"
    if not path.exists() or count_rows(path) != rows:
        print(f"generating {path.name} ({rows:,} rows)", flush=True)
        subprocess.run([PY, "bench/generate.py", str(path), str(rows), *instruments], cwd=ROOT, check=True)
    return path


def head(path: Path, rows: int) -> Path:
    sample = path.with_name(f"{path.stem}.sample{rows}.csv")
    if not sample.exists():
        with path.open("rb") as source, sample.open("wb") as target:
            for n, line in enumerate(source):
                if n > rows:
                    break
                target.write(line)
    return sample


def startup(command: list[str]) -> float:
    return min(timed(command)[0] for _ in range(3))


def ensure_peer() -> None:
    if not Path(PEER_PY).exists():
        print("installing the peer environment (biopsykit) into bench/out/peer-venv", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        requirements = ROOT / "bench" / "requirements-peer.txt"
        subprocess.run([PEER_PY, "-m", "pip", "install", "--quiet", "-r", str(requirements)], check=True)


def peer_env() -> dict[str, str]:
    # numpy in the peer environment is 1.26; the machine's OPENBLAS_CORETYPE settings do not affect pandas sums
    return dict(os.environ)


def run_dataset(
    dataset: str, path: Path, kind: str, repeat: int, extra: list[str], peer_extra: list[str]
) -> list[Timing]:
    rows = count_rows(path)
    size = path.stat().st_size
    instruments = ["phq9"] if kind == "phq9" else BATTERY_SCORED
    score_args = ["--instrument", "phq9"] if kind == "phq9" else ["--instrument", "battery"]
    results: list[Timing] = []
    print(f"{dataset}: {rows:,} rows, {size / 1e6:.1f} MB", flush=True)

    def add(variant: str, seconds: float, rss: int, cpu: float, sampled: int | None = None) -> None:
        results.append(Timing(dataset, variant, rows, size, seconds, rss, cpu, sampled))
        print(
            f"  {variant:<32} {seconds:9.2f} s  {rows / seconds:14,.0f} rows/s  {rss / 1e6:8.0f} MB  cpu {cpu:8.2f} s",
            flush=True,
        )

    add(
        "a: I/O floor (polars)",
        *best([PY, "bench/io_floor.py", str(path), str(OUT / "a.csv"), *instruments], repeat),
    )
    b_out = OUT / "b.csv"
    add(
        "b: bounceback score",
        *best([BOUNCEBACK, "score", str(path), *score_args, "--output", str(b_out), *extra], repeat),
    )
    managed = [PY, "manage.py", "score", str(path), *score_args, "--output", str(OUT / "b2.csv"), *extra]
    add("b′: manage.py score (the same, as a Django command)", *best(managed, repeat))
    if kind == "phq9":
        c_out = OUT / "c.csv"
        add(
            "c: biopsykit (pandas)",
            *best([PEER_PY, "bench/peer_biopsykit.py", str(path), str(c_out), *peer_extra], 1, peer_env()),
        )
        compare_with_peer(dataset, b_out, c_out, results)
    sample_rows = min(SAMPLE_ROWS[kind], rows)
    sample = head(path, sample_rows) if sample_rows < rows else path
    if kind == "phq9" and not extra:
        base = startup([PY, "-c", "import pandas"])
        seconds, rss, cpu = timed([PY, "bench/pandas_apply.py", str(sample), str(OUT / "d.csv")])
        scale = rows / sample_rows
        add(
            "d: pandas row-wise apply",
            base + (seconds - base) * scale,
            rss,
            base + (cpu - base) * scale,
            sample_rows,
        )
    base = startup([PY, "-c", "import bounceback.instruments"])
    seconds, rss, cpu = timed(
        [PY, "bench/score_loop.py", str(sample), str(OUT / "e.csv"), *instruments, *extra]
    )
    scale = rows / sample_rows
    add(
        "e: per-row loop over score()",
        base + (seconds - base) * scale,
        rss,
        base + (cpu - base) * scale,
        sample_rows,
    )
    return results


CHECKS: dict[str, str] = {}


def compare_with_peer(dataset: str, ours: Path, peers: Path, results: list[Timing]) -> None:
    """Totals must be identical on complete rows; record what the peer does with the others."""
    b = pl.read_csv(ours, columns=["phq9_total", "phq9_complete"])
    c = pl.read_csv(peers, columns=["PHQ9"])
    both = pl.concat([b, c], how="horizontal")
    complete = both.filter(pl.col("phq9_complete"))
    same = complete.filter(pl.col("phq9_total") == pl.col("PHQ9").cast(pl.Int64)).height == complete.height
    incomplete = both.filter(~pl.col("phq9_complete"))
    scored_anyway = incomplete.filter(pl.col("PHQ9").is_not_null()).height
    CHECKS[dataset] = (
        f"identical totals on all {complete.height:,} complete rows: {'yes' if same else 'NO'}; "
        f"of {incomplete.height:,} incomplete rows, biopsykit gave a total to {scored_anyway:,} "
        "(a partial sum over the answered items)"
    )
    print(f"  check: {CHECKS[dataset]}", flush=True)
    if not same:
        raise SystemExit(f"{dataset}: bounceback and biopsykit totals differ on complete rows")


def machine() -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    versions = subprocess.run(
        [
            PY,
            "-c",
            "import polars, pyarrow, pandas, numpy, django; print(polars.__version__, pyarrow.__version__, "
            "pandas.__version__, numpy.__version__, django.__version__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    peer = subprocess.run(
        [
            PEER_PY,
            "-c",
            "import importlib.metadata as m; print(m.version('biopsykit'), m.version('pandas'), m.version('numpy'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        "os": os_name,
        "python": platform.python_version(),
        "polars": versions[0],
        "pyarrow": versions[1],
        "pandas": versions[2],
        "numpy": versions[3],
        "django": versions[4],
        "biopsykit": f"{peer[0]} (pandas {peer[1]}, numpy {peer[2]}, its own environment)",
        "date": dt.date.today().isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--battery-sizes", default="1000000,10000000")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of (a) and (b) per file; the fastest counts"
    )
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite docs/benchmarks.md from bench/out/results.json"
    )
    args = parser.parse_args()
    if args.report_only:
        from report import write_report  # bench/report.py

        saved = json.loads((OUT / "results.json").read_text())
        timings = [Timing(**t) for t in saved["timings"]]
        write_report(ROOT / "docs" / "benchmarks.md", saved["machine"], saved["checks"], timings)
        print("rewrote docs/benchmarks.md from bench/out/results.json")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    ensure_peer()
    results: list[Timing] = []
    nhanes = ["--map", *NHANES_MAP, "--missing-values", "7,9"]
    results += run_dataset(
        "NHANES DPQ_J (real)",
        NHANES,
        "phq9",
        args.repeat,
        nhanes,
        ["--map", *NHANES_MAP, "--missing-values", "7,9"],
    )
    for size in (int(s) for s in args.sizes.split(",") if s):
        path = generate(f"phq9_{size}", size, ["phq9"])
        results += run_dataset(f"PHQ-9, {size:,} rows", path, "phq9", args.repeat, [], [])
    for size in (int(s) for s in args.battery_sizes.split(",") if s):
        path = generate(f"battery_{size}", size, BATTERY)
        results += run_dataset(f"battery, {size:,} rows", path, "battery", args.repeat, [], [])
    info = machine()
    (OUT / "results.json").write_text(
        json.dumps({"machine": info, "checks": CHECKS, "timings": [asdict(r) for r in results]}, indent=2)
    )
    if not args.no_docs:
        from report import write_report  # bench/report.py

        write_report(ROOT / "docs" / "benchmarks.md", info, CHECKS, results)
    print("wrote bench/out/results.json" + ("" if args.no_docs else " and docs/benchmarks.md"))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

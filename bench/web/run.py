"""`make bench-web`: autosave throughput and latency of Bounceback under gunicorn on PostgreSQL, against a floor.

Steps, all on 127.0.0.1, every one bounded in time:
  1. a fresh database (bench_web): Bounceback's migrations, its cache table, and the floor's one table
  2. queries per autosave, counted in-process (bench/web/queries.py)
  3. 50 visitors each start their own check-up through the server (untimed: GET and POST with CSRF)
  4. a short sweep of gunicorn worker setups at 50 clients; the fastest is used for everything after
  5. Bounceback at 10 and 50 closed-loop clients, then Poisson arrivals at half its saturating rate
  6. the floor (bench/web/floor: one view, one upsert, no middleware) at 10 and 50 clients, same gunicorn setup
Results go to bench/out/web/results.json and to the bench-web section of docs/benchmarks.md.

usage: bench/web/run.py [--duration 15] [--warmup 3] [--sweep-duration 8] [--no-sweep] [--no-docs]
       bench/web/run.py --report-only     (rewrite the docs section from bench/out/web/results.json)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib.metadata
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.web import loadgen  # noqa: E402

PY = sys.executable
OUT = ROOT / "bench" / "out" / "web"
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench-web:start -->", "<!-- bench-web:end -->"
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
DB = os.environ.get("BENCH_WEB_DB", "bench_web")
DATABASE_URL = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB}"
CONN_MAX_AGE = "60"

FLOOR_TABLE = """
CREATE TABLE bench_floor_answer (
    client text NOT NULL,
    item text NOT NULL,
    value integer NOT NULL,
    revision integer NOT NULL,
    answered_at timestamptz NOT NULL,
    PRIMARY KEY (client, item)
)
"""


@dataclass(frozen=True)
class Workers:
    kind: str  # sync or gthread
    workers: int
    threads: int = 1
    conn_max_age: str = CONN_MAX_AGE

    @property
    def label(self) -> str:
        base = (
            f"sync × {self.workers}"
            if self.kind == "sync"
            else f"gthread × {self.workers} (× {self.threads} threads)"
        )
        return base if self.conn_max_age == CONN_MAX_AGE else f"{base}, CONN_MAX_AGE={self.conn_max_age}"

    def args(self) -> list[str]:
        out = ["--worker-class", self.kind, "--workers", str(self.workers)]
        if self.kind == "gthread":
            out += ["--threads", str(self.threads)]
        return out


SWEEP = [
    Workers("sync", 2),
    Workers("sync", 3),
    Workers("sync", 4),
    Workers("sync", 5),
    Workers("gthread", 2, 4),
    Workers("gthread", 3, 4),
    Workers("gthread", 5, 2),
]
DEFAULT = Workers("sync", 4)

# The same for Bounceback and the floor (the worker class and count come from the sweep).
GUNICORN_COMMON = ["--timeout", "30", "--graceful-timeout", "10", "--keep-alive", "5", "--backlog", "2048"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(settings: str, conn_max_age: str = CONN_MAX_AGE) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"BOUNCEBACK_ENV", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": DATABASE_URL,
            "DATABASE_CONN_MAX_AGE": conn_max_age,
            "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        }
    )
    return env


def _cpu_snapshot(groups: set[int]) -> tuple[float, dict[int, int]]:
    """The machine's busy CPU seconds so far, and the CPU ticks of each process of this benchmark: this
    process, the gunicorn process groups given, and PostgreSQL's processes."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    busy = sum(fields[:3]) + sum(fields[5:8])  # user nice system, irq softirq steal (not idle, iowait)
    me, ours = os.getpid(), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        comm, rest = text[text.find("(") + 1 : text.rfind(")")], text[text.rfind(")") + 2 :].split()
        pid = int(entry.name)
        if pid == me or comm.startswith("postgres") or int(rest[2]) in groups:
            ours[pid] = int(rest[11]) + int(rest[12])
    return busy / TICKS, ours


TICKS = os.sysconf("SC_CLK_TCK")


def _others(before: tuple[float, dict[int, int]], after: tuple[float, dict[int, int]]) -> float:
    ours = sum(t - before[1].get(pid, 0) for pid, t in after[1].items()) / TICKS
    return max(0.0, after[0] - before[0] - ours)


def others_cores(seconds: float = 2.0) -> float:
    before = _cpu_snapshot(set())
    time.sleep(seconds)
    return _others(before, _cpu_snapshot(set())) / seconds


def measured(pgid: int, scenario: Callable[[], loadgen.Result]) -> dict[str, object]:
    """Run a scenario; add the cores other work on the machine used meanwhile (all busy CPU minus this
    benchmark's processes and PostgreSQL), and the load average."""
    before, t0 = _cpu_snapshot({pgid}), time.monotonic()
    summary = scenario().summary()
    summary["others_cores"] = round(_others(before, _cpu_snapshot({pgid})) / (time.monotonic() - t0), 2)
    summary["load_1min"] = round(os.getloadavg()[0], 2)
    return summary


def wait_for_quiet(limit: float) -> float:
    """Wait (at most `limit` seconds) until other work uses under a quarter of a core; return what it uses."""
    deadline = time.monotonic() + limit
    busy = others_cores()
    while busy > 0.25 and time.monotonic() < deadline:
        print(f"  other work on this machine uses {busy:.2f} cores; waiting for it to settle", flush=True)
        busy = others_cores()
    return busy


@contextlib.contextmanager
def gunicorn(app: str, settings: str, workers: Workers, log: Path) -> Iterator[tuple[int, int]]:
    """A gunicorn in its own process group on a free loopback port; the whole group is killed on the way out."""
    port = free_port()
    cmd = [PY, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", *workers.args(), *GUNICORN_COMMON]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env_for(settings, workers.conn_max_age),
            stdout=sink,
            stderr=sink,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not listen within 30 s; see {log}") from None
                time.sleep(0.2)
        # Let every worker import Django and the project before anything is timed.
        probe = loadgen.Http(port)
        for _ in range(4 * workers.workers):
            probe.request("GET", "/health/" if "bounceback" in app else "/save/")
            probe.close()
        time.sleep(1.0)
        yield port, proc.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # any worker left behind by the master


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:  # type: ignore[arg-type]
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    env = env_for("bench.web.settings")
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    subprocess.run([PY, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, timeout=60)
    with psycopg.connect(dbname=DB, autocommit=True, **PG) as conn:  # type: ignore[arg-type]
        conn.execute(FLOOR_TABLE)


def machine(workers: Workers, quiet: float) -> dict[str, str]:
    cpu = platform.processor() or ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    memory = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.1f} GiB"
    import django
    import psycopg

    with psycopg.connect(dbname="postgres", **PG) as conn:  # type: ignore[arg-type]
        row = conn.execute("SHOW server_version").fetchone()
        commit = conn.execute("SHOW synchronous_commit").fetchone()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": os_name,
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "psycopg": psycopg.__version__,
        "postgresql": f"{row[0] if row else '?'} (local, synchronous_commit={commit[0] if commit else '?'})",
        "workers": workers.label,
        "other work at the start": f"{quiet:.2f} cores",
        "date": dt.date.today().isoformat(),
    }


def show(label: str, summary: dict[str, object]) -> None:
    offered = f" (offered {summary['offered_rate']}/s)" if summary.get("offered_rate") else ""
    print(
        f"  {label:<44} {summary['saves_per_second']:>8}/s{offered}  p50 {summary['p50_ms']} ms  "
        f"p95 {summary['p95_ms']} ms  p99 {summary['p99_ms']} ms  failures {summary['failures']}  "
        f"other work {summary.get('others_cores', '?')} cores",
        flush=True,
    )


def run(args: argparse.Namespace) -> dict[str, object]:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.log"):
        old.unlink()
    t_start = time.monotonic()
    print("database: fresh bench_web, migrate, createcachetable, floor table", flush=True)
    fresh_database()

    print("queries per autosave (in-process, test client):", flush=True)
    done = subprocess.run(
        [PY, "bench/web/queries.py", "--saves", "100"],
        cwd=ROOT,
        env=env_for("bench.web.settings"),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    queries = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {queries['queries_per_save']} queries per save: {', '.join(queries['shapes'])}", flush=True)

    quiet = wait_for_quiet(args.quiet_wait)
    print(f"other work on this machine: {quiet:.2f} cores", flush=True)
    bb_app, bb_settings = "bounceback.wsgi:application", "bench.web.settings"
    visitors: list[loadgen.SaveClient] = []
    sweep: list[dict[str, object]] = []
    chosen = DEFAULT
    results: dict[str, dict[str, object]] = {}
    try:
        with gunicorn(bb_app, bb_settings, chosen, OUT / "bounceback-setup.log") as (port, _pgid):
            visitors = [loadgen.VisitorClient(port) for _ in range(args.clients_max)]
            loadgen.set_up(visitors)
        spec = visitors[0].spec  # type: ignore[attr-defined]
        print(
            f"{len(visitors)} visitors, each with a check-up; autosave of {spec.item} to {spec.action}",
            flush=True,
        )

        def point(port: int) -> None:
            for v in visitors:
                v.http.port = port  # type: ignore[attr-defined]
                v.http.conn.close()  # type: ignore[attr-defined]
                v.http.conn = loadgen.http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # type: ignore[attr-defined]

        if not args.no_sweep:
            print(
                f"worker sweep, Bounceback, {args.clients_max} clients, {args.sweep_duration:g} s each:",
                flush=True,
            )
            for workers in [*SWEEP, None]:
                if workers is None:  # the best setup again, with a new database connection per request
                    best = max(sweep, key=lambda r: float(r["saves_per_second"]))  # type: ignore[arg-type]
                    workers = Workers(str(best["kind"]), int(best["workers"]), int(best["threads"]), "0")  # type: ignore[call-overload]
                with gunicorn(bb_app, bb_settings, workers, OUT / "bounceback-sweep.log") as (port, pgid):
                    point(port)
                    r = measured(pgid, lambda: loadgen.closed_loop(visitors, 2.0, args.sweep_duration))
                r.update(
                    kind=workers.kind,
                    workers=workers.workers,
                    threads=workers.threads,
                    conn_max_age=workers.conn_max_age,
                    label=workers.label,
                )
                show(workers.label, r)
                sweep.append(r)
            best = max(
                (r for r in sweep if r["conn_max_age"] == CONN_MAX_AGE),
                key=lambda r: float(r["saves_per_second"]),  # type: ignore[arg-type]
            )
            chosen = Workers(str(best["kind"]), int(best["workers"]), int(best["threads"]))  # type: ignore[call-overload]
        print(
            f"chosen: {chosen.label}; {args.duration:g} s per scenario after {args.warmup:g} s warm-up",
            flush=True,
        )

        with gunicorn(bb_app, bb_settings, chosen, OUT / "bounceback.log") as (port, pgid):
            point(port)
            for n in (args.clients_min, args.clients_max):
                r = measured(
                    pgid, functools.partial(loadgen.closed_loop, visitors[:n], args.warmup, args.duration)
                )
                results[f"bounceback_{n}"] = r
                show(f"Bounceback, {n} clients", r)
            saturating = float(results[f"bounceback_{args.clients_max}"]["saves_per_second"])  # type: ignore[arg-type]
            r = measured(
                pgid, lambda: loadgen.open_loop(visitors, saturating / 2, args.warmup, args.duration)
            )
            results["bounceback_paced"] = r
            show(f"Bounceback, Poisson at {saturating / 2:.0f}/s", r)

        with gunicorn(
            "bench.web.floor.wsgi:application", "bench.web.floor.settings", chosen, OUT / "floor.log"
        ) as (
            port,
            pgid,
        ):
            floor: list[loadgen.SaveClient] = [
                loadgen.FloorClient(port, f"c{i}") for i in range(args.clients_max)
            ]
            loadgen.set_up(floor)
            for n in (args.clients_min, args.clients_max):
                r = measured(
                    pgid, functools.partial(loadgen.closed_loop, floor[:n], args.warmup, args.duration)
                )
                results[f"floor_{n}"] = r
                show(f"floor, {n} clients", r)
            for c in floor:
                c.close()
    finally:
        for v in visitors:
            v.close()

    return {
        "machine": machine(chosen, quiet),
        "queries": queries,
        "sweep": sweep,
        "chosen": {
            "kind": chosen.kind,
            "workers": chosen.workers,
            "threads": chosen.threads,
            "label": chosen.label,
        },
        "gunicorn_common": GUNICORN_COMMON,
        "settings": {
            "duration": args.duration,
            "warmup": args.warmup,
            "sweep_duration": args.sweep_duration,
            "clients": [args.clients_min, args.clients_max],
            "conn_max_age": CONN_MAX_AGE,
        },
        "results": results,
        "total_seconds": round(time.monotonic() - t_start, 1),
    }


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(data: dict[str, object]) -> str:
    m: dict[str, str] = data["machine"]  # type: ignore[assignment]
    q: dict[str, object] = data["queries"]  # type: ignore[assignment]
    res: dict[str, dict[str, object]] = data["results"]  # type: ignore[assignment]
    s: dict[str, object] = data["settings"]  # type: ignore[assignment]
    clients: list[int] = s["clients"]  # type: ignore[assignment]
    lo, hi = clients
    bb_hi, fl_hi, paced = res[f"bounceback_{hi}"], res[f"floor_{hi}"], res["bounceback_paced"]
    ratio = float(bb_hi["saves_per_second"]) / float(fl_hi["saves_per_second"])  # type: ignore[arg-type]
    qps = float(q["queries_per_save"])  # type: ignore[arg-type]
    failures = sum(int(r["failures"]) for r in res.values())  # type: ignore[call-overload]
    out = [
        START,
        "## Autosave under gunicorn (`make bench-web`)",
        "",
        "Generated by `make bench-web` (`bench/web/run.py`); do not edit by hand (a rerun replaces this section).",
        "Everything runs on one machine over loopback: PostgreSQL, gunicorn, and the load generator",
        "(`bench/web/loadgen.py`, Python threads, one keep-alive connection per client), so the load generator",
        'competes with the server for the same 2 cores (its CPU time is shown). The machine is shared: "other',
        'work" is the CPU that processes other than this benchmark and PostgreSQL used during each scenario',
        "(from /proc); figures taken while it is high understate what the site can do.",
        "",
        "- **Bounceback**: each client is a visitor with its own session and check-up, started untimed through",
        "  the site (GET and POST `/checkup/` with cookies and CSRF). It then autosaves the check-up's first",
        f"  question (`{q['item']}`, alternating values, so every save is a real write) the way the page does: the",
        "  URL, hidden fields and parameters are read from the question's `hx-post`/`hx-params` in the HTML, and",
        '  the revision from each response. A save counts only when the answer is 200 and says "Saved".',
        "- **Floor**: a minimal Django project on the same stack (`bench/web/floor/`: same Django, gunicorn",
        "  setup, PostgreSQL and connection settings; no apps, no middleware, no session) with one view that",
        "  upserts one row (`INSERT … ON CONFLICT … DO UPDATE`) and answers with its revision.",
        f"- Closed loop: {lo} and {hi} clients, each posting again as soon as its answer arrives, "
        f"{s['duration']:g} s measured after {s['warmup']:g} s of warm-up.",
        f"  The rate at {hi} clients is Bounceback's saturating rate.",
        "- Paced: Poisson arrivals at half that rate over the same clients, latency counted from each arrival's",
        "  scheduled time (a request that waits for a free client or a busy server is charged for the wait).",
        "- Settings: `bench/web/settings.py` (Bounceback's settings, DEBUG off, not production mode because that",
        f"  forces HTTPS), `DATABASE_CONN_MAX_AGE={s['conn_max_age']}`, gunicorn `{' '.join(data['gunicorn_common'])}`",  # type: ignore[arg-type]
        "  plus the worker setup below.",
        "",
        "### Machine",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in m.items()],
        "",
        "### Targets",
        "",
        "| Target | Measured | Verdict |",
        "|---|---|---|",
        f"| Bounceback throughput ≥ half the floor's ({hi} clients) | {bb_hi['saves_per_second']}/s vs "
        f"{fl_hi['saves_per_second']}/s: {ratio:.2f}× the floor | {verdict(ratio >= 0.5)} |",
        f"| p99 ≤ 50 ms at half of Bounceback's saturating rate ({paced['offered_rate']}/s offered) | "
        f"p99 {paced['p99_ms']} ms | {verdict(float(paced['p99_ms']) <= 50)} |",  # type: ignore[arg-type]
        f"| ≤ 3 queries per autosave (everything `CaptureQueriesContext` sees) | {qps:g} "
        f"({qps - int(q['transaction_control_per_save']):g} without BEGIN/COMMIT/savepoints) | {verdict(qps <= 3)} |",  # type: ignore[call-overload]
        f"| every save succeeds | {failures} failed | {verdict(failures == 0)} |",
        "",
        "### Results",
        "",
        "| Scenario | Saves per second | p50 ms | p95 ms | p99 ms | max ms | Failures | Load generator, cores | Other work, cores |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = {
        f"bounceback_{lo}": f"Bounceback, {lo} clients",
        f"bounceback_{hi}": f"Bounceback, {hi} clients (saturating)",
        "bounceback_paced": f"Bounceback, paced at {paced['offered_rate']}/s, {hi} clients",
        f"floor_{lo}": f"floor, {lo} clients",
        f"floor_{hi}": f"floor, {hi} clients",
    }
    window = float(s["duration"]) + float(s["warmup"])  # type: ignore[arg-type]
    for key, name in names.items():
        r = res[key]
        out.append(
            f"| {name} | {float(r['saves_per_second']):,.1f} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "  # type: ignore[arg-type]
            f"{r['max_ms']} | {r['failures']} | {float(r['client_cpu_seconds']) / window:.2f} | {r.get('others_cores', '')} |"  # type: ignore[arg-type]
        )
    reasons = {k: r["failure_reasons"] for k, r in res.items() if r["failures"]}
    if reasons:
        out += ["", f"Failures by reason: `{json.dumps(reasons)}`"]
    sweep: list[dict[str, object]] = data["sweep"]  # type: ignore[assignment]
    if sweep:
        out += [
            "",
            "### Worker setups tried",
            "",
            f"Bounceback at {hi} closed-loop clients, {s['sweep_duration']:g} s each after 2 s of warm-up "
            "(shorter runs than above, so noisier); the fastest with persistent connections is used above. "
            "The last row repeats it with a new database connection per request (`DATABASE_CONN_MAX_AGE=0`, "
            "the settings' default; its other work is mostly the short-lived PostgreSQL backends, one per request, "
            "that exit before they can be told apart).",
            "",
            "| Workers | Saves per second | p50 ms | p99 ms | Failures | Other work, cores |",
            "|---|---:|---:|---:|---:|---:|",
            *[
                f"| {r['label']} | {float(r['saves_per_second']):,.1f} | {r['p50_ms']} | {r['p99_ms']} | {r['failures']} | {r.get('others_cores', '')} |"  # type: ignore[arg-type]
                for r in sweep
            ],
        ]
    shapes = ", ".join(f"`{x}`" for x in q["shapes"])  # type: ignore[attr-defined]
    first = ", ".join(f"`{x}`" for x in q["first_save_shapes"])  # type: ignore[attr-defined]
    out += [
        "",
        "### Where the time goes",
        "",
        f"Counted in-process with Django's test client and `CaptureQueriesContext` (`bench/web/queries.py`, "
        f"{q['saves']} saves after the first): **{qps:g} queries per autosave** (min {q['queries_min']}, max "
        f"{q['queries_max']}), of which {q['transaction_control_per_save']} manage the transaction (BEGIN, COMMIT, "
        f"savepoints) and {qps - int(q['transaction_control_per_save']):g} read or write data; "  # type: ignore[call-overload]
        f"the first save of an item (the insert) takes {q['first_save_queries']}.",
        "",
        f"- Each update: {shapes}.",
        f"- The first save: {first}.",
        f"- In-process time per autosave (median, no HTTP): {q['in_process_ms_median']} ms, of which "
        f"{q['sql_ms_median']} ms waiting on PostgreSQL; the rest is Python (middleware, session, view, template).",
        "",
        "### Reproduce",
        "",
        "```sh",
        "make bench-web                                  # about 4 minutes",
        ".venv/bin/python bench/web/run.py --no-sweep    # the default worker setup, no sweep",
        ".venv/bin/python bench/web/run.py --report-only # rewrite this section from bench/out/web/results.json",
        "```",
        END,
    ]
    return "\n".join(out)


def write_docs(section: str, start: str = START, end: str = END) -> None:
    """Replace the section between the markers in docs/benchmarks.md (or append it), keeping the rest."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--sweep-duration", type=float, default=8.0)
    parser.add_argument("--clients-min", type=int, default=10)
    parser.add_argument("--clients-max", type=int, default=50)
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument(
        "--quiet-wait", type=float, default=60.0, help="wait up to this long for other work to settle"
    )
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    if not (1 <= args.clients_min <= args.clients_max <= 200) or not (0 < args.duration <= 120):
        raise SystemExit("clients must be 1..200 and durations at most 120 s")
    results = OUT / "results.json"
    if args.report_only:
        write_docs(report(json.loads(results.read_text())))
        print(f"rewrote the bench-web section of {DOCS.relative_to(ROOT)}")
        return

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    data = run(args)
    results.write_text(json.dumps(data, indent=2) + "\n")
    print(f"results: {results.relative_to(ROOT)} ({data['total_seconds']} s)")
    if not args.no_docs:
        write_docs(report(data))
        print(f"wrote the bench-web section of {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.95 for p95) of a server benchmark's times."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    """p50, p95, p99, max and mean of times in milliseconds (the progress and dashboard benchmarks)."""
    return {
        "p50_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "p99_ms": round(percentile(values, 0.99), 1),
        "max_ms": round(max(values), 1),
        "mean_ms": round(statistics.fmean(values), 1),
    }

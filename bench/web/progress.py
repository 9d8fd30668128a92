"""`make bench-web`, second part: the server time of `/progress/` for a member with a long history, under gunicorn
on PostgreSQL.

Steps, all on 127.0.0.1, every one bounded in time:
  1. a fresh database (bench_progress): Bounceback's migrations and its cache table
  2. the member (bench/web/progress_seed.py): 50 completed check-ups a fortnight apart (about two years) and two
     years of daily check-ins, all through the real actions; then queries and time per page, in-process
  3. gunicorn (sync workers, as bench/web/run.py starts it, plus an access log with each request's duration),
     the member signs in over HTTP (allauth's form, with CSRF), then one client asks for /progress/ again and again
  4. p50/p95/p99 of the server's own time per request (gunicorn's %(D)s), and of the time the client waited
Results go to bench/out/web/progress.json and to the bench-progress section of docs/benchmarks.md.

usage: bench/web/progress.py [--requests 300] [--warmup 30] [--checkups 50] [--days 730] [--no-docs]
       bench/web/progress.py --report-only   (rewrite the docs section from bench/out/web/progress.json)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.web import loadgen  # noqa: E402
from bench.web import run as web  # noqa: E402

PY = sys.executable
OUT = ROOT / "bench" / "out" / "web"
RESULTS = OUT / "progress.json"
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench-progress:start -->", "<!-- bench-progress:end -->"
DB = os.environ.get("BENCH_PROGRESS_DB", "bench_progress")
TARGET_P95_MS = 100.0
BATCH = 10
QUIET_CORES = 0.3
"""A batch counts as quiet when other work on the machine used at most this many cores during it."""
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s"
"""Method, path, status and the request's duration in microseconds, as gunicorn measured it."""


@dataclasses.dataclass(frozen=True)
class LoggedWorkers(web.Workers):
    """The web benchmark's worker setup, with an access log of each request's duration."""

    access_log: str = ""

    def args(self) -> list[str]:
        return [*super().args(), "--access-logfile", self.access_log, "--access-logformat", ACCESS_FORMAT]


def use_database() -> None:
    """Point run.py's helpers (env_for, machine) at this benchmark's own database."""
    web.DB = DB
    web.DATABASE_URL = f"postgres://{web.PG['user']}@{web.PG['host']}:{web.PG['port']}/{DB}"


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **web.PG) as conn:  # type: ignore[arg-type]
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    env = web.env_for("bench.web.settings")
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    subprocess.run([PY, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, timeout=60)


def sign_in(http: loadgen.Http, email: str, password: str) -> None:
    page = http.request("GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert page.status == 200 and token, f"the sign-in page: {page.status}"
    done = http.request(
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password},
        headers={"Referer": f"http://127.0.0.1:{http.port}/accounts/login/"},
    )
    assert done.status == 302, f"signing in answered {done.status}"


def run(args: argparse.Namespace) -> dict[str, object]:
    OUT.mkdir(parents=True, exist_ok=True)
    use_database()
    t_start = time.monotonic()
    seed = ["--checkups", str(args.checkups), "--days", str(args.days)]
    if args.reuse_database:
        print(f"database: {DB} as the last run left it", flush=True)
        seed.append("--no-seed")
    else:
        print(f"database: fresh {DB}, migrate, createcachetable", flush=True)
        fresh_database()
        print(
            f"seeding: {args.checkups} check-ups and {args.days} days of check-ins through the actions",
            flush=True,
        )
    seeded = subprocess.run(
        [PY, "bench/web/progress_seed.py", *seed],
        cwd=ROOT,
        env=web.env_for("bench.web.settings"),
        capture_output=True,
        text=True,
        check=True,
        timeout=1200,
    )
    member = json.loads(seeded.stdout.strip().splitlines()[-1])
    print(
        f"  seeded in {member['seed_seconds']} s; {member['queries']} queries per page in-process, "
        f"{member['in_process_ms_median']} ms median, {member['bytes']:,} bytes",
        flush=True,
    )
    quiet = web.wait_for_quiet(args.quiet_wait)
    access_log = OUT / "progress-access.log"
    access_log.unlink(missing_ok=True)
    workers = LoggedWorkers("sync", 2, access_log=str(access_log))
    waited: list[float] = []
    with web.gunicorn("bounceback.wsgi:application", "bench.web.settings", workers, OUT / "progress.log") as (
        port,
        pgid,
    ):
        http = loadgen.Http(port)
        sign_in(http, str(member["email"]), str(member["password"]))

        def ask() -> float:
            started = time.perf_counter()
            response = http.request("GET", "/progress/")
            if response.status != 200 or "Your progress" not in response.text:
                raise RuntimeError(f"/progress/ answered {response.status}")
            return (time.perf_counter() - started) * 1000

        for _ in range(args.warmup):
            ask()
        # The machine is shared: requests go in batches, each started only while other work is light (or once
        # the wait runs out), and each batch is marked by how much other work ran during it.
        deadline = time.monotonic() + args.budget
        batch_of: list[float] = []  # the other work during each measured request's batch
        while len(waited) < args.requests:
            if time.monotonic() < deadline and web.others_cores(0.5) > QUIET_CORES:
                time.sleep(1.0)
                continue
            before, t0 = web._cpu_snapshot({pgid}), time.monotonic()
            times = [ask() for _ in range(min(BATCH, args.requests - len(waited)))]
            busy = web._others(before, web._cpu_snapshot({pgid})) / (time.monotonic() - t0)
            waited += times
            batch_of += [busy] * len(times)
        http.close()
    time.sleep(0.5)  # let gunicorn flush its access log
    server: list[float] = []
    for line in access_log.read_text().splitlines():
        method, path, status, micros = line.split()
        if method == "GET" and path == "/progress/" and status == "200":
            server.append(int(micros) / 1000)
    server = server[-args.requests :]  # the measured requests, in order (one connection, one at a time)
    quiet_server = [t for t, busy in zip(server, batch_of, strict=True) if busy <= QUIET_CORES]
    quiet_waited = [t for t, busy in zip(waited, batch_of, strict=True) if busy <= QUIET_CORES]
    others = statistics.fmean(batch_of)
    return {
        "machine": web.machine(workers, quiet),
        "member": {
            k: member[k] for k in ("queries", "query_shapes", "in_process_ms_median", "bytes", "seed_seconds")
        },
        "settings": {
            "checkups": args.checkups,
            "days": args.days,
            "requests": args.requests,
            "warmup": args.warmup,
            "workers": "sync × 2",
        },
        "server": web.summary(server),
        "client": web.summary(waited),
        "quiet_server": web.summary(quiet_server) if quiet_server else {},
        "quiet_client": web.summary(quiet_waited) if quiet_waited else {},
        "quiet_requests": len(quiet_server),
        "others_cores": round(others, 2),
        "total_seconds": round(time.monotonic() - t_start, 1),
    }


def report(data: dict[str, object]) -> str:
    m: dict[str, str] = data["machine"]  # type: ignore[assignment]
    member: dict[str, object] = data["member"]  # type: ignore[assignment]
    s: dict[str, object] = data["settings"]  # type: ignore[assignment]
    server: dict[str, float] = data["server"]  # type: ignore[assignment]
    client: dict[str, float] = data["client"]  # type: ignore[assignment]
    quiet: dict[str, float] = data.get("quiet_server") or {}  # type: ignore[assignment]
    quiet_n = int(data.get("quiet_requests", 0))  # type: ignore[call-overload]
    judged, judged_on = (
        (quiet, f"the {quiet_n} requests in quiet batches") if quiet_n >= 100 else (server, "all requests")
    )
    ok = judged["p95_ms"] <= TARGET_P95_MS
    shapes = "; ".join(f"`{q}`" for q in member["query_shapes"])  # type: ignore[attr-defined]

    def row(label: str, f: dict[str, float]) -> str:
        return f"| {label} | {f['p50_ms']} | {f['p95_ms']} | {f['p99_ms']} | {f['max_ms']} |"

    rows = [
        *([row(f"server time, quiet batches ({quiet_n} requests)", quiet)] if quiet else []),
        row(f"server time, all {s['requests']} requests", server),
        row("what the client waited, all requests (loopback, one keep-alive connection)", client),
    ]
    out = [
        START,
        "## Progress page under gunicorn (`make bench-web`, second part)",
        "",
        "Generated by `bench/web/progress.py` (run by `make bench-web` after the autosave benchmark); do not edit by",
        "hand. One member with a long history, written through the real actions (`bench/web/progress_seed.py`):",
        f"**{s['checkups']} completed check-ups** a fortnight apart and **{s['days']} days of daily check-ins** (about",
        "one day in ten skipped, some with a journal note). The member signs in over HTTP, then one client asks for",
        f"`/progress/` {s['requests']} times, one at a time, after {s['warmup']} warm-up requests, on PostgreSQL under",
        f"gunicorn (workers {s['workers']}, `DATABASE_CONN_MAX_AGE={web.CONN_MAX_AGE}`, `bench/web/settings.py`).",
        "The server time is gunicorn's own measure of each request (access log `%(D)s`); the page is built whole",
        "on every request (nothing cached). The machine is shared (2 cores): requests go in batches of "
        f"{BATCH}, each started",
        f"once other work uses under {QUIET_CORES} cores (or when the wait runs out), and a batch counts as quiet",
        f"when other work stayed under {QUIET_CORES} cores while it ran. Other work, averaged over the batches: "
        f"{data['others_cores']} cores.",
        "",
        "| Measure, ms | p50 | p95 | p99 | max |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        "| Target | Measured | Verdict |",
        "|---|---|---|",
        f"| server p95 ≤ {TARGET_P95_MS:g} ms ({judged_on}) | {judged['p95_ms']} ms | {web.verdict(ok)} |",
        f"| a constant number of queries, whatever the history | {member['queries']} per page (the same for 3 "
        "check-ups as for 50: `progress/tests/test_views.py::ConstantQueriesTest`) | met |",
        "",
        "In-process (Django's test client, no HTTP, in the process that had just seeded the data): median "
        f"{member['in_process_ms_median']} ms, "
        f"{member['bytes']:,} bytes of HTML; the queries: {shapes}.",
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in m.items() if k not in {"workers"}) + ".",
        "",
        "```sh",
        "make bench-web                                   # both parts",
        ".venv/bin/python bench/web/progress.py           # this part alone, about a minute",
        ".venv/bin/python bench/web/progress.py --report-only",
        "```",
        END,
    ]
    return "\n".join(out)


def write_docs(section: str) -> None:
    web.write_docs(section, START, END)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--checkups", type=int, default=50)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--quiet-wait", type=float, default=60.0)
    parser.add_argument(
        "--budget", type=float, default=600.0, help="seconds to wait for quiet batches, at most"
    )
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument(
        "--reuse-database", action="store_true", help="measure the member the last run seeded"
    )
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args()
    if not (1 <= args.requests <= 5000 and 0 <= args.warmup <= 1000 and 1 <= args.checkups <= 500):
        raise SystemExit("requests 1..5000, warmup 0..1000, check-ups 1..500")
    if args.report_only:
        write_docs(report(json.loads(RESULTS.read_text())))
        print(f"rewrote the bench-progress section of {DOCS.relative_to(ROOT)}")
        return
    data = run(args)
    RESULTS.write_text(json.dumps(data, indent=2) + "\n")
    server, client = data["server"], data["client"]
    print(
        f"server: {server}\nclient: {client}\nresults: {RESULTS.relative_to(ROOT)} ({data['total_seconds']} s)"
    )
    if not args.no_docs:
        write_docs(report(data))
        print(f"wrote the bench-progress section of {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

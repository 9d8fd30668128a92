"""Queries per autosave, counted in-process with Django's test client and CaptureQueriesContext.

A visitor starts a check-up, opens its first page, and autosaves its first (non-safety) question: once (the
insert) and then `--saves` more times with alternating values (updates, the steady state of the benchmark).
The autosave request is discovered from the page's HTML exactly as the load generator does. Prints JSON.

usage: DJANGO_SETTINGS_MODULE=bench.web.settings python bench/web/queries.py [--saves 100]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.web.loadgen import autosave_of, is_saved, saved_revision, start_form  # noqa: E402

CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def shape(sql: str) -> str:
    """A query without its values, short enough for a table."""
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    verb = sql.split()[0].upper() if sql.split() else ""
    tables = re.findall(r'(?:FROM|INTO|UPDATE|JOIN)\s+"?(\w+)"?', sql, flags=re.IGNORECASE)
    extra = " FOR UPDATE" if "FOR UPDATE" in sql.upper() else ""
    if verb in CONTROL:
        return verb
    return f"{verb} {', '.join(dict.fromkeys(tables))}{extra}".strip()


def is_control(sql: str) -> bool:
    """BEGIN, COMMIT, savepoints: statements that manage a transaction rather than read or write data."""
    return sql.split()[0].upper() in CONTROL if sql.split() else False


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--saves", type=int, default=100)
    args = parser.parse_args()

    client = Client(HTTP_HOST="127.0.0.1")
    page = client.get("/checkup/")
    action, fields = start_form(page.content.decode(), "/checkup/")
    response = client.post(action, fields, follow=True)
    path = urlsplit(response.redirect_chain[-1][0]).path if response.redirect_chain else action
    spec = autosave_of(response.content.decode(), path)

    sql_seconds = [0.0]

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_seconds[0] += time.perf_counter() - t0

    def save(turn: int) -> tuple[int, list[dict[str, str]], float]:
        body = spec.body(spec.values[turn % len(spec.values)])
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            t0 = time.perf_counter()
            answer = client.post(spec.action, body, HTTP_HX_REQUEST="true")
            elapsed = time.perf_counter() - t0
        text = answer.content.decode()
        if answer.status_code != 200 or not is_saved(text):
            raise SystemExit(f"autosave failed: {answer.status_code} {text[:200]}")
        revision = saved_revision(text, spec.revision_field)
        if revision is not None:
            spec.revision = revision
        return len(captured.captured_queries), captured.captured_queries, elapsed

    first_count, first_queries, _ = save(1)
    counts: list[int] = []
    wall: list[float] = []
    sql: list[float] = []
    last: list[dict[str, str]] = []
    for turn in range(2, 2 + args.saves):
        sql_seconds[0] = 0.0
        count, queries, elapsed = save(turn)
        counts.append(count)
        wall.append(elapsed * 1000)
        sql.append(sql_seconds[0] * 1000)
        last = queries
    print(
        json.dumps(
            {
                "item": spec.item,
                "action_shape": re.sub(r"[0-9a-f-]{36}", "<id>", spec.action),
                "fields": sorted(spec.body("x")),
                "first_save_queries": first_count,
                "first_save_shapes": [shape(q["sql"]) for q in first_queries],
                "queries_per_save": statistics.median(counts),
                "queries_min": min(counts),
                "queries_max": max(counts),
                "transaction_control_per_save": sum(1 for q in last if is_control(q["sql"])),
                "shapes": [shape(q["sql"]) for q in last],
                "in_process_ms_median": round(statistics.median(wall), 2),
                "sql_ms_median": round(statistics.median(sql), 2),
                "saves": args.saves,
            }
        )
    )


if __name__ == "__main__":
    main()

"""Seed the progress benchmark's member: 50 completed check-ups (fortnightly, about two years) and two years of
daily check-ins, every one written through the real actions; then count and time /progress/ in-process.

Prints one JSON line: the member's login, and the in-process figures (queries, median time).

usage: DJANGO_SETTINGS_MODULE=bench.web.settings python bench/web/progress_seed.py [--checkups 50] [--days 730]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.web.queries import shape  # noqa: E402
from bounceback.accounts import actions as accounts  # noqa: E402
from bounceback.accounts.models import Role, User  # noqa: E402
from bounceback.checkups import actions as checkups  # noqa: E402
from bounceback.tracking.actions import local_today, save_checkin, zone_of  # noqa: E402

EMAIL, PASSWORD = "progress@bench.bounceback.test", "a long benchmark passphrase 42"


def answers(rng: random.Random, share: float) -> dict[str, int]:
    """One check-up in the stepped battery's order; symptoms ease as ``share`` goes from 0 to 1."""
    high = share < 0.5 or rng.random() < 0.3
    phq = [rng.choice((1, 2, 3) if high else (0, 1, 1, 2)) for _ in range(8)]
    phq[0] = max(phq[0], 2)
    phq[1] = max(phq[1], 1)  # PHQ-2 at 3 or more: the full PHQ-9 is asked
    gad = [rng.choice((1, 2, 3) if high else (0, 1, 2)) for _ in range(7)]
    gad[0] = max(gad[0], 2)
    gad[1] = max(gad[1], 1)
    return {
        **{f"brs_{n}": rng.randint(2, 4) for n in range(1, 7)},
        **{f"phq9_{n}": v for n, v in enumerate(phq, start=1)},
        "phq9_9": 0,
        "phq9_10": 1,
        **{f"gad7_{n}": v for n, v in enumerate(gad, start=1)},
        "pcptsd5_exposure": 0,
        "osss3_1": rng.randint(1, 4),
        "osss3_2": rng.randint(1, 5),
        "osss3_3": rng.randint(1, 5),
        **{f"ucla3_{n}": rng.randint(1, 3) for n in range(1, 4)},
        "evs_days": rng.randint(1, 6),
        "evs_minutes": rng.choice((20, 30, 45)),
        **{f"swls_{n}": rng.randint(2, 6) for n in range(1, 6)},
    }


def seed(checkup_count: int, days: int) -> None:
    user, _created = accounts.set_up_account(
        email=EMAIL,
        username="bench-progress",
        first_name="Bench",
        last_name="Progress",
        role=Role.MEMBER,
        password=PASSWORD,
    )
    accounts.complete_onboarding(user, adult=True, consented=True, country="US", time_zone="America/New_York")
    rng = random.Random(50)
    now = timezone.now()
    for n in range(checkup_count):
        checkup, _secret = checkups.start_checkup(actor=user, context=["job_loss"], country="US")
        for item_id, value in answers(rng, n / max(checkup_count - 1, 1)).items():
            checkups.save_answer(checkup, item_id, value, actor=user)
        assert checkups.complete_if_done(checkup, actor=user), "the benchmark's answers complete a check-up"
        started = now - timedelta(days=3 + 14 * (checkup_count - 1 - n))
        checkups.backdate_for_demo(checkup, started_at=started, completed_at=started + timedelta(minutes=9))
    today, zone = local_today(user), zone_of(user)
    for n in range(days):
        day = today - timedelta(days=days - n)
        if rng.random() < 0.1:
            continue  # a few days missed, as in life
        save_checkin(
            user,
            day,
            {
                "mood": rng.randint(2, 9),
                "sleep_hours": Decimal(rng.choice(("5.5", "6", "6.5", "7", "7.5", "8"))),
                "sleep_quality": rng.randint(1, 5),
                "exercise_minutes": rng.choice((0, 0, 20, 30, 45)),
                "mindfulness_minutes": rng.choice((0, 5, 10)),
                "connected": rng.random() < 0.5,
                "note": "A benchmark day." if rng.random() < 0.2 else "",
            },
            now=datetime.combine(day, clock(20, 0), tzinfo=zone),
        )


def in_process(requests: int) -> dict[str, object]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=EMAIL))
    client.get("/progress/")
    seen: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get("/progress/")
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        client.get("/progress/")
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "queries": len(seen),
        "query_shapes": [shape(sql) for sql in seen],
        "in_process_ms_median": round(statistics.median(times), 1),
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--checkups", type=int, default=50)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--no-seed", action="store_true", help="the member exists already: only measure")
    args = parser.parse_args()
    t0 = time.monotonic()
    if not args.no_seed:
        seed(args.checkups, args.days)
    seeded = time.monotonic() - t0
    figures = in_process(args.requests)
    print(json.dumps({"email": EMAIL, "password": PASSWORD, "seed_seconds": round(seeded, 1), **figures}))


if __name__ == "__main__":
    main()

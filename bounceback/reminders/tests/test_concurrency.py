"""Two schedulers planning at the same moment make one row per due item, and two workers racing for one row
claim it once (hazard H17), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from django.db import connection
from django.test import TransactionTestCase

from bounceback.reminders import outbox
from bounceback.reminders.models import Outbox, Status

from .helpers import member


def race(jobs: list[Callable[[], object]]) -> list[object]:
    """Run the jobs in threads released together; re-raise the first error."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[n] = jobs[n]()
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


class TwoSchedulersTest(TransactionTestCase):
    def test_two_schedulers_at_once_plan_each_due_item_once(self) -> None:
        joined = datetime.now(UTC) - timedelta(days=15)
        members = [member(f"member{n}", joined=joined) for n in range(12)]
        race([outbox.plan_all, outbox.plan_all, outbox.plan_all])
        self.assertEqual(Outbox.objects.count(), 2 * len(members))  # email and in-app each
        keys = list(Outbox.objects.values_list("member_id", "item", "due_date", "channel"))
        self.assertEqual(len(keys), len(set(keys)))

    def test_two_workers_claim_a_row_once(self) -> None:
        member("alice", joined=datetime.now(UTC) - timedelta(days=15))
        outbox.plan_all()
        row = Outbox.objects.filter(status=Status.PENDING).first()
        assert row is not None
        now = datetime.now(UTC) + timedelta(hours=24)  # well past its time
        claims = race([partial(outbox.claim, row.pk, f"worker-{n}", now) for n in range(6)])
        winners = [c for c in claims if c is not None]
        self.assertEqual(len(winners), 1)
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts), (Status.SENDING, 1))

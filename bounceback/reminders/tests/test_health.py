"""``/health/`` reports background work (hazards H07, H24): the scheduler's heartbeat and the outbox's oldest
waiting send, "degraded" (still 200) when either is wrong, and only the database when it is down."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.test import TestCase, override_settings

from bounceback.reminders import outbox
from bounceback.reminders.models import Channel, Outbox, Status

from .helpers import member

NOW = datetime(2026, 6, 10, 12, tzinfo=UTC)


@override_settings(BOUNCEBACK_SCHEDULER_INTERVAL=30)
class HealthTest(TestCase):
    def health(self) -> dict[str, object]:
        response = self.client.get("/health/")
        self.assertEqual(response.status_code, 200)
        body: dict[str, object] = response.json()
        return body

    def test_it_says_degraded_before_the_scheduler_ever_ran(self) -> None:
        with time_machine.travel(NOW, tick=False):
            body = self.health()
        self.assertEqual(body["status"], "degraded")
        self.assertEqual(body["scheduler"], {"state": "never", "last_heartbeat": None, "age_seconds": None})

    def test_it_reports_the_heartbeat_and_the_oldest_waiting_send(self) -> None:
        alice = member("alice", joined=NOW - timedelta(days=20))
        with time_machine.travel(NOW, tick=False) as clock:
            outbox.beat(now=NOW)
            body = self.health()
            self.assertEqual(
                {
                    key: body[key] for key in ("database", "status", "scheduler", "outbox")
                },  # video, alerts: theirs
                {
                    "database": "ok",
                    "status": "ok",
                    "scheduler": {"state": "ok", "last_heartbeat": NOW.isoformat(), "age_seconds": 0},
                    "outbox": {"state": "ok", "waiting": 0, "oldest_waiting_seconds": 0, "failed": 0},
                },
            )
            Outbox.objects.create(
                member=alice,
                due_date=date(2026, 6, 10),
                channel=Channel.EMAIL,
                send_at=NOW - timedelta(minutes=40),
            )
            clock.move_to(NOW + timedelta(seconds=91))  # three intervals and a second without a heartbeat
            body = self.health()
        self.assertEqual(body["status"], "degraded")
        self.assertEqual(
            body["scheduler"], {"state": "stale", "last_heartbeat": NOW.isoformat(), "age_seconds": 91}
        )
        self.assertEqual(
            body["outbox"],
            {"state": "late", "waiting": 1, "oldest_waiting_seconds": 40 * 60 + 91, "failed": 0},
        )

    def test_a_send_waiting_for_the_morning_is_not_waiting(self) -> None:
        alice = member("alice", joined=NOW - timedelta(days=20))
        Outbox.objects.create(
            member=alice, due_date=date(2026, 6, 10), channel=Channel.EMAIL, send_at=NOW + timedelta(hours=9)
        )
        Outbox.objects.create(
            member=alice, due_date=date(2026, 6, 11), channel=Channel.EMAIL, status=Status.SENT, send_at=NOW
        )
        with time_machine.travel(NOW, tick=False):
            outbox.beat(now=NOW)
            body = self.health()
        self.assertEqual(
            body["outbox"], {"state": "ok", "waiting": 0, "oldest_waiting_seconds": 0, "failed": 0}
        )

"""The message box and a conversation cost the same few queries however many threads and messages there are."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bounceback.messaging import actions

from .helpers import people, signed_in


class QueriesTest(TestCase):
    def counted(self, client: object, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)  # type: ignore[attr-defined]
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def test_pages_do_not_grow_with_the_history(self) -> None:
        p = people()
        start = timezone.now() - timedelta(days=30)
        first = actions.start_thread(p.alice, p.care, "First", "One", now=start)
        client = signed_in(p.dana)
        client.get(f"/messages/{first.public_id}/")  # the first view also makes the read mark and the session
        box_small, thread_small = (
            self.counted(client, "/messages/"),
            self.counted(client, f"/messages/{first.public_id}/"),
        )
        for n in range(20):
            thread = actions.start_thread(
                p.alice, p.care, f"Thread {n}", "Hi", now=start + timedelta(hours=n)
            )
            for m in range(3):
                actions.send_message(p.dana, thread, "Reply", now=start + timedelta(hours=n, minutes=m + 1))
        for m in range(40):
            sender = p.alice if m % 2 else p.dana
            actions.send_message(sender, first, f"Message {m}", now=start + timedelta(days=1, minutes=m))
        self.assertEqual(self.counted(client, "/messages/"), box_small)
        self.assertEqual(self.counted(client, f"/messages/{first.public_id}/"), thread_small)

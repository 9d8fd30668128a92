"""Notices through the outbox (``reminders/notices.py``): the apps above send visit and message notices with the
reminders' guarantees: once per (person, kind, thing, day, channel), fixed words with no health data, not sent
when the thing no longer wants it, and sent to clinicians as to members."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client, TestCase
from django.utils import timezone

from bounceback.accounts.models import Role
from bounceback.reminders import outbox
from bounceback.reminders.access import unread_notifications_of
from bounceback.reminders.models import Channel, Notification, Outbox, Status
from bounceback.reminders.notices import Notice, notice_of, notify, register, withdraw
from bounceback.test import enable_two_factor, make_user

from .helpers import smtp_server, smtp_settings

PING = Notice("test.ping", "Something new on Bounceback", "There is something new for you.", "/me/")
GONE = "gone-ref"
register(PING, still_wanted=lambda ref, recipient: ref != GONE)


def deliver_all() -> list[str]:
    return [
        outbox.deliver(pk)
        for pk in Outbox.objects.filter(item=PING.kind).order_by("pk").values_list("pk", flat=True)
    ]


class NotifyTest(TestCase):
    def test_it_plans_one_row_per_channel_once_a_day(self) -> None:
        alice = make_user("alice")
        self.assertEqual(notify(alice, PING.kind, "thing-1"), 2)  # in-app and email (a confirmed address)
        self.assertEqual(notify(alice, PING.kind, "thing-1"), 0)  # the same day: nothing more
        self.assertEqual(
            sorted(Outbox.objects.filter(member=alice).values_list("channel", flat=True)),
            [Channel.EMAIL, Channel.IN_APP],
        )
        self.assertEqual(notify(alice, PING.kind, "thing-2"), 2)  # another thing: its own notice

    def test_it_refuses_an_unknown_kind_and_a_bad_registration(self) -> None:
        alice = make_user("alice")
        with self.assertRaises(ValueError):
            notify(alice, "no.such.kind", "x")
        with self.assertRaises(ValueError):
            register(Notice("test.ping", "Other words", "Other words.", "/me/"))
        with self.assertRaises(ValueError):
            register(Notice("test.elsewhere", "s", "b", "https://example.org/"))
        register(PING)  # the same notice again is harmless
        self.assertEqual(notice_of(PING.kind), PING)

    def test_it_sends_fixed_words_by_email_and_in_app_and_never_twice(self) -> None:
        bob = make_user("bob", role=Role.CLINICIAN)  # notices reach clinicians too
        enable_two_factor(bob)
        with smtp_server() as (box, _controller), smtp_settings(box.port):
            notify(bob, PING.kind, "thing-1")
            self.assertEqual(sorted(deliver_all()), ["sent", "sent"])
            self.assertEqual(sorted(deliver_all()), ["not claimed", "not claimed"])
        self.assertEqual(len(box.messages), 1)
        message = box.messages[0]
        self.assertEqual(message["Subject"], PING.subject)
        body = message.get_content()
        self.assertIn(PING.body, body)
        self.assertIn("/me/", body)
        self.assertNotIn("thing-1", body)
        self.assertEqual(Notification.objects.filter(member=bob, item=PING.kind).count(), 1)

    def test_a_notice_no_longer_wanted_is_cancelled_not_sent(self) -> None:
        alice = make_user("alice")
        notify(alice, PING.kind, GONE)
        self.assertEqual(deliver_all(), ["cancelled", "cancelled"])
        self.assertFalse(Notification.objects.filter(member=alice).exists())

    def test_withdraw_cancels_what_has_not_gone(self) -> None:
        alice = make_user("alice")
        notify(alice, PING.kind, "visit-1", send_at=timezone.now() + timedelta(days=1))
        self.assertEqual(withdraw(PING.kind, "visit-1"), 2)
        self.assertEqual(
            set(Outbox.objects.filter(member=alice).values_list("status", flat=True)), {Status.CANCELLED}
        )

    def test_a_later_notice_waits_for_its_time(self) -> None:
        alice = make_user("alice")
        notify(alice, PING.kind, "visit-1", send_at=timezone.now() + timedelta(hours=2))
        self.assertEqual(deliver_all(), ["not claimed", "not claimed"])


class NoticesPageTest(TestCase):
    def test_it_lists_unread_notices_and_opening_one_marks_it_read(self) -> None:
        alice = make_user("alice")
        notify(alice, PING.kind, "thing-1")
        outbox.deliver(Outbox.objects.get(member=alice, channel=Channel.IN_APP).pk)
        client = Client()
        client.force_login(alice)
        page = client.get("/notifications/")
        self.assertContains(page, PING.body)
        self.assertContains(client.get("/me/"), 'Notifications <span class="count">(1')
        notice = Notification.objects.get(member=alice)
        self.assertEqual(unread_notifications_of(alice), [])  # not a check-in reminder
        response = client.post(f"/notifications/{notice.public_id}/open/", {"then": "open"})
        self.assertRedirects(response, "/me/", fetch_redirect_response=False)
        self.assertNotContains(client.get("/notifications/"), PING.body)

    def test_it_checks_access(self) -> None:
        alice, eve = make_user("alice"), make_user("eve")
        notify(alice, PING.kind, "thing-1")
        outbox.deliver(Outbox.objects.get(member=alice, channel=Channel.IN_APP).pk)
        notice = Notification.objects.get(member=alice)
        client = Client()
        client.force_login(eve)
        response = client.post(f"/notifications/{notice.public_id}/open/", {"then": "open"})
        self.assertEqual(response.status_code, 404)
        self.assertIsNone(Notification.objects.get(pk=notice.pk).read_at)
        self.assertEqual(eve.notifications.count(), 0)

    def test_it_requires_login(self) -> None:
        response = Client().get("/notifications/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

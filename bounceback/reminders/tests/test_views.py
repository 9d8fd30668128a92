"""The reminder pages: settings (members only, planned at once), the one-click unsubscribe (RFC 8058: headers
present, a POST with no sign-in and no CSRF token works, a forged token is refused), notifications on My
check-ups, the due re-assessment's start, and no health data in any email, notification, address or log line
(hazard H18, test T18)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta

import time_machine
from django.core import mail
from django.test import Client, TestCase, override_settings

from bounceback.accounts.models import Role
from bounceback.checkups.models import CheckUp
from bounceback.reminders import outbox
from bounceback.reminders.channels import SUBJECT, unsubscribe_token
from bounceback.reminders.models import Channel, Notification, Outbox, ReminderSettings, Status
from bounceback.test import enable_two_factor, make_user

from .helpers import member

JOINED = datetime(2026, 3, 1, 12, tzinfo=UTC)
DUE = datetime(2026, 3, 15, 9, 0, 30, tzinfo=UTC)
SITE = "https://bounceback.example"
SETTINGS = {
    "instruments": ["brs", "gad7"],
    "every_days": "28",
    "at": "07:30",
    "quiet_start": "22:00",
    "quiet_end": "07:00",
    "email": "on",
    "time_zone": "Australia/Sydney",
}


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@override_settings(BOUNCEBACK_SITE_URL=SITE)
class ReminderEmailTest(TestCase):
    def setUp(self) -> None:
        self.alice = member("alice", zone="Europe/London", joined=JOINED)

    def send(self) -> None:
        with time_machine.travel(DUE, tick=False):
            outbox.scheduler_round()
            for row in Outbox.objects.all():
                self.assertEqual(outbox.deliver(row.pk), "sent")

    def test_it_says_nothing_but_that_a_check_in_waits_with_a_one_click_unsubscribe(self) -> None:
        self.send()
        [message] = mail.outbox
        self.assertEqual(message.subject, SUBJECT)
        self.assertEqual(message.to, ["alice@example.org"])
        headers = message.extra_headers
        self.assertEqual(headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertRegex(
            headers["List-Unsubscribe"], r"^<https://bounceback\.example/reminders/unsubscribe/[^>]+/>$"
        )
        self.assertIn(f"{SITE}/checkup/due/", message.body)
        self.assertEqual(headers["Auto-Submitted"], "auto-generated")

    def test_a_one_click_post_unsubscribes_without_sign_in_or_csrf(self) -> None:
        self.send()
        url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>").removeprefix(SITE)
        client = Client(enforce_csrf_checks=True)
        self.assertContains(client.get(url), "Stop reminder emails")  # a GET (a mail scanner) changes nothing
        self.assertTrue(ReminderSettings.objects.filter(member=self.alice).first() is None)
        response = client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        self.assertContains(response, "no more reminder emails")
        self.assertFalse(ReminderSettings.objects.get(member=self.alice).email)
        with time_machine.travel(datetime(2026, 3, 29, 7, tzinfo=UTC), tick=False):
            outbox.scheduler_round()
        self.assertEqual(  # the next due date gets an in-app reminder only
            {r.channel for r in Outbox.objects.filter(due_date=date(2026, 3, 29))}, {Channel.IN_APP}
        )

    def test_a_forged_token_is_refused(self) -> None:
        client = Client(enforce_csrf_checks=True)
        genuine = unsubscribe_token(self.alice)
        for forged in (genuine[:-2] + "xx", f"{self.alice.public_id}:nope", "nonsense"):
            response = client.post(
                f"/reminders/unsubscribe/{forged}/",
                "List-Unsubscribe=One-Click",
                content_type="application/x-www-form-urlencoded",
            )
            self.assertEqual(response.status_code, 400, forged)
            self.assertEqual(client.get(f"/reminders/unsubscribe/{forged}/").status_code, 400)
        self.assertFalse(ReminderSettings.objects.filter(member=self.alice, email=False).exists())

    def test_no_health_data_in_any_email_notification_address_or_log_line(self) -> None:
        # Severe results and a suicide-risk flag: none of it may reach a reminder, an address or a log.
        checkup = CheckUp.objects.create(owner=self.alice, completed_at=JOINED)
        checkup.results.create(
            instrument_id="phq9",
            instrument_version=1,
            total=26,
            band="severe",
            complete=False,
            flags=";suicidal_ideation;",
            completed_at=JOINED,
        )
        banned = re.compile(
            r"phq|gad|brs|asq|pcl|depress|anxi|suicid|crisis|severe|moderate|score|band|resilien|self-harm|"
            r"alice@example",
            re.IGNORECASE,
        )
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("bounceback.reminders").debug("probe")
            self.send()
            client = signed_in(self.alice)
            me = client.get("/me/").content.decode()
        [message] = mail.outbox
        token = unsubscribe_token(self.alice)
        for text in (message.subject, message.body, *message.extra_headers.values()):
            self.assertIsNone(banned.search(text.replace(token, "TOKEN")), text)
        for line in logs.output:
            self.assertIsNone(banned.search(line), line)
        notification = Notification.objects.get()
        panel = me[me.index('class="notification"') : me.index("</form>", me.index('class="notification"'))]
        self.assertIsNone(banned.search(panel), panel)
        for url in re.findall(r"https?://\S+", str(message.body)):
            self.assertIsNone(banned.search(url.replace(token, "TOKEN")), url)
        self.assertNotIn(str(notification.due_date), message.body)


class SettingsPageTest(TestCase):
    def test_the_next_reminder_is_shown_at_the_members_own_time_not_utc(self) -> None:
        bea = member("bea", zone="America/New_York", joined=JOINED)
        with time_machine.travel(datetime(2026, 3, 10, tzinfo=UTC), tick=False):
            page = signed_in(bea).get("/reminders/")
        self.assertContains(page, "Next reminder: Sunday 15 March at 09:00 (America/New_York time)")

    def test_it_works(self) -> None:
        alice = member("alice", zone="Europe/London", joined=JOINED)
        client = signed_in(alice)
        with time_machine.travel(datetime(2026, 3, 10, tzinfo=UTC), tick=False):
            page = client.get("/reminders/")
            self.assertContains(page, "Nothing is due")
            self.assertContains(page, "Next reminder: Sunday 15 March at 09:00 (Europe/London time)")
            response = client.post("/reminders/", SETTINGS)
            self.assertRedirects(response, "/reminders/")
        alice.refresh_from_db()
        stored = ReminderSettings.objects.get(member=alice)
        self.assertEqual(
            (alice.time_zone, stored.instruments, stored.every_days, stored.in_app),
            ("Australia/Sydney", "brs,gad7", 28, False),
        )
        self.assertEqual(  # planned at once: 07:30 in Sydney on its 29 March (still on summer time)
            [(r.due_date, r.channel, r.send_at) for r in Outbox.objects.filter(status=Status.PENDING)],
            [(date(2026, 3, 29), Channel.EMAIL, datetime(2026, 3, 28, 20, 30, tzinfo=UTC))],
        )

    def test_it_refuses_a_time_inside_quiet_hours(self) -> None:
        alice = member("alice", joined=JOINED)
        response = signed_in(alice).post("/reminders/", {**SETTINGS, "at": "23:00"})
        self.assertContains(response, "inside your quiet hours", status_code=400)
        self.assertFalse(ReminderSettings.objects.exists())

    def test_it_requires_login_and_a_member(self) -> None:
        self.assertEqual(Client().get("/reminders/").status_code, 302)
        bob = make_user("bob", role=Role.CLINICIAN)
        enable_two_factor(bob)
        self.assertEqual(signed_in(bob).get("/reminders/").status_code, 404)
        self.assertEqual(signed_in(bob).get("/checkup/due/").status_code, 404)

    def test_a_notification_is_dismissed_by_its_member_only(self) -> None:
        alice = member("alice", joined=JOINED)
        carol = member("carol", joined=JOINED)
        with time_machine.travel(DUE, tick=False):
            outbox.scheduler_round()
            for row in Outbox.objects.filter(channel=Channel.IN_APP):
                outbox.deliver(row.pk)
            self.assertContains(signed_in(alice).get("/me/"), "it is time for your next check-in")
        notification = Notification.objects.get(member=alice)
        url = f"/reminders/notifications/{notification.public_id}/dismiss/"
        self.assertEqual(signed_in(carol).post(url).status_code, 404)
        self.assertRedirects(signed_in(alice).post(url), "/me/", fetch_redirect_response=False)
        notification.refresh_from_db()
        self.assertIsNotNone(notification.read_at)
        self.assertNotContains(signed_in(alice).get("/me/"), "it is time for your next check-in")


class DueCheckupTest(TestCase):
    def test_it_starts_a_check_up_of_what_is_due(self) -> None:
        alice = member("alice", zone="Asia/Kolkata", joined=datetime.now(UTC) - timedelta(days=20))
        done = datetime.now(UTC) - timedelta(days=3)
        checkup = CheckUp.objects.create(owner=alice, completed_at=done)
        checkup.results.create(
            instrument_id="brs", instrument_version=1, total=4, complete=True, completed_at=done
        )
        client = signed_in(alice)
        page = client.get("/checkup/due/")
        self.assertContains(page, "PHQ-9: overdue since")
        self.assertContains(page, "GAD-7: overdue since")
        self.assertNotContains(page, "Brief Resilience Scale")
        response = client.post("/checkup/due/")
        started = CheckUp.objects.exclude(pk=checkup.pk).get(owner=alice)
        self.assertRedirects(response, f"/checkup/{started.public_id}/", fetch_redirect_response=False)
        self.assertEqual(started.instruments, ["phq9", "gad7"])

    def test_nothing_due_starts_nothing(self) -> None:
        alice = member("alice", joined=datetime.now(UTC))
        client = signed_in(alice)
        self.assertContains(client.get("/checkup/due/"), "Nothing is due right now")
        self.assertEqual(client.post("/checkup/due/").status_code, 200)
        self.assertFalse(CheckUp.objects.exists())
        self.assertEqual(Client().get("/checkup/due/").status_code, 302)

"""A member's message waiting past the clinician's reply time is escalated by the scheduler's job: the clinician
is reminded and the clinic's administrators are told, with fixed words, once a day while it waits; an answer
stops it (hazard H28, test T28)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from bounceback.care.actions import end_care
from bounceback.messaging import actions
from bounceback.messaging.access import overdue_threads
from bounceback.messaging.notify import OVERDUE, OVERDUE_TO_CLINIC
from bounceback.reminders import outbox
from bounceback.reminders.jobs import run_jobs
from bounceback.reminders.models import Outbox

from .helpers import people, signed_in

SECRET = re.compile(r"suicid|depress|Alice|Dana|Example|Worried", re.IGNORECASE)


def deliver(kind: str) -> list[str]:
    rows = Outbox.objects.filter(item=kind, status="pending").order_by("pk")
    return [outbox.deliver(pk) for pk in rows.values_list("pk", flat=True)]


class OverdueTest(TestCase):
    def setUp(self) -> None:
        self.p = people()
        self.now = timezone.now()

    def test_a_message_past_the_reply_time_is_escalated_once_a_day(self) -> None:
        p = self.p
        thread = actions.start_thread(
            p.alice, p.care, "Hello", "I feel depressed", now=self.now - timedelta(hours=47)
        )
        self.assertEqual(overdue_threads(self.now), [])
        self.assertEqual(actions.escalate_overdue(self.now), 0)
        later = self.now + timedelta(hours=2)  # 49 hours: past Dana's 48
        [overdue] = overdue_threads(later)
        self.assertEqual((overdue.thread, overdue.waiting_since), (thread, self.now - timedelta(hours=47)))
        self.assertEqual(actions.escalate_overdue(later), 4)  # Dana and Olga, in-app and email each
        self.assertEqual(actions.escalate_overdue(later), 0)  # the same day: nothing more
        self.assertEqual(
            {(r.member, r.item) for r in Outbox.objects.filter(item__startswith="message.overdue")},
            {(p.dana, OVERDUE.kind), (p.olga, OVERDUE_TO_CLINIC.kind)},
        )

    def test_the_scheduler_runs_it_and_the_words_say_nothing_of_the_message(self) -> None:
        p = self.p
        actions.start_thread(p.alice, p.care, "Worried", "I feel depressed", now=self.now - timedelta(days=3))
        self.assertTrue(run_jobs(self.now)["messaging.overdue"])
        self.assertEqual(deliver(OVERDUE.kind) + deliver(OVERDUE_TO_CLINIC.kind), ["sent"] * 4)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["dana@example.org", "olga@example.org"])
        for message in mail.outbox:
            for text in (str(message.subject), str(message.body)):
                self.assertIsNone(SECRET.search(text), text)

    def test_an_answer_stops_it_and_a_reply_from_the_clinician_is_not_waiting(self) -> None:
        p = self.p
        thread = actions.start_thread(p.alice, p.care, "Hello", "Hello", now=self.now - timedelta(days=3))
        actions.escalate_overdue(self.now)
        actions.send_message(p.dana, thread, "Sorry for the wait.", now=self.now)
        self.assertEqual(overdue_threads(self.now + timedelta(days=5)), [])
        self.assertEqual(deliver(OVERDUE.kind) + deliver(OVERDUE_TO_CLINIC.kind), ["cancelled"] * 4)
        self.assertEqual(mail.outbox, [])
        actions.start_thread(p.dana, p.care, "From Dana", "Checking in", now=self.now - timedelta(days=3))
        self.assertEqual(overdue_threads(self.now), [])

    def test_the_wait_counts_from_the_first_unanswered_message(self) -> None:
        p = self.p
        thread = actions.start_thread(p.alice, p.care, "Hello", "One", now=self.now - timedelta(hours=50))
        actions.send_message(p.alice, thread, "Two", now=self.now - timedelta(hours=1))
        [overdue] = overdue_threads(self.now)
        self.assertEqual(overdue.waiting_since, self.now - timedelta(hours=50))

    def test_ended_care_is_not_escalated(self) -> None:
        p = self.p
        actions.start_thread(p.alice, p.care, "Hello", "Hello", now=self.now - timedelta(days=3))
        end_care(p.alice, p.care)
        self.assertEqual(overdue_threads(self.now), [])
        self.assertEqual(actions.escalate_overdue(self.now), 0)


class WaitingPageTest(TestCase):
    def test_it_works(self) -> None:
        p = people()
        page = signed_in(p.olga).get("/messages/waiting/")
        self.assertContains(page, "No message is waiting past its reply time.")
        actions.start_thread(
            p.alice, p.care, "Worried", "I feel depressed", now=timezone.now() - timedelta(days=3)
        )
        page = signed_in(p.olga).get("/messages/waiting/")
        self.assertContains(page, "<td>Dana Example</td>", html=False)
        self.assertContains(page, "Replies within 2 days")
        main = page.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
        self.assertIsNone(re.search(r"suicid|depress|Alice|Worried", main, re.IGNORECASE), main)

    def test_it_requires_login(self) -> None:
        response = Client().get("/messages/waiting/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))

    def test_it_checks_access(self) -> None:
        p = people()
        for person in (p.alice, p.dana, p.nora):
            self.assertEqual(signed_in(person).get("/messages/waiting/").status_code, 404)
        p.olga.staff.active = False
        p.olga.staff.save()
        self.assertEqual(signed_in(p.olga).get("/messages/waiting/").status_code, 404)

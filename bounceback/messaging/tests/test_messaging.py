"""Secure messaging: actions, access (one 404 for missing and forbidden), the pages, encryption at rest, and
notices that carry nothing of a message (hazards H13, H18, H28; tests T18, T28)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from django.core import mail
from django.db import connection
from django.http import Http404
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from bounceback.audit.models import AuditEvent
from bounceback.care.actions import end_care
from bounceback.messaging import access, actions
from bounceback.messaging.models import Message, Thread
from bounceback.messaging.notify import NEW_MESSAGE
from bounceback.messaging.rules import Invalid
from bounceback.reminders import outbox
from bounceback.reminders.models import Notification, Outbox
from bounceback.secure import crypto

from .helpers import people, signed_in

SUBJECT = "Suicidal thoughts since the depression got worse"
BODY = "I have been depressed and had suicidal thoughts again.\nThe new medication is not helping."
SECRET_WORDS = re.compile(r"suicid|depress|medication|Alice|Dana|Example", re.IGNORECASE)


class ActionsTest(TestCase):
    def setUp(self) -> None:
        self.p = people()

    def test_a_member_starts_a_thread_and_the_clinician_replies(self) -> None:
        p = self.p
        thread = actions.start_thread(p.alice, p.care, "  About   next week ", "Hello,\r\n\r\n\r\nsee you.")
        self.assertEqual(thread.subject, "About next week")
        reply = actions.send_message(p.dana, thread, "Thank you, see you then.")
        self.assertEqual(
            [(m.sender, m.body) for m in Message.objects.filter(thread=thread)],
            [(p.alice, "Hello,\n\nsee you."), (p.dana, "Thank you, see you then.")],
        )
        thread.refresh_from_db()
        self.assertEqual(thread.last_message_at, reply.sent_at)
        self.assertEqual(
            list(AuditEvent.objects.order_by("pk").values_list("action", "target_type", "target_id")),
            [
                ("message.thread.start", "thread", str(thread.public_id)),
                ("message.send", "message", str(reply.public_id)),
            ],
        )

    def test_it_refuses_blank_and_long_text_naming_the_field(self) -> None:
        p = self.p
        for subject, body, field in (
            ("", "words", "subject"),
            ("s" * 121, "words", "subject"),
            ("Fine", "  \n ", "body"),
            ("Fine", "b" * 5001, "body"),
        ):
            with self.assertRaises(Invalid) as caught:
                actions.start_thread(p.alice, p.care, subject, body)
            self.assertEqual(caught.exception.field, field)
        thread = actions.start_thread(p.alice, p.care, "s" * 120, "b" * 5000)
        with self.assertRaises(Invalid) as caught:
            actions.send_message(p.dana, thread, "")
        self.assertEqual(caught.exception.field, "body")
        self.assertEqual(Message.objects.count(), 1)

    def test_only_the_two_participants_of_an_active_relationship_write(self) -> None:
        p = self.p
        for outsider in (p.bob, p.erin, p.olga, p.nora):
            with self.assertRaises(Invalid):
                actions.start_thread(outsider, p.care, "Hello", "Hello")
        thread = actions.start_thread(p.alice, p.care, "Hello", "Hello")
        for outsider in (p.bob, p.erin, p.olga, p.nora):
            with self.assertRaises(Invalid):
                actions.send_message(outsider, thread, "Let me in")
        end_care(p.alice, p.care)
        for participant in (p.alice, p.dana):
            with self.assertRaises(Invalid) as caught:
                actions.send_message(participant, thread, "Still there?")
            self.assertEqual(caught.exception.field, "relationship")
        self.assertEqual(Message.objects.count(), 1)

    def test_a_deactivated_clinician_neither_writes_nor_reads(self) -> None:
        p = self.p
        thread = actions.start_thread(p.alice, p.care, "Hello", "Hello")
        p.dana.staff.active = False
        p.dana.staff.save()
        with self.assertRaises(Invalid):
            actions.send_message(p.dana, thread, "Hello")
        with self.assertRaises(Http404):
            access.get_thread(p.dana, thread.public_id)


class AccessTest(TestCase):
    def setUp(self) -> None:
        self.p = people()
        self.thread = actions.start_thread(self.p.alice, self.p.care, "Hello", "Hello")

    def test_only_the_participants_find_a_thread(self) -> None:
        p = self.p
        for person in (p.alice, p.dana):
            self.assertEqual(access.get_thread(person, self.thread.public_id), self.thread)
            self.assertEqual([r.thread for r in access.threads_of(person)], [self.thread])
        for person in (p.bob, p.erin, p.olga, p.nora):
            for ref in (
                self.thread.public_id,
                str(self.thread.public_id),
                uuid.uuid4(),
                "not-an-id",
                "9" * 4301,
            ):
                with self.assertRaises(Http404):
                    access.get_thread(person, ref)
            self.assertEqual(access.threads_of(person), [])
            with self.assertRaises(Http404):
                access.messages_of(person, self.thread)

    def test_an_ended_relationship_s_threads_stay_readable_by_the_member_only(self) -> None:
        p = self.p
        end_care(p.dana, p.care)
        self.assertEqual(access.get_thread(p.alice, self.thread.public_id), self.thread)
        [row] = access.threads_of(p.alice)
        self.assertFalse(row.writable)
        with self.assertRaises(Http404):
            access.get_thread(p.dana, self.thread.public_id)
        self.assertEqual(access.threads_of(p.dana), [])
        self.assertEqual(access.writable_relationships(p.alice), [])

    def test_unread_counts_threads_with_someone_else_s_newer_message(self) -> None:
        p = self.p
        self.assertEqual((access.unread_count(p.alice), access.unread_count(p.dana)), (0, 1))
        actions.mark_read(p.dana, self.thread)
        self.assertEqual(access.unread_count(p.dana), 0)
        later = timezone.now() + timedelta(seconds=1)
        actions.send_message(p.dana, self.thread, "Reply", now=later)
        actions.start_thread(p.dana, p.care, "Another", "Another", now=later + timedelta(seconds=1))
        self.assertEqual((access.unread_count(p.alice), access.unread_count(p.dana)), (2, 0))
        rows = access.threads_of(p.alice)
        self.assertEqual([r.thread.subject for r in rows], ["Another", "Hello"])  # newest first
        self.assertEqual([r.unread for r in rows], [True, True])
        actions.mark_read(p.alice, self.thread, now=later + timedelta(seconds=2))
        self.assertEqual([r.unread for r in access.threads_of(p.alice)], [True, False])
        for outsider in (p.bob, p.erin, p.olga, p.nora):
            self.assertEqual(access.unread_count(outsider), 0)
            with self.assertRaises(Invalid):
                actions.mark_read(outsider, self.thread)


class PagesTest(TestCase):
    def setUp(self) -> None:
        self.p = people()

    def test_it_works(self) -> None:
        p = self.p
        alice = signed_in(p.alice)
        compose = alice.get("/messages/new/")
        for words in (
            "Dana Example usually replies within 2 days.",
            "Messages are not watched around the clock",
            "not for emergencies",
            'href="tel:988"',
            'href="tel:911"',
            "Get help now",
        ):
            self.assertContains(compose, words)
        response = alice.post(
            "/messages/new/", {"to": str(p.care.public_id), "subject": "Next week", "body": "Can we talk?"}
        )
        thread = Thread.objects.get()
        self.assertRedirects(response, f"/messages/{thread.public_id}/#latest", fetch_redirect_response=False)

        dana = signed_in(p.dana)
        box = dana.get("/messages/")
        self.assertContains(box, "Next week")
        self.assertContains(box, "msg-unread")
        self.assertContains(box, 'Messages <span class="count">(1<span class="visually-hidden"> unread')
        page = dana.get(f"/messages/{thread.public_id}/")
        self.assertContains(page, "Can we talk?")
        self.assertContains(page, "Members are told you usually reply within 2 days.")
        self.assertContains(page, "not watched around the clock")
        self.assertNotContains(dana.get("/messages/"), "msg-unread")  # read on view
        response = dana.post(f"/messages/{thread.public_id}/", {"body": "Yes, Tuesday."})
        self.assertRedirects(response, f"/messages/{thread.public_id}/#latest", fetch_redirect_response=False)

        self.assertContains(alice.get("/messages/"), "msg-unread")
        page = alice.get(f"/messages/{thread.public_id}/")
        self.assertContains(page, "Yes, Tuesday.")
        self.assertContains(page, "Dana Example usually replies within 2 days.")
        self.assertContains(page, 'href="tel:988"')

    def test_a_member_picks_which_clinician_when_in_care_with_two(self) -> None:
        p = self.p
        from bounceback.test import start_care

        second, _ = start_care(p.alice, p.erin)
        page = signed_in(p.alice).get("/messages/new/")
        self.assertContains(page, '<select name="to"')
        self.assertContains(page, "Dana Example usually replies within 2 days.")
        self.assertContains(page, "Erin Example usually replies within 2 days.")
        response = signed_in(p.alice).post(
            "/messages/new/", {"to": str(second.public_id), "subject": "Hi", "body": "Hi"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Thread.objects.get().relationship, second)

    def test_it_shows_errors_naming_the_field(self) -> None:
        p = self.p
        response = signed_in(p.alice).post(
            "/messages/new/",
            {"to": str(p.care.public_id), "subject": "", "body": "<script>alert(1)</script>"},
        )
        self.assertContains(response, "Please write a subject.", status_code=400)
        self.assertNotContains(response, "<script>alert(1)</script>", status_code=400)
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;", status_code=400)
        response = signed_in(p.alice).post(
            "/messages/new/", {"to": str(p.bob.public_id), "subject": "Hi", "body": "Hi"}
        )
        self.assertContains(response, "Choose who to write to from the list.", status_code=400)
        self.assertFalse(Thread.objects.exists())

    def test_a_member_not_in_care_is_told_when_messaging_opens(self) -> None:
        nora = signed_in(self.p.nora)
        for url in ("/messages/", "/messages/new/"):
            page = nora.get(url)
            self.assertContains(page, "Messaging opens once you are in care")
            self.assertContains(page, 'href="/care/find/"')
        self.assertNotContains(nora.get("/me/"), 'href="/messages/"')
        self.assertContains(signed_in(self.p.alice).get("/me/"), 'href="/messages/"')

    def test_an_ended_relationship_s_thread_is_read_only(self) -> None:
        p = self.p
        thread = actions.start_thread(p.dana, p.care, "Hello", "Hello")
        end_care(p.alice, p.care)
        page = signed_in(p.alice).get(f"/messages/{thread.public_id}/")
        self.assertContains(page, "can be read but not answered")
        self.assertNotContains(page, 'name="body"')
        response = signed_in(p.alice).post(f"/messages/{thread.public_id}/", {"body": "Hello?"})
        self.assertContains(response, "This care has ended", status_code=400)
        self.assertEqual(signed_in(p.dana).get(f"/messages/{thread.public_id}/").status_code, 404)

    def test_it_requires_login(self) -> None:
        from django.test import Client

        for url in ("/messages/", "/messages/new/", f"/messages/{uuid.uuid4()}/"):
            response = Client().get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith("/accounts/login/"), url)

    def test_it_checks_access(self) -> None:
        p = self.p
        thread = actions.start_thread(p.alice, p.care, "Hello", "Hello")
        for person in (p.bob, p.erin, p.olga, p.nora):
            client = signed_in(person)
            missing = client.get(f"/messages/{uuid.uuid4()}/")
            self.assertEqual(missing.status_code, 404)
            forbidden = client.get(f"/messages/{thread.public_id}/")
            self.assertEqual(forbidden.status_code, 404)
            self.assertEqual(forbidden.content, missing.content)
            self.assertEqual(client.post(f"/messages/{thread.public_id}/", {"body": "x"}).status_code, 404)
        self.assertEqual(signed_in(p.olga).get("/messages/").status_code, 404)  # no message box
        self.assertEqual(Message.objects.count(), 1)


def raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


class EncryptionTest(TestCase):
    def test_the_raw_columns_hold_no_plain_text(self) -> None:
        p = people()
        thread = actions.start_thread(p.alice, p.care, SUBJECT, BODY)
        actions.send_message(p.dana, thread, BODY)
        [subject] = raw("messaging_thread", "subject")
        bodies = raw("messaging_message", "body")
        self.assertEqual(len(bodies), 2)
        for token in (subject, *bodies):
            self.assertIsNone(SECRET_WORDS.search(token), token)
            self.assertTrue(token.startswith("gAAAAA"), "a Fernet token")
        self.assertEqual(crypto.decrypt(subject), SUBJECT)
        self.assertEqual([crypto.decrypt(b) for b in bodies], [BODY, BODY])
        self.assertNotEqual(bodies[0], bodies[1])


def deliver_all() -> dict[tuple[object, str], list[str]]:
    """Deliver the message notices waiting; what happened to each, by (recipient, thread)."""
    done: dict[tuple[object, str], list[str]] = {}
    for row in Outbox.objects.filter(item=NEW_MESSAGE.kind, status="pending").order_by("pk"):
        done.setdefault((row.member, row.ref), []).append(outbox.deliver(row.pk))
    return done


class NoticeTest(TestCase):
    def test_a_new_message_notifies_the_other_with_fixed_words_only(self) -> None:
        p = people()
        thread = actions.start_thread(p.alice, p.care, SUBJECT, BODY)
        self.assertEqual(deliver_all(), {(p.dana, str(thread.public_id)): ["sent", "sent"]})
        reply = actions.send_message(p.dana, thread, BODY)  # Dana has read the thread by replying
        self.assertEqual(deliver_all(), {(p.alice, str(thread.public_id)): ["sent", "sent"]})
        self.assertEqual(len(mail.outbox), 2)
        texts = [str(n.__dict__) for n in Notification.objects.all()]
        self.assertEqual(len(texts), 2)
        for message in mail.outbox:
            self.assertEqual(message.subject, "You have a new message on Bounceback")
            for text in (str(message.subject), str(message.body), *map(str, message.extra_headers.values())):
                self.assertIsNone(SECRET_WORDS.search(text), text)
                self.assertNotIn(str(thread.public_id), text)
                self.assertNotIn(str(reply.public_id), text)
            self.assertIn("/messages/", message.body)
        for text in texts:
            self.assertIsNone(SECRET_WORDS.search(text), text)
        page = signed_in(p.alice).get(reverse("bb-notices")).content.decode()
        self.assertIn(NEW_MESSAGE.body, page)
        main = page[page.index("<main") : page.index("</main>")]
        self.assertIsNone(SECRET_WORDS.search(main), main)
        for event in AuditEvent.objects.all():
            self.assertIsNone(SECRET_WORDS.search(f"{event.action} {event.target_id}"))

    def test_a_thread_read_before_the_notice_goes_sends_nothing(self) -> None:
        p = people()
        thread = actions.start_thread(p.alice, p.care, "Hello", "Hello")
        actions.mark_read(p.dana, thread, now=timezone.now() + timedelta(seconds=1))
        for row in Outbox.objects.filter(item=NEW_MESSAGE.kind):
            self.assertEqual(outbox.deliver(row.pk), "cancelled")
        self.assertEqual(mail.outbox, [])

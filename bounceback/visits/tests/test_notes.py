"""After-visit summary and clinician notes: written by the visit's clinician once it has started, encrypted at
rest, read by the member once published or shared, by nobody else (one 404), and a notice with fixed words."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.http import Http404
from django.test import Client, TestCase
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from bounceback.accounts.models import User
from bounceback.audit.models import AuditEvent
from bounceback.care.actions import end_care
from bounceback.care.models import CareRelationship
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.reminders import outbox
from bounceback.reminders.models import Outbox
from bounceback.secure import crypto
from bounceback.test import make_clinic, make_clinic_admin, make_clinician, make_user, start_care
from bounceback.visits import notes
from bounceback.visits.models import Appointment, Status, VisitNote
from conftest import ARTIFACTS

SUMMARY = "We talked about the depression and the suicidal thoughts; next step: sleep diary."
NOTES = "Depressed mood for six weeks. Passive suicidal ideation, no plan."
SECRET_WORDS = re.compile(r"suicid|depress|sleep diary|Dana|Example|Alice", re.IGNORECASE)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class NotesTestCase(TestCase):
    def setUp(self) -> None:
        clinic = make_clinic()
        self.alice, self.bob = make_user("alice"), make_user("bob")
        self.dana = make_clinician("dana", clinic)
        self.erin = make_clinician("erin", clinic)
        self.olga = make_clinic_admin("olga", clinic)
        self.care, _ = start_care(self.alice, self.dana)
        start_care(self.bob, self.erin)
        self.visit = self.appointment(self.care, timezone.now() - timedelta(minutes=30))

    def appointment(self, care: CareRelationship, starts_at: datetime) -> Appointment:
        return Appointment.objects.create(
            relationship=care,
            member=care.member,
            clinician=care.clinician,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=50),
        )

    def write(self, **kwargs: object) -> VisitNote:
        values: dict[str, object] = {"summary": SUMMARY, "notes": NOTES, **kwargs}
        return notes.save_note(self.dana, self.visit, **values)  # type: ignore[arg-type]


class ActionsTest(NotesTestCase):
    def test_the_clinician_writes_publishes_and_shares(self) -> None:
        note = self.write()
        self.assertEqual((note.summary, note.notes), (SUMMARY, NOTES))
        self.assertIsNone(note.summary_published_at)
        self.assertEqual(notes.read_for_member(self.alice, self.visit), notes.MemberView("", None, "", None))
        self.write(publish=True)
        view = notes.read_for_member(self.alice, self.visit)
        self.assertEqual((view.summary, view.notes), (SUMMARY, ""))
        self.write(share=True)
        self.assertEqual(notes.read_for_member(self.alice, self.visit).notes, NOTES)
        self.write(share=False)
        self.assertEqual(notes.read_for_member(self.alice, self.visit).notes, "")
        ref = str(self.visit.public_id)
        self.assertEqual(
            list(AuditEvent.objects.filter(actor_id=self.dana.pk).values_list("action", "target_id")),
            [
                ("visit.note.save", ref),
                ("visit.note.save", ref),
                ("visit.summary.publish", ref),
                ("visit.note.save", ref),
                ("visit.notes.share", ref),
                ("visit.note.save", ref),
                ("visit.notes.unshare", ref),
            ],
        )

    def test_not_before_the_visit_starts_nor_by_anyone_else(self) -> None:
        later = self.appointment(self.care, timezone.now() + timedelta(hours=2))
        with self.assertRaises(notes.NoteError) as caught:
            notes.save_note(self.dana, later, summary="x", notes="")
        self.assertIn("once the visit has started", str(caught.exception))
        for person in (self.erin, self.olga, self.alice, self.bob):
            with self.assertRaises(notes.NoteError):
                notes.save_note(person, self.visit, summary="x", notes="")
        self.visit.status = Status.CANCELLED
        self.visit.save()
        with self.assertRaises(notes.NoteError):
            self.write()
        self.assertFalse(VisitNote.objects.exists())

    def test_it_refuses_what_cannot_be_saved_naming_the_field(self) -> None:
        for kwargs, field in (
            ({"summary": "x" * 5001}, "summary"),
            ({"notes": "x" * 10_001}, "notes"),
            ({"summary": "a\x00b"}, "summary"),
            ({"summary": " ", "publish": True}, "summary"),
            ({"notes": "", "share": True}, "notes"),
        ):
            with self.assertRaises(notes.NoteError) as caught:
                self.write(**kwargs)
            self.assertEqual(caught.exception.field, field, kwargs)
        self.write(publish=True)
        with self.assertRaises(notes.NoteError) as caught:
            self.write(summary="")  # a published summary is corrected, not emptied
        self.assertEqual(caught.exception.field, "summary")

    def test_publishing_tells_the_member_with_fixed_words_once(self) -> None:
        self.write(publish=True, share=True)
        self.write(summary=SUMMARY + " And walks.")
        rows = Outbox.objects.filter(item=notes.SUMMARY_READY.kind)
        self.assertEqual({(r.member, r.ref) for r in rows}, {(self.alice, str(self.visit.public_id))})
        self.assertEqual([outbox.deliver(r.pk) for r in rows], ["sent", "sent"])
        [message] = mail.outbox
        self.assertEqual(message.subject, "A visit summary is ready")
        for text in (str(message.subject), str(message.body)):
            self.assertIsNone(SECRET_WORDS.search(text), text)
            self.assertNotIn(str(self.visit.public_id), text)

    def test_the_raw_columns_hold_no_plain_text(self) -> None:
        self.write(publish=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT summary, notes FROM visits_visitnote")
            [(summary, notes_token)] = cursor.fetchall()
        for token in (summary, notes_token):
            self.assertIsNone(SECRET_WORDS.search(token), token)
            self.assertTrue(token.startswith("gAAAAA"))
        self.assertEqual((crypto.decrypt(summary), crypto.decrypt(notes_token)), (SUMMARY, NOTES))


class AccessTest(NotesTestCase):
    def test_only_the_visit_s_two_people_find_it(self) -> None:
        self.assertEqual(notes.visit_for_clinician(self.dana, self.visit.public_id), self.visit)
        self.assertEqual(notes.visit_for_member(self.alice, self.visit.public_id), self.visit)
        for person in (self.erin, self.olga, self.bob, self.alice):
            with self.assertRaises(Http404):
                notes.visit_for_clinician(person, self.visit.public_id)
        for person in (self.erin, self.olga, self.bob, self.dana):
            with self.assertRaises(Http404):
                notes.visit_for_member(person, self.visit.public_id)
        for ref in (uuid.uuid4(), "not-an-id", "9" * 4301):
            with self.assertRaises(Http404):
                notes.visit_for_member(self.alice, ref)

    def test_after_care_ends_the_member_still_reads_and_the_clinician_no_longer_writes(self) -> None:
        self.write(publish=True)
        end_care(self.alice, self.care)
        self.assertEqual(notes.read_for_member(self.alice, self.visit).summary, SUMMARY)
        with self.assertRaises(Http404):
            notes.visit_for_clinician(self.dana, self.visit.public_id)


class PagesTest(NotesTestCase):
    def test_it_works(self) -> None:
        dana = signed_in(self.dana)
        url = f"/visits/{self.visit.public_id}/notes/"
        page = dana.get(url)
        self.assertContains(page, "Summary for the member")
        self.assertContains(page, "Not published yet")
        response = dana.post(url, {"summary": SUMMARY, "notes": NOTES, "action": "publish"})
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertContains(dana.get(url), "Published on")
        summary_url = f"/visits/{self.visit.public_id}/summary/"
        page = signed_in(self.alice).get(summary_url)
        self.assertContains(page, "sleep diary")
        self.assertNotContains(page, "six weeks")
        dana.post(url, {"summary": SUMMARY, "notes": NOTES, "action": "share"})
        self.assertContains(signed_in(self.alice).get(summary_url), "six weeks")

    def test_the_member_is_told_when_nothing_is_published_yet(self) -> None:
        self.write()
        page = signed_in(self.alice).get(f"/visits/{self.visit.public_id}/summary/")
        self.assertContains(page, "has not written a summary of this visit yet")
        self.assertNotContains(page, "sleep diary")

    def test_it_shows_errors_naming_the_field(self) -> None:
        url = f"/visits/{self.visit.public_id}/notes/"
        response = signed_in(self.dana).post(url, {"summary": "<script>alert(1)</script>\x00", "notes": ""})
        self.assertContains(response, "The summary contains a control character", status_code=400)
        self.assertNotContains(response, "<script>alert(1)", status_code=400)
        response = signed_in(self.dana).post(url, {"summary": "", "notes": "", "action": "publish"})
        self.assertContains(response, "Please write the summary before publishing it", status_code=400)

    def test_it_requires_login(self) -> None:
        for url in (f"/visits/{self.visit.public_id}/summary/", f"/visits/{self.visit.public_id}/notes/"):
            response = Client().get(url)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith("/accounts/login/"))

    def test_it_checks_access(self) -> None:
        self.write(publish=True, share=True)
        for person in (self.erin, self.olga, self.bob):
            client = signed_in(person)
            for page in ("summary", "notes"):
                missing = client.get(f"/visits/{uuid.uuid4()}/{page}/")
                forbidden = client.get(f"/visits/{self.visit.public_id}/{page}/")
                self.assertEqual((missing.status_code, forbidden.status_code), (404, 404))
                self.assertEqual(forbidden.content, missing.content)
            post = client.post(f"/visits/{self.visit.public_id}/notes/", {"summary": "x", "notes": "x"})
            self.assertEqual(post.status_code, 404)
        self.assertEqual(signed_in(self.alice).get(f"/visits/{self.visit.public_id}/notes/").status_code, 404)
        self.assertEqual(VisitNote.objects.get().summary, SUMMARY)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_it_carries_a_summary_from_the_clinician_to_the_member_in_two_browsers(
    live_server: Any, browser: Browser
) -> None:
    clinic = make_clinic()
    alice, dana = make_user("alice"), make_clinician("dana", clinic)
    care, _ = start_care(alice, dana)
    start = timezone.now() - timedelta(minutes=20)
    visit = Appointment.objects.create(
        relationship=care,
        member=alice,
        clinician=dana,
        starts_at=start,
        ends_at=start + timedelta(minutes=50),
    )

    def browser_for(user: User) -> Page:
        client = Client()
        client.force_login(user)
        context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
        cookies = [{"name": k, "value": v.value, "url": live_server.url} for k, v in client.cookies.items()]
        context.add_cookies(cookies)  # type: ignore[arg-type]
        return context.new_page()

    def checked(page: Page, name: str) -> None:
        assert axe_violations(page) == [], name
        assert not has_horizontal_scroll(page), name
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"visit-{name}.png"), full_page=True)

    member = browser_for(alice)
    member.goto(f"{live_server.url}/visits/{visit.public_id}/summary/")
    expect(member.get_by_text("has not written a summary of this visit yet")).to_be_visible()
    checked(member, "summary-waiting")

    clinician = browser_for(dana)
    clinician.goto(f"{live_server.url}/visits/{visit.public_id}/notes/")
    checked(clinician, "notes-empty")
    clinician.get_by_label("Summary for the member").fill("We agreed on a sleep diary for two weeks.")
    clinician.get_by_label("Your notes").fill("Sleep onset about an hour; no other concerns today.")
    clinician.get_by_role("button", name="Save and publish the summary").click()
    expect(clinician.get_by_text("Saved and published")).to_be_visible()
    checked(clinician, "notes-published")

    member.reload()
    expect(member.get_by_text("We agreed on a sleep diary for two weeks.")).to_be_visible()
    expect(member.get_by_text("Sleep onset about an hour")).to_have_count(0)
    clinician.get_by_role("button", name="Save and share the notes").click()
    member.reload()
    expect(member.get_by_text("Sleep onset about an hour; no other concerns today.")).to_be_visible()
    checked(member, "summary-shared")


class VisitPageLinksTest(NotesTestCase):
    def test_once_the_visit_started_each_side_finds_its_page_from_the_visit(self) -> None:
        page = f"/visits/{self.visit.public_id}/"
        member = Client()
        member.force_login(self.alice)
        self.assertContains(member.get(page), f'href="/visits/{self.visit.public_id}/summary/"')
        clinician = Client()
        clinician.force_login(self.dana)
        response = clinician.get(page)
        self.assertContains(response, f'href="/visits/{self.visit.public_id}/notes/"')
        self.assertNotContains(response, "/summary/")

"""The check-in pages: today and the last week, the plain form post and the autosave, hostile values named by
their question, days outside the window, members only, and the journal kept out of logs, addresses and audit."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.http import Http404
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
from bounceback.plans.actions import record_practice
from bounceback.test import enable_two_factor, make_user
from bounceback.tests.test_layout import _writes
from bounceback.tracking.access import get_checkin
from bounceback.tracking.actions import save_checkin
from bounceback.tracking.models import CheckIn
from bounceback.tracking.questions import BY_NAME, QUESTIONS, Unreadable, parse

NOON = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
TODAY = "/checkin/2026-06-03/"
JOURNAL = "Thinking about my brother again; kept it together at work."
FULL = {
    "mood": "7",
    "sleep_hours": "7.5",
    "sleep_quality": "4",
    "exercise_minutes": "30",
    "mindfulness_minutes": "10",
    "connected": "yes",
    "note": JOURNAL,
}
HOSTILE = (
    "9" * 4301,
    "²",
    "١",
    "٧",
    "-1",
    "1e3",
    "7.25",
    "3.0.",
    "\x00",
    "<b>1</b>",
    '"><img src=x onerror=alert(1)>',
    "１",
    "11",
    "25",
    "1441",
    "maybe",
    "NaN",
    "Infinity",
)


def hostile_for(name: str) -> list[str]:
    """The hostile values this question must refuse (a value another question allows, such as 11 hours of sleep,
    is left out)."""
    if name == "note":
        return ["x" * 2001, "y" * 100_000]
    refused = []
    for raw in HOSTILE:
        try:
            parse(name, raw)
        except Unreadable:
            refused.append(raw)
    return refused


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def label(name: str) -> str:
    return BY_NAME[name].label.rstrip("?")


@time_machine.travel(NOON, tick=False)
class CheckInPageTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.client = signed_in(self.alice)

    def test_it_shows_todays_check_in_with_every_question_accessibly(self) -> None:
        response = self.client.get("/checkin/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(f'action="{TODAY}"', html)
        self.assertIn("<legend>Mood today</legend>", html)
        for n in range(11):
            self.assertIn(f'<input type="radio" name="mood" id="mood-{n}" value="{n}">', html)
            self.assertIn(f'<label for="mood-{n}">{n}</label>', html)
        self.assertEqual(html.count('inputmode="numeric"'), 2)
        self.assertIn('inputmode="decimal"', html)
        self.assertIn('<label class="checkin-label" for="in-note">Journal note (optional)</label>', html)
        self.assertIn('maxlength="2000"', html)
        self.assertIn(f'hx-post="{TODAY}answer/"', html)
        self.assertIn('<a href="/checkin/">Daily check-in</a>', html)
        self.assertIn("no-store", response["Cache-Control"])
        title = re.search(r"<title>(.*?)</title>", html)
        assert title is not None
        self.assertEqual(title.group(1), "Daily check-in · Bounceback")

    def test_it_says_nobody_reads_the_journal_in_real_time_and_links_get_help_now(self) -> None:
        html = self.client.get("/checkin/").content.decode()
        self.assertIn("Nobody reads your check-ins or your journal as you write them", html)
        after_form = html[html.index("</form>") :]
        self.assertIn('<a href="/help/">Get help now</a>', after_form)

    def test_the_plain_form_saves_every_answer_and_comes_back(self) -> None:
        response = self.client.post(TODAY, FULL | {f"was_{k}": "" for k in FULL})
        self.assertRedirects(response, TODAY, fetch_redirect_response=False)
        checkin = CheckIn.objects.get()
        self.assertEqual(
            (
                checkin.day,
                checkin.mood,
                checkin.sleep_hours,
                checkin.sleep_quality,
                checkin.exercise_minutes,
                checkin.mindfulness_minutes,
                checkin.connected,
                checkin.note,
            ),
            (date(2026, 6, 3), 7, Decimal("7.5"), 4, 30, 10, True, JOURNAL),
        )
        page = self.client.get(TODAY)
        self.assertContains(page, "Saved your check-in for 3 June 2026.")
        self.assertContains(page, 'id="mood-7" value="7" checked')
        self.assertContains(page, 'name="sleep_hours" value="7.5"')
        self.assertContains(page, f">{JOURNAL}</textarea>")

    def test_the_autosave_saves_one_answer_and_returns_what_the_page_now_shows(self) -> None:
        response = self.client.post(f"{TODAY}answer/", {"field": "mood", "mood": "3", "was_mood": ""})
        self.assertContains(response, '<span class="saved">Saved</span>')
        self.assertContains(response, 'id="was_mood" value="3" hx-swap-oob="true"')
        response = self.client.post(f"{TODAY}answer/", {"field": "note", "note": JOURNAL, "was_note": ""})
        self.assertContains(response, "Saved")
        self.assertNotContains(response, JOURNAL)
        self.assertEqual((CheckIn.objects.get().mood, CheckIn.objects.get().note), (3, JOURNAL))

    def test_a_plain_post_never_overwrites_what_changed_elsewhere_with_an_untouched_field(self) -> None:
        page = self.client.get(TODAY).content.decode()
        self.assertIn('name="was_mindfulness_minutes" id="was_mindfulness_minutes" value=""', page)
        record_practice(self.alice, 10)  # the timer, in another tab, after this page was loaded
        self.client.post(
            TODAY, {"mood": "6", "was_mood": "", "mindfulness_minutes": "", "was_mindfulness_minutes": ""}
        )
        checkin = CheckIn.objects.get()
        self.assertEqual((checkin.mood, checkin.mindfulness_minutes), (6, 10))
        # Clearing a field the page showed is a change, and is saved.
        self.client.post(TODAY, {"mindfulness_minutes": "", "was_mindfulness_minutes": "10"})
        checkin.refresh_from_db()
        self.assertIsNone(checkin.mindfulness_minutes)

    def test_it_lists_the_last_seven_days_with_links(self) -> None:
        save_checkin(self.alice, date(2026, 6, 1), {"mood": 8})
        html = self.client.get("/checkin/").content.decode()
        links = re.findall(r'<li><a href="(/checkin/[0-9-]+/)"', html)
        self.assertEqual(
            links,
            [
                f"/checkin/2026-{d}/"
                for d in ("06-03", "06-02", "06-01", "05-31", "05-30", "05-29", "05-28", "05-27")
            ],
        )
        self.assertIn('Monday 1 June</a>\n    <span class="small">checked in · mood 8', html)

    def test_a_back_filled_day_opens_at_its_own_address(self) -> None:
        save_checkin(self.alice, date(2026, 5, 30), {"exercise_minutes": 45})
        response = self.client.get("/checkin/2026-05-30/")
        self.assertContains(response, "Saturday 30 May, 30 May 2026")
        self.assertContains(response, 'name="exercise_minutes" value="45"')
        self.client.post("/checkin/2026-05-30/", {"mood": "5"})
        self.assertEqual(CheckIn.objects.get(day=date(2026, 5, 30)).mood, 5)

    def test_a_day_outside_the_window_is_refused_naming_the_date(self) -> None:
        cases = {
            "/checkin/2026-05-26/": "26 May 2026 is more than 7 days ago",
            "/checkin/2026-06-04/": "4 June 2026 has not come yet",
            "/checkin/2026-02-30/": "“2026-02-30” is not a date",
            "/checkin/yesterday/": "“yesterday” is not a date",
            "/checkin/2026-6-3/": "“2026-6-3” is not a date",
        }
        for url, message in cases.items():
            for method in ("get", "post"):
                response = getattr(self.client, method)(url, {"mood": "5"} if method == "post" else None)
                self.assertContains(response, message, status_code=400, msg_prefix=f"{method} {url}")
                self.assertContains(response, 'href="/help/"', status_code=400)
            autosave = self.client.post(f"{url}answer/", {"field": "mood", "mood": "5"})
            self.assertContains(autosave, message)
        self.assertFalse(CheckIn.objects.exists())

    def test_the_get_writes_nothing_but_its_read_entry(self) -> None:
        save_checkin(self.alice, date(2026, 6, 3), {"mood": 8})
        for url in ("/checkin/", TODAY, "/checkin/2026-05-28/", "/checkin/2020-01-01/"):
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(url)
            self.assertIn(response.status_code, (200, 400), url)
            self.assertEqual(_writes(ctx.captured_queries), [], url)


@time_machine.travel(NOON, tick=False)
class HostileValuesTest(TestCase):
    """Every field refuses hostile text with a message naming it: never a 500, never silently coerced."""

    def test_every_field_refuses_hostile_values_by_name_in_the_form_and_the_autosave(self) -> None:
        alice = make_user("alice")
        client = signed_in(alice)
        save_checkin(alice, date(2026, 6, 3), {"mood": 5, "sleep_hours": Decimal(7), "connected": False})
        for question in QUESTIONS:
            name = question.name
            values = hostile_for(name)
            self.assertGreaterEqual(len(values), 2 if name == "note" else 14, name)
            for raw in values:
                for url, data in (
                    (TODAY, {name: raw, f"was_{name}": raw}),
                    (f"{TODAY}answer/", {"field": name, name: raw, f"was_{name}": raw}),
                ):
                    response = client.post(url, data)
                    where = (url, name, raw[:12])
                    self.assertEqual(response.status_code, 200, where)
                    content = response.content.decode()
                    if name == "note" or raw.strip() not in {"", "\x00"}:
                        self.assertIn(label(name), content, where)
                    self.assertNotIn("<b>1</b>", content)
                    self.assertNotIn("<img src=x", content)
        checkin = CheckIn.objects.get()
        self.assertEqual(checkin.answers(), {"mood": 5, "sleep_hours": Decimal(7), "connected": False})

    def test_an_unknown_field_in_the_autosave_is_named_not_a_500(self) -> None:
        client = signed_in(make_user("alice"))
        for field in ("weight", "", "x" * 100, "<script>"):
            response = client.post(f"{TODAY}answer/", {"field": field, field: "1"})
            self.assertContains(response, "Unknown question")
            self.assertNotContains(response, "<script>")
        self.assertFalse(CheckIn.objects.exists())

    def test_readable_answers_are_kept_when_another_on_the_page_is_not(self) -> None:
        client = signed_in(make_user("alice"))
        response = client.post(TODAY, {"mood": "8", "exercise_minutes": "lots", "note": JOURNAL})
        self.assertContains(response, "Some answers need attention")
        self.assertContains(
            response, "Minutes of exercise: please enter a whole number of minutes from 0 to 1440."
        )
        self.assertContains(response, 'name="exercise_minutes" value="lots"')
        checkin = CheckIn.objects.get()
        self.assertEqual((checkin.mood, checkin.exercise_minutes, checkin.note), (8, None, JOURNAL))


@time_machine.travel(NOON, tick=False)
class MembersOnlyTest(TestCase):
    def test_a_visitor_is_sent_to_sign_in(self) -> None:
        for url in ("/checkin/", TODAY):
            response = Client().get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn("/accounts/login/", response["Location"])
        self.assertEqual(Client().post(f"{TODAY}answer/", {"field": "mood", "mood": "5"}).status_code, 302)

    def test_clinicians_and_operators_have_no_check_ins(self) -> None:
        for role in (Role.CLINICIAN, Role.OPERATOR):
            staff = make_user(f"staff-{role}", role=role)
            enable_two_factor(staff)
            client = signed_in(staff)
            self.assertNotContains(client.get("/"), "Daily check-in")
            self.assertEqual(client.get("/checkin/").status_code, 404)
            self.assertEqual(client.post(TODAY, {"mood": "5"}).status_code, 404)
            self.assertEqual(client.post(f"{TODAY}answer/", {"field": "mood", "mood": "5"}).status_code, 404)
        self.assertFalse(CheckIn.objects.exists())

    def test_another_members_check_in_is_the_same_404_as_a_missing_one(self) -> None:
        alice, bob = make_user("alice"), make_user("bob")
        checkin = save_checkin(alice, date(2026, 6, 3), {"mood": 2, "note": JOURNAL})
        assert checkin is not None
        self.assertEqual(get_checkin(alice, checkin.public_id), checkin)
        messages = []
        for public_id in (checkin.public_id, uuid.uuid4(), "not-a-uuid"):
            with pytest.raises(Http404) as missing:
                get_checkin(bob, public_id)
            messages.append(str(missing.value))
        self.assertEqual(len(set(messages)), 1)
        # Bob's page for the same day is his own, empty one.
        page = signed_in(bob).get(TODAY).content.decode()
        self.assertNotIn(JOURNAL, page)
        self.assertNotIn("checked", page)
        signed_in(bob).post(TODAY, {"mood": "9"})
        self.assertEqual(
            sorted(CheckIn.objects.values_list("owner__username", "mood")), [("alice", 2), ("bob", 9)]
        )


@time_machine.travel(NOON, tick=False)
class JournalPrivacyTest(TestCase):
    def test_the_journal_stays_out_of_logs_addresses_and_the_audit_trail(self) -> None:
        client = signed_in(make_user("alice"))
        records: list[logging.LogRecord] = []

        class Keep(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                records.append(record)

        handler = Keep(level=logging.DEBUG)
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            response = client.post(TODAY, FULL)
            client.post(f"{TODAY}answer/", {"field": "note", "note": JOURNAL + " more"})
            client.post(TODAY, {"note": "x" * 2001})
            client.get(TODAY)
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        logged = "\n".join(r.getMessage() + str(r.args) for r in records)
        self.assertNotIn("brother", logged)
        self.assertNotIn("brother", response["Location"])
        audit = " ".join(" ".join(map(str, row)) for row in AuditEvent.objects.values_list())
        self.assertNotIn("brother", audit)
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        self.assertEqual({a for a in actions if a.startswith("checkin")}, {"checkin.write", "checkin.read"})

"""The safety plan page: members only, the six steps with the crisis lines at the top and in step 5, add, edit and
remove by plain form and by autosave, hostile values named by their field, another member's plan the same 404 as
a missing one, and the plan offered after a suicide-risk flag (and not pushed without one)."""

from __future__ import annotations

import html
import logging
import re
import uuid
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.db import OperationalError, connection
from django.http import Http404
from django.test import Client, SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext

from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
from bounceback.safetyplan import actions, personal
from bounceback.safetyplan.access import get_entry, get_plan
from bounceback.safetyplan.forms import digest
from bounceback.safetyplan.models import SafetyPlan, SafetyPlanEntry
from bounceback.safetyplan.steps import MAX_ENTRIES_PER_STEP, STEPS
from bounceback.test import CALM_ANSWERS, enable_two_factor, make_user, member_checkup, visitor_checkup
from bounceback.tests.test_layout import _writes

URL = "/safety-plan/"
NOON = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
SIGN = "Lying awake going over the argument with Dad"
SISTER = "Maya, my sister"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entry_url(entry: SafetyPlanEntry | uuid.UUID | str) -> str:
    return f"{URL}entries/{getattr(entry, 'public_id', entry)}/"


def shown(entry: SafetyPlanEntry) -> dict[str, str]:
    """An entry's fields as the page sends them back untouched."""
    key = entry.public_id
    return {
        f"e-{key}-text": entry.text,
        f"was-{key}-text": digest(entry.text),
        f"e-{key}-phone": entry.phone,
        f"was-{key}-phone": digest(entry.phone),
    }


class MembersOnlyTest(TestCase):
    def test_a_visitor_is_asked_to_sign_in(self) -> None:
        for response in (
            Client().get(URL),
            Client().post(URL, {"new-warning_signs-text": SIGN}),
            Client().post(entry_url(uuid.uuid4()), {}),
        ):
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith("/accounts/login/?next=/safety-plan/"))
        self.assertFalse(SafetyPlan.objects.exists())

    def test_clinicians_and_operators_have_no_safety_plan_here(self) -> None:
        for role in (Role.CLINICIAN, Role.OPERATOR):
            staff = make_user(f"staff-{role}", role=role)
            enable_two_factor(staff)
            client = signed_in(staff)
            self.assertEqual(client.get(URL).status_code, 404)
            self.assertEqual(client.post(URL, {"new-warning_signs-text": SIGN}).status_code, 404)
            with pytest.raises(actions.SafetyPlanError):
                actions.add_entry(staff, "warning_signs", SIGN)
        self.assertFalse(SafetyPlan.objects.exists())


@time_machine.travel(NOON, tick=False)
class SafetyPlanPageTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.client = signed_in(self.alice)

    def test_it_shows_the_six_steps_under_the_crisis_lines(self) -> None:
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        page = response.content.decode()
        self.assertEqual(re.search(r"<title>(.*?)</title>", page).group(1), "My safety plan · Bounceback")  # type: ignore[union-attr]
        main = page[page.index("<main") :]
        headings = re.findall(r'<h2><span class="step-number">(\d)</span> ([^<]+)</h2>', main)
        self.assertEqual(headings, [(str(n), s.heading) for n, s in enumerate(STEPS, start=1)])
        # The crisis lines come before the first step, and again, read-only, in step 5.
        first_step = main.index('id="step-warning_signs"')
        for link in ('href="tel:988"', 'href="sms:741741?&amp;body=HOME"', 'href="tel:911"'):
            self.assertLess(main.index(link), first_step, link)
        step5 = main[main.index('id="step-professionals"') : main.index('id="step-safer_surroundings"')]
        self.assertIn("Crisis lines, always here", step5)
        self.assertIn("988 Suicide &amp; Crisis Lifeline", step5)
        self.assertNotIn('name="e-', step5)  # nothing of the crisis lines is editable
        for step in STEPS:
            self.assertIn(
                f'<label class="entry-label" for="new-{step.id}-text">{step.add_label}</label>', main
            )
            self.assertIn(html.escape(step.prompt), main)
        self.assertEqual(main.count('type="tel"'), 2)  # the two steps of contacts
        self.assertIn("Stanley &amp; Brown 2012", main)
        self.assertIn("https://doi.org/10.1001/jamapsychiatry.2018.1776", main)
        self.assertIn('class="print-only print-safety-plan"', main)

    def test_a_member_in_another_country_sees_that_countrys_lines(self) -> None:
        bea = make_user("bea")
        bea.country = "GB"
        bea.save(update_fields=["country"])
        page = signed_in(bea).get(URL).content.decode()
        self.assertIn('href="tel:116123"', page)
        self.assertIn('href="tel:999"', page)
        self.assertNotIn("tel:988", page)

    def test_the_plain_form_adds_changes_and_removes_entries(self) -> None:
        response = self.client.post(
            URL,
            {
                "add": "ask_for_help",
                "new-ask_for_help-text": SISTER,
                "new-ask_for_help-phone": "+1 (555) 010-0199",
                "new-warning_signs-text": SIGN,
            },
        )
        self.assertRedirects(response, f"{URL}#step-ask_for_help", fetch_redirect_response=False)
        sister = SafetyPlanEntry.objects.get(step="ask_for_help")
        sign = SafetyPlanEntry.objects.get(step="warning_signs")
        self.assertEqual(
            (sister.text, sister.phone, sign.text, sign.phone), (SISTER, "+1 (555) 010-0199", SIGN, "")
        )
        page = self.client.get(URL)
        self.assertContains(page, "Your safety plan is saved: added 2 entries.")
        self.assertContains(page, f'name="e-{sister.public_id}-text" value="{SISTER}"')
        self.assertContains(page, 'href="tel:+15550100199"')
        self.assertContains(page, f"<li>{SISTER}: +1 (555) 010-0199</li>")  # the printable plan

        self.client.post(URL, {**shown(sister), **shown(sign), f"e-{sign.public_id}-text": "Not eating"})
        sign.refresh_from_db()
        self.assertEqual(sign.text, "Not eating")
        response = self.client.post(URL, {**shown(sister), **shown(sign), "remove": str(sister.public_id)})
        self.assertRedirects(response, f"{URL}#step-ask_for_help", fetch_redirect_response=False)
        self.assertEqual(list(SafetyPlanEntry.objects.values_list("step", flat=True)), ["warning_signs"])
        self.assertContains(self.client.get(URL), "Your safety plan is saved: removed an entry.")

    def test_clearing_an_entry_and_saving_removes_it(self) -> None:
        entry = actions.add_entry(self.alice, "on_my_own", "A walk by the river")
        assert entry is not None
        self.client.post(URL, {**shown(entry), f"e-{entry.public_id}-text": "   "})
        self.assertFalse(SafetyPlanEntry.objects.exists())
        self.assertTrue(SafetyPlan.objects.exists(), "the plan stays, empty")

    def test_the_autosave_saves_one_entry_and_returns_what_the_page_now_holds(self) -> None:
        entry = actions.add_entry(self.alice, "professionals", "Dr Okafor", "")
        assert entry is not None
        response = self.client.post(
            entry_url(entry), {**shown(entry), f"e-{entry.public_id}-phone": "020 7946 0958"}
        )
        self.assertContains(response, '<span class="saved">Saved</span>')
        self.assertContains(
            response, f'id="was-{entry.public_id}-phone" value="{digest("020 7946 0958")}" hx-swap-oob="true"'
        )
        self.assertNotContains(response, "Okafor")
        entry.refresh_from_db()
        self.assertEqual((entry.text, entry.phone), ("Dr Okafor", "020 7946 0958"))
        empty = self.client.post(entry_url(entry), {**shown(entry), f"e-{entry.public_id}-text": ""})
        self.assertContains(empty, "an entry needs some words. To take it off your plan, use Remove.")
        self.assertTrue(SafetyPlanEntry.objects.filter(pk=entry.pk).exists())

    def test_a_plain_post_never_overwrites_what_changed_elsewhere_with_an_untouched_field(self) -> None:
        entry = actions.add_entry(self.alice, "company", "The library")
        assert entry is not None
        stale = shown(entry)  # this tab loaded the page
        actions.edit_entry(self.alice, str(entry.public_id), text="The library on Mill Road")  # another tab
        self.client.post(URL, {**stale, "new-company-text": "Football on Sundays"})
        entry.refresh_from_db()
        self.assertEqual(entry.text, "The library on Mill Road")
        self.assertEqual(SafetyPlanEntry.objects.filter(step="company").count(), 2)

    def test_a_form_sent_twice_adds_its_entry_once(self) -> None:
        for _ in range(2):
            self.client.post(URL, {"add": "warning_signs", "new-warning_signs-text": SIGN})
        self.assertEqual(SafetyPlanEntry.objects.count(), 1)

    def test_a_step_holds_at_most_ten_entries_and_says_so(self) -> None:
        for n in range(MAX_ENTRIES_PER_STEP):
            actions.add_entry(self.alice, "on_my_own", f"Thing {n}")
        page = self.client.get(URL).content.decode()
        self.assertNotIn('id="new-on_my_own-text"', page)
        self.assertIn("This step is full. Remove an entry to add another.", page)
        response = self.client.post(URL, {"new-on_my_own-text": "One more", "new-company-text": "The gym"})
        self.assertContains(
            response, "What I can do by myself to get through it: this step holds up to 10 entries."
        )
        self.assertEqual(SafetyPlanEntry.objects.filter(step="on_my_own").count(), MAX_ENTRIES_PER_STEP)
        self.assertTrue(
            SafetyPlanEntry.objects.filter(step="company").exists(), "the rest of the page is saved"
        )
        with pytest.raises(actions.SafetyPlanError, match="this step holds up to 10 entries"):
            actions.add_entry(self.alice, "on_my_own", "One more")

    def test_the_get_writes_nothing_but_its_read_entry(self) -> None:
        actions.add_entry(self.alice, "warning_signs", SIGN)
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(URL).status_code, 200)
        self.assertEqual(_writes(ctx.captured_queries), [])

    def test_it_asks_whether_an_old_plan_is_still_right(self) -> None:
        self.client.post(URL, {"action": "reviewed"})  # no plan yet: nothing to confirm, nothing made
        self.assertNotContains(self.client.get(URL), "marked as still right")
        self.assertFalse(SafetyPlan.objects.exists())
        actions.add_entry(self.alice, "warning_signs", SIGN)
        self.assertNotContains(self.client.get(URL), "Is your plan still right?")
        with time_machine.travel(NOON + timedelta(days=91), tick=False):
            self.client.force_login(self.alice)  # signed out meanwhile for idleness
            page = self.client.get(URL)
            self.assertContains(page, "Is your plan still right?")
            self.assertContains(page, "You last changed or checked it on 3 June 2026.")
            response = self.client.post(URL, {"action": "reviewed"})
            self.assertRedirects(response, URL, fetch_redirect_response=False)
            self.assertNotContains(self.client.get(URL), "Is your plan still right?")
        plan = SafetyPlan.objects.get()
        self.assertEqual(plan.reviewed_at, NOON + timedelta(days=91))
        self.assertEqual(plan.changed_at, NOON, "a look is not a change")


@time_machine.travel(NOON, tick=False)
class HostileValuesTest(TestCase):
    """Every field refuses what it cannot hold with a message naming it: never a 500, markup escaped."""

    HOSTILE_TEXT = ("nul\x00byte", "x" * 10_000, "\x1b[2J", "z" * 201)
    HOSTILE_PHONE = ("\x00", "9" * 10_000, "<b>1</b>", "call me", "١٢٣٤٥", "tel:555")

    def test_every_field_refuses_hostile_values_by_name_in_the_form_and_the_autosave(self) -> None:
        alice = make_user("alice")
        client = signed_in(alice)
        entry = actions.add_entry(alice, "ask_for_help", SISTER, "555 0100")
        assert entry is not None
        key = f"e-{entry.public_id}"
        cases = [
            (f"{key}-text", raw, "People I can tell when I am struggling, person 1")
            for raw in self.HOSTILE_TEXT
        ]
        cases += [(f"{key}-phone", raw, "person 1, phone number") for raw in self.HOSTILE_PHONE]
        cases += [
            ("new-warning_signs-text", raw, "Signs that a hard time is starting, add a sign")
            for raw in self.HOSTILE_TEXT
        ]
        cases += [
            ("new-professionals-phone", raw, "add a professional or service, phone number")
            for raw in self.HOSTILE_PHONE
        ]
        for name, raw, named in cases:
            data = {**shown(entry), name: raw}
            if name.startswith("new-professionals"):
                data["new-professionals-text"] = "Dr Okafor"
            targets = [URL] + ([entry_url(entry)] if name.startswith("e-") else [])
            for url in targets:
                response = client.post(url, data)
                where = (url, name, raw[:12])
                self.assertEqual(response.status_code, 200, where)
                content = response.content.decode()
                self.assertIn(html.escape(named), content, where)
                self.assertNotIn("<b>1</b>", content, where)
                self.assertNotIn("\x00", content, where)
        entry.refresh_from_db()
        self.assertEqual((entry.text, entry.phone), (SISTER, "555 0100"))
        self.assertEqual(SafetyPlanEntry.objects.count(), 1)

    def test_markup_is_kept_as_typed_and_escaped_on_output(self) -> None:
        alice = make_user("alice")
        client = signed_in(alice)
        markup = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
        client.post(URL, {"new-on_my_own-text": markup})
        self.assertEqual(SafetyPlanEntry.objects.get().text, markup)
        page = client.get(URL).content.decode()
        self.assertNotIn("<script>alert(1)", page)
        self.assertNotIn("<img src=x", page)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page)

    def test_unknown_fields_ids_and_buttons_are_named_or_ignored_never_a_500(self) -> None:
        alice = make_user("alice")
        client = signed_in(alice)
        entry = actions.add_entry(alice, "warning_signs", SIGN)
        assert entry is not None
        gone = uuid.uuid4()
        for data in (
            {"remove": "not-a-uuid"},
            {"remove": "\x00"},
            {"remove": str(gone)},
            {"add": "<script>"},
            {"add": "x" * 10_000},
            {"action": "\x00"},
            {"e-not-a-uuid-text": "x"},
            {f"e-{str(gone).upper()}-text": "x"},
            {"new-unknown_step-text": "x"},
            {
                f"e-{entry.public_id}-phone": "555 0100",
                f"was-{entry.public_id}-phone": "",
            },  # not a contact step
        ):
            response = client.post(URL, data)
            self.assertIn(response.status_code, (200, 302), data)
            self.assertNotIn("<script>", response.content.decode())
        entry.refresh_from_db()
        self.assertEqual((entry.text, entry.phone), (SIGN, ""))
        response = client.post(URL, {f"e-{gone}-text": "Something I typed"})
        self.assertContains(response, "this entry is no longer in your plan")
        for bad in ("not-a-uuid", "\x00", "x" * 500, str(gone)):
            self.assertEqual(client.post(entry_url(bad), {}).status_code, 404)
        with pytest.raises(actions.SafetyPlanError, match="is not a step of the plan"):
            actions.save_plan(alice, additions=[actions.Addition("nope", "x")])
        with pytest.raises(actions.SafetyPlanError, match="this step takes no phone number"):
            actions.add_entry(alice, "warning_signs", "x", "555 0100")


@time_machine.travel(NOON, tick=False)
class AnotherMembersPlanTest(TestCase):
    def test_another_members_plan_is_the_same_404_as_a_missing_one(self) -> None:
        alice, bob = make_user("alice"), make_user("bob")
        entry = actions.add_entry(alice, "ask_for_help", SISTER, "555 0100")
        assert entry is not None
        plan = entry.plan
        self.assertEqual(get_plan(alice, plan.public_id), plan)
        self.assertEqual(get_entry(alice, entry.public_id), entry)
        messages = set()
        for public_id in (plan.public_id, entry.public_id, uuid.uuid4(), "not-a-uuid"):
            for look_up in (get_plan, get_entry):
                with pytest.raises(Http404) as missing:
                    look_up(bob, public_id)
                messages.add(str(missing.value))
        self.assertEqual(len(messages), 1)

        bobs = signed_in(bob)
        theirs = bobs.post(entry_url(entry), {f"e-{entry.public_id}-text": "Hijacked"})
        nobodys = bobs.post(entry_url(uuid.uuid4()), {f"e-{entry.public_id}-text": "Hijacked"})
        self.assertEqual((theirs.status_code, nobodys.status_code), (404, 404))
        self.assertEqual(theirs.content, nobodys.content)
        bobs.post(URL, {f"e-{entry.public_id}-text": "Hijacked", "remove": str(entry.public_id)})
        page = bobs.get(URL).content.decode()
        self.assertNotIn("Maya", page)
        entry.refresh_from_db()
        self.assertEqual((entry.text, entry.phone), (SISTER, "555 0100"))
        outcome = actions.save_plan(bob, edits={str(entry.public_id): actions.Edit("Hijacked")})
        self.assertEqual(outcome.missing, [str(entry.public_id)])
        self.assertEqual(SafetyPlan.objects.get(owner=alice).entries.get().text, SISTER)


@time_machine.travel(NOON, tick=False)
class PrivacyTest(TestCase):
    def test_the_raw_columns_hold_no_plain_text(self) -> None:
        alice = make_user("alice")
        signed_in(alice).post(
            URL,
            {
                "new-ask_for_help-text": SISTER,
                "new-ask_for_help-phone": "555 0100",
                "new-warning_signs-text": SIGN,
            },
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT text, phone FROM safetyplan_safetyplanentry ORDER BY id")
            rows = cursor.fetchall()
        self.assertEqual(len(rows), 2)
        for text, phone in rows:
            self.assertTrue(text.startswith("gAAAAA"), text[:10])
            for plain in ("Maya, my", "sister", "Lying awake", "555 0100"):
                self.assertNotIn(plain, text)
                self.assertNotIn(plain, phone)
        self.assertTrue(any(phone.startswith("gAAAAA") for _text, phone in rows))
        self.assertIn("", [phone for _text, phone in rows], "no number is stored as empty")

    def test_audit_entries_and_logs_hold_no_content(self) -> None:
        alice = make_user("alice")
        client = signed_in(alice)
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
            client.post(URL, {"new-ask_for_help-text": SISTER, "new-ask_for_help-phone": "07700 900461"})
            entry = SafetyPlanEntry.objects.get()
            client.post(entry_url(entry), {**shown(entry), f"e-{entry.public_id}-text": SISTER + " (older)"})
            client.post(URL, {"new-on_my_own-text": "x" * 201 + " Maya"})
            client.get(URL)
            client.post(URL, {"remove": str(entry.public_id)})
            client.post(URL, {"action": "reviewed"})
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        logged = "\n".join(r.getMessage() + str(r.args) for r in records)
        self.assertNotIn("Maya", logged)
        self.assertNotIn("900461", logged)
        events = AuditEvent.objects.filter(action__startswith="safetyplan")
        plan = SafetyPlan.objects.get()
        self.assertEqual(
            {(e.action, e.target_type, e.target_id, e.actor_kind) for e in events},
            {
                ("safetyplan.write", "safetyplan", str(plan.public_id), "member"),
                ("safetyplan.read", "safetyplan", str(plan.public_id), "member"),
                ("safetyplan.review", "safetyplan", str(plan.public_id), "member"),
            },
        )
        everything = " ".join(" ".join(map(str, row)) for row in AuditEvent.objects.values_list())
        for content in ("Maya", "sister", "900461", "ask_for_help", "on_my_own"):
            self.assertNotIn(content, everything)


class OfferedAfterAFlagTest(TestCase):
    """The safety plan is offered wherever a suicide-risk flag is shown, and not pushed when there is none."""

    LINK = 'href="/safety-plan/"'

    def test_the_results_of_a_check_up_with_item_9_above_0_link_to_it(self) -> None:
        alice = make_user("alice")
        client = signed_in(alice)
        flagged = member_checkup(alice, CALM_ANSWERS | {"phq9_9": 1})
        calm = member_checkup(alice, CALM_ANSWERS)
        page = client.get(f"/checkup/{flagged.public_id}/results/", follow=True).content.decode()
        self.assertIn(self.LINK, page)
        self.assertIn("Make a plan for hard moments", page)
        main = page[page.index("<main") :]
        self.assertLess(
            main.index("Help is here, right now"), main.index(self.LINK), "crisis lines come first"
        )
        page = client.get(f"/checkup/{calm.public_id}/results/", follow=True).content.decode()
        self.assertNotIn(self.LINK, page)
        self.assertNotIn("Make a plan for hard moments", page)

    def test_a_visitor_is_told_it_needs_an_account(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, CALM_ANSWERS | {"phq9_9": 2})
        page = client.get(f"/checkup/{checkup.public_id}/results/", follow=True).content.decode()
        self.assertIn(self.LINK, page)
        self.assertIn("you will be asked to sign in or create a free account first", page)

    def test_the_safety_gate_offers_it(self) -> None:
        alice = make_user("alice")
        asq = {"asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0}
        checkup = member_checkup(
            alice,
            {f"brs_{n}": 3 for n in range(1, 7)}
            | {"phq9_1": 0, "phq9_2": 0, "phq9_9": 1}
            | asq
            | {"asq_5": 0},
        )
        gate = signed_in(alice).get(f"/checkup/{checkup.public_id}/", follow=True).content.decode()
        self.assertIn("Before you go on", gate)
        self.assertIn(self.LINK, gate)
        self.assertLess(gate.index(self.LINK), gate.index("I am safe right now: continue my check-up"))
        acute = member_checkup(
            alice,
            {f"brs_{n}": 3 for n in range(1, 7)}
            | {"phq9_1": 0, "phq9_2": 0, "phq9_9": 1}
            | asq
            | {"asq_5": 1},
        )
        gate = signed_in(alice).get(f"/checkup/{acute.public_id}/", follow=True).content.decode()
        self.assertIn("Please reach out for help now", gate)
        self.assertIn("open your safety plan</a> and use it now", gate)
        self.assertLess(gate.index('href="tel:911"'), gate.index(self.LINK), "the emergency number first")

    def test_the_resilience_plan_links_the_tool_from_its_safety_step_only(self) -> None:
        alice = make_user("alice")
        client = signed_in(alice)
        flagged = member_checkup(alice, CALM_ANSWERS | {"phq9_9": 1})
        calm = member_checkup(alice, CALM_ANSWERS)
        page = client.get(f"/checkup/{flagged.public_id}/plan/", follow=True).content.decode()
        item = page[page.index('id="safety_now"') :]
        item = item[: item.index("</li>")]
        self.assertIn(self.LINK, item)
        self.assertNotIn(
            self.LINK, client.get(f"/checkup/{calm.public_id}/plan/", follow=True).content.decode()
        )


class GetHelpLinksThePlanTest(SimpleTestCase):
    """Get help now links the plan for everyone, and still needs no database and no session (hazard H24)."""

    def test_it_links_the_plan_with_the_database_down(self) -> None:
        member = Client()
        member.cookies[settings.SESSION_COOKIE_NAME] = "a-session-the-database-would-be-asked-about"
        with mock.patch(
            "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
            side_effect=OperationalError("database is down"),
        ):
            for client in (member, Client()):
                response = client.get("/help/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, '<a href="/safety-plan/">My safety plan</a>')
                content = response.content.decode()
                self.assertLess(content.index('href="tel:988"'), content.index('href="/safety-plan/"'))


@time_machine.travel(NOON, tick=False)
class ExportAndDeletionTest(TestCase):
    """The plan is in the member's export (decrypted, theirs only) and goes with their account (hazard H31)."""

    def test_the_plan_is_in_the_export_and_goes_with_the_account(self) -> None:
        alice, bob = make_user("alice"), make_user("bob")
        actions.add_entry(alice, "ask_for_help", SISTER, "555 0100")
        actions.add_entry(bob, "warning_signs", SIGN)
        tables = {name: rows for name, _model, _columns, rows in personal.TABLES}
        entries = list(tables["safety_plan_entries"](alice))
        self.assertEqual(
            [(e["step"], e["text"], e["phone"]) for e in entries], [("ask_for_help", SISTER, "555 0100")]
        )
        for name, _model, columns, rows in personal.TABLES:
            self.assertTrue(all(tuple(row) == columns for row in rows(alice)), name)
        self.assertEqual(len(list(tables["safety_plans"](alice))), 1)
        self.assertEqual(personal.erase(alice), {"safetyplan.SafetyPlan": 1, "safetyplan.SafetyPlanEntry": 1})
        self.assertEqual(
            list(SafetyPlanEntry.objects.values_list("plan__owner__username", flat=True)), ["bob"]
        )

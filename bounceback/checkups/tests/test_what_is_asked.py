"""Only what the check-up asks now can be saved; a completed check-up is locked; addresses, audit verbs and
log lines say nothing about the answers (issue 8 findings 3 and 4; hazards H04, H16, H18)."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from bounceback.audit.models import AuditEvent
from bounceback.checkups import actions
from bounceback.checkups.links import step_for_token, step_token, step_url
from bounceback.checkups.models import Answer, CheckUp
from bounceback.instruments.battery import STEPS
from bounceback.safety.models import SafetyEvent
from bounceback.test import CALM_ANSWERS, make_user, member_checkup, visitor_checkup

HTMX = {"HX-Request": "true"}


class OnlyWhatIsAskedTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")

    def test_a_follow_up_cannot_be_saved_before_the_answer_that_opens_it(self) -> None:
        checkup = member_checkup(self.alice)
        for item_id, value in (("asq_5", 1), ("asq_1", 1), ("pcl5_1", 4), ("phq9_3", 2), ("evs_minutes", 30)):
            with self.assertRaises(actions.CheckUpError, msg=item_id) as caught:
                actions.save_answer(checkup, item_id, value, actor=self.alice)
            self.assertIn("not part of your check-up", str(caught.exception))
        self.assertEqual(checkup.answers.count(), 0)
        self.assertEqual(SafetyEvent.objects.count(), 0, "a refused asq_5 raises no acute-risk event")

    def test_the_htmx_autosave_names_the_refusal_and_writes_nothing(self) -> None:
        client = Client()
        client.force_login(self.alice)
        checkup = member_checkup(self.alice)
        response = client.post(
            f"/checkup/{checkup.public_id}/answer/", {"item": "asq_5", "asq_5": "1"}, headers=HTMX
        )
        self.assertContains(response, "Not saved. This question is not part of your check-up")
        self.assertFalse(Answer.objects.filter(checkup=checkup).exists())
        self.assertFalse(SafetyEvent.objects.exists())

    def test_a_follow_up_is_saved_once_it_is_opened(self) -> None:
        checkup = member_checkup(self.alice, {"phq9_9": 1})
        actions.save_answer(checkup, "asq_1", 1, actor=self.alice)
        actions.save_answer(checkup, "asq_5", 0, actor=self.alice)
        self.assertEqual(checkup.answers.count(), 3)

    def test_item_9_is_always_saved_whatever_else_is_missing(self) -> None:
        checkup = member_checkup(self.alice)
        actions.save_answer(checkup, "phq9_9", 2, actor=self.alice)
        self.assertEqual(SafetyEvent.objects.filter(checkup=checkup).count(), 1)

    def test_declined_optional_questions_are_not_saved(self) -> None:
        checkup = member_checkup(
            self.alice, {"pcptsd5_exposure": 1} | {f"pcptsd5_{n}": 1 for n in range(1, 6)}
        )
        actions.save_answer(checkup, "pcl5_1", 2, actor=self.alice)
        actions.decline_step(checkup, "pcl5", actor=self.alice)
        with self.assertRaises(actions.CheckUpError):
            actions.save_answer(checkup, "pcl5_2", 2, actor=self.alice)


class CompletedIsLockedTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.checkup = member_checkup(self.alice, CALM_ANSWERS)
        actions.complete_if_done(self.checkup, actor=self.alice)
        self.client = Client()
        self.client.force_login(self.alice)

    def test_the_action_refuses_any_change(self) -> None:
        with self.assertRaises(actions.CheckUpClosed):
            actions.save_answer(self.checkup, "brs_1", 1, actor=self.alice)
        with self.assertRaises(actions.CheckUpClosed):
            actions.decline_step(self.checkup, "pcl5", actor=self.alice)
        self.assertEqual(self.checkup.answers.get(item_id="brs_1").value, CALM_ANSWERS["brs_1"])

    def test_autosave_says_it_is_finished_and_changes_nothing(self) -> None:
        rows = AuditEvent.objects.count()
        response = self.client.post(
            f"/checkup/{self.checkup.public_id}/answer/", {"item": "brs_1", "brs_1": "1"}, headers=HTMX
        )
        self.assertContains(response, "Not saved. This check-up is finished")
        self.assertEqual(self.checkup.answers.get(item_id="brs_1").value, CALM_ANSWERS["brs_1"])
        self.assertEqual(AuditEvent.objects.count(), rows)

    def test_a_page_post_leads_to_the_results_and_changes_nothing(self) -> None:
        response = self.client.post(
            step_url(self.checkup, "brs"), {f"brs_{n}": "1" for n in range(1, 7)}, follow=True
        )
        self.assertRedirects(response, f"/checkup/{self.checkup.public_id}/results/")
        self.assertContains(response, "This check-up is finished")
        self.assertEqual(self.checkup.answers.get(item_id="brs_1").value, CALM_ANSWERS["brs_1"])

    def test_a_tab_loaded_before_completion_cannot_write_after_it(self) -> None:
        other = member_checkup(self.alice, CALM_ANSWERS)
        stale_tab = CheckUp.objects.get(pk=other.pk)  # loaded while still open
        actions.complete_if_done(other, actor=self.alice)
        with self.assertRaises(actions.CheckUpClosed):
            actions.save_answer(stale_tab, "brs_1", 1, actor=self.alice, base_revision=1)
        self.assertEqual(other.answers.get(item_id="brs_1").value, CALM_ANSWERS["brs_1"])


REVEALING = re.compile(r"asq|acuity|phq|pcl|ptsd|gad|brs|safe|declin|crisis|suicid|step/", re.IGNORECASE)
"""Words that would tell a reader of an address, an audit row or a log line what the person answered."""


@pytest.mark.django_db
def test_addresses_audit_verbs_and_log_lines_reveal_no_answer(caplog: pytest.LogCaptureFixture) -> None:
    """A visitor walks the most revealing path without JavaScript: item 9 above 0, the ASQ with an acute
    "yes", "I am safe", the PCL-5 offered and declined. No address requested or redirected to, no form action,
    no audit verb and no log line names a step or an answer."""
    client = Client()
    seen: list[str] = []
    caplog.set_level(logging.DEBUG)

    def go(response: object) -> str:
        location = response["Location"]  # type: ignore[index]
        seen.append(location)
        page = client.get(location, follow=True)
        seen.extend(url for url, _status in page.redirect_chain)
        html = page.content.decode()
        seen.extend(re.findall(r'<form[^>]* action="([^"]*)"', html))
        return html

    html = go(client.post("/checkup/", {"context": ["loss"]}))
    checkup = CheckUp.objects.get()
    answers = [
        {f"brs_{n}": "3" for n in range(1, 7)},
        {"phq9_1": "0", "phq9_2": "1"},
        {"phq9_9": "2"},
        {"asq_1": "1", "asq_2": "1", "asq_3": "0", "asq_4": "0"},
        {"asq_5": "1"},
    ]
    for data in answers:
        action = re.search(r'<form method="post" action="([^"]*)" novalidate', html)
        assert action, html[:400]
        html = go(client.post(action.group(1), data | {"action": "next"}))
    assert "I am safe right now" in html
    html = go(client.post(f"/checkup/{checkup.public_id}/", {"action": "safe"}))
    for data in (
        {"gad7_1": "0", "gad7_2": "1"},
        {"pcptsd5_exposure": "1"},
        {f"pcptsd5_{n}": "1" for n in range(1, 6)},
    ):
        action = re.search(r'<form method="post" action="([^"]*)" novalidate', html)
        assert action, html[:400]
        html = go(client.post(action.group(1), data | {"action": "next"}))
    assert "optional" in html
    action = re.search(r'<form method="post" action="([^"]*)" novalidate', html)
    assert action
    go(client.post(action.group(1), {"action": "decline"}))
    checkup.refresh_from_db()
    assert checkup.declined == ["pcl5"], "the walk reached and declined the PCL-5"
    assert SafetyEvent.objects.filter(checkup=checkup).count() >= 2

    assert seen
    for url in seen:
        assert not REVEALING.search(url), url
    for verb in AuditEvent.objects.values_list("action", flat=True):
        assert not REVEALING.search(verb), verb
    for record in caplog.records:
        assert not REVEALING.search(record.getMessage()), record.getMessage()


class StepTokensTest(TestCase):
    def test_each_step_has_its_own_token_per_check_up(self) -> None:
        alice = make_user("alice")
        one, two = member_checkup(alice), member_checkup(alice)
        tokens = {step_token(one, s.id) for s in STEPS}
        self.assertEqual(len(tokens), len(STEPS))
        self.assertTrue(tokens.isdisjoint({step_token(two, s.id) for s in STEPS}))
        for step in STEPS:
            self.assertEqual(step_for_token(one, step_token(one, step.id)), step)
            self.assertIsNone(step_for_token(two, step_token(one, step.id)))
        self.assertIsNone(step_for_token(one, "not-a-token"))

    def test_a_step_off_the_path_leads_back_to_where_the_person_is(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, {f"brs_{n}": 3 for n in range(1, 7)})
        for address in (step_url(checkup, "asq_acuity"), f"/checkup/{checkup.public_id}/p/0123456789abcdef/"):
            response = client.get(address, follow=True)
            self.assertEqual(response.redirect_chain[-1][0], step_url(checkup, "phq2"), address)

    def test_back_and_forward_each_have_an_address_that_shows_the_saved_answers(self) -> None:
        client = Client()
        checkup = visitor_checkup(client)
        first = client.post(step_url(checkup, "brs"), {f"brs_{n}": "2" for n in range(1, 7)})
        self.assertEqual(first["Location"], step_url(checkup, "phq2"))
        back = client.post(step_url(checkup, "phq2"), {"phq9_1": "1", "action": "back"})
        self.assertEqual(back["Location"], step_url(checkup, "brs"))
        page = client.get(back["Location"]).content.decode()
        self.assertIn('id="brs_1-2" value="2" checked', page)
        forward = client.get(step_url(checkup, "phq2")).content.decode()
        self.assertIn('id="phq9_1-2" value="1" checked', forward, "the answer given before Back was kept")


ACUTE_PATH = {"phq9_9": 2, "asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 1}


class AcuteBannerEverywhereTest(TestCase):
    """After an acute "yes", "call 988 or 911 now" is on every page the person opens for a day (phone item 4)."""

    PAGES = ("/", "/instruments/", "/instruments/phq9/", "/practice/", "/checkup/", "/evidence/")

    def test_a_visitor_sees_the_banner_on_every_page(self) -> None:
        client = Client()
        visitor_checkup(client, ACUTE_PATH)
        for url in self.PAGES:
            page = client.get(url)
            self.assertContains(page, 'class="acute-banner"', msg_prefix=url)
            self.assertContains(page, 'href="tel:911"', msg_prefix=url)

    def test_a_member_sees_it_on_any_device_and_someone_else_never(self) -> None:
        alice, bob = make_user("alice"), make_user("bob")
        member_checkup(alice, ACUTE_PATH)
        member_checkup(bob, {"phq9_9": 1, "asq_1": 1})  # positive but not acute
        for user, expected in ((alice, True), (bob, False)):
            client = Client()
            client.force_login(user)
            for url in (*self.PAGES, "/me/"):
                shown = 'class="acute-banner"' in client.get(url).content.decode()
                self.assertEqual(shown, expected, (user.username, url))
        self.assertNotContains(Client().get("/"), 'class="acute-banner"')

    def test_it_leaves_the_other_pages_after_a_day(self) -> None:
        alice = make_user("alice")
        checkup = member_checkup(alice, ACUTE_PATH)
        SafetyEvent.objects.filter(checkup=checkup).update(created_at=timezone.now() - timedelta(hours=25))
        client = Client()
        client.force_login(alice)
        self.assertNotContains(client.get("/"), 'class="acute-banner"')
        self.assertContains(client.get(f"/checkup/{checkup.public_id}/results/"), 'class="acute-banner"')


class PageTokenTest(TestCase):
    def test_a_hostile_page_token_is_no_token_and_never_a_500(self) -> None:
        client = Client()
        checkup = visitor_checkup(client)
        for token in ("\x00", "<b>x</b>", "9" * 5000, "ABCDEF0123456789"):
            response = client.post(
                f"/checkup/{checkup.public_id}/answer/",
                {"item": "brs_1", "brs_1": "3", "page": token},
                headers=HTMX,
            )
            self.assertContains(response, "Saved", msg_prefix=repr(token[:10]))
        self.assertEqual(Answer.objects.get(checkup=checkup, item_id="brs_1").writer, "")


class TimePromiseTest(TestCase):
    """Issue 8, phone item 7: the start page's promise and the progress line agree, and the range never rises."""

    def test_the_home_page_the_start_page_and_the_first_step_promise_the_same_time(self) -> None:
        client = Client()
        self.assertContains(client.get("/"), "About 4 to 9 minutes.")
        self.assertContains(client.get("/checkup/"), "About 4 to 9 minutes of questions")
        checkup = visitor_checkup(client)
        self.assertContains(client.get(step_url(checkup, "brs")), "Part 1 of 9 · about 4 to 9 minutes left")

    def test_the_upper_bound_never_rises_along_a_path_with_every_follow_up(self) -> None:
        from bounceback.instruments.battery import DEFAULT

        path = {f"brs_{n}": 3 for n in range(1, 7)} | {"phq9_1": 3, "phq9_2": 3}
        path |= {f"phq9_{n}": 1 for n in range(3, 10)} | {"asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0}
        path |= {"asq_5": 0, "gad7_1": 3, "gad7_2": 3} | {f"gad7_{n}": 1 for n in range(3, 8)}
        path |= {"pcptsd5_exposure": 1} | {f"pcptsd5_{n}": 1 for n in range(1, 6)}
        answers: dict[str, int] = {}
        highest = DEFAULT.remaining_items_range(answers)[1]
        for item_id, value in path.items():
            answers[item_id] = value
            low, high = DEFAULT.remaining_items_range(answers)
            self.assertLessEqual(high, highest, item_id)
            self.assertLessEqual(low, high, item_id)
            highest = high

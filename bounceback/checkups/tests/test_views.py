"""The check-up on the web without JavaScript and with htmx: stepped questions, autosave, errors, the crisis
flow, results and plan (hazards H04, H09, H10, H11, H14, H16, H18, H20)."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from bounceback.audit.models import AuditEvent
from bounceback.audit.record import STATEMENTS as AUDIT_STATEMENTS
from bounceback.checkups import actions
from bounceback.checkups.links import step_url
from bounceback.checkups.models import Answer, CheckUp
from bounceback.instruments.battery import score_battery
from bounceback.safety.models import SafetyEvent
from bounceback.test import CALM_ANSWERS, make_user, member_checkup, visitor_checkup

HTMX = {"HX-Request": "true"}


def fieldsets(content: bytes) -> list[str]:
    return re.findall(r'<fieldset class="question[^"]*" id="q-([a-z0-9_]+)"', content.decode())


class StepFlowTest(TestCase):
    def setUp(self) -> None:
        self.client = Client()

    def start(self) -> CheckUp:
        return visitor_checkup(self.client)

    def test_it_starts_without_an_account_and_asks_the_brs_first(self) -> None:
        checkup = self.start()
        response = self.client.get(f"/checkup/{checkup.public_id}/", follow=True)
        self.assertEqual(fieldsets(response.content), [f"brs_{n}" for n in range(1, 7)])
        self.assertContains(response, "Please indicate the extent to which you agree")
        self.assertContains(response, "Used with acknowledgement of the authors")
        self.assertEqual(checkup.context, ["loss"])

    def test_it_renders_every_question_as_a_fieldset_with_labelled_radios(self) -> None:
        checkup = self.start()
        content = self.client.get(f"/checkup/{checkup.public_id}/", follow=True).content.decode()
        for n in range(1, 7):
            for k in range(1, 6):
                self.assertIn(f'id="brs_{n}-{k}"', content)
                self.assertIn(f'<label for="brs_{n}-{k}">', content)
        self.assertEqual(content.count("<legend>"), 6)

    def test_it_saves_a_whole_page_without_javascript_and_moves_on(self) -> None:
        checkup = self.start()
        response = self.client.post(
            step_url(checkup, "brs"),
            {f"brs_{n}": "3" for n in range(1, 7)} | {"action": "next"},
        )
        self.assertRedirects(response, step_url(checkup, "phq2"), fetch_redirect_response=False)
        self.assertEqual(checkup.answers.count(), 6)
        self.assertEqual(fieldsets(self.client.get(response["Location"]).content), ["phq9_1", "phq9_2"])

    def test_it_names_missing_and_bad_answers_and_keeps_the_rest(self) -> None:
        checkup = self.start()
        data = {"brs_1": "3", "brs_2": "9", "brs_3": "x", "brs_5": "2", "brs_6": "2", "action": "next"}
        response = self.client.post(step_url(checkup, "brs"), data)
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIn("Some answers need attention", content)
        self.assertIn('<a href="#q-brs_4">Question 4: Please answer this question.</a>', content)
        self.assertIn('<a href="#q-brs_2">Question 2: Please choose one of the answers.</a>', content)
        self.assertIn("is not a whole number", content)
        self.assertIn('aria-describedby="err-brs_4"', content)
        self.assertEqual(
            sorted(checkup.answers.values_list("item_id", flat=True)), ["brs_1", "brs_5", "brs_6"]
        )

    def test_it_goes_back_without_losing_answers(self) -> None:
        checkup = visitor_checkup(self.client, {f"brs_{n}": 3 for n in range(1, 7)})
        response = self.client.post(
            step_url(checkup, "phq2"), {"phq9_1": "1", "action": "back", "previous": "brs"}
        )
        self.assertRedirects(response, step_url(checkup, "brs"), fetch_redirect_response=False)
        page = self.client.get(response["Location"]).content.decode()
        self.assertIn('value="3" checked', page)
        self.assertEqual(checkup.answers.get(item_id="phq9_1").value, 1)

    def test_it_autosaves_one_answer_with_htmx(self) -> None:
        checkup = self.start()
        response = self.client.post(
            f"/checkup/{checkup.public_id}/answer/",
            {"item": "brs_2", "brs_2": "4", "rev_brs_2": "0"},
            headers=HTMX,
        )
        self.assertContains(response, "Saved")
        self.assertContains(response, 'id="rev_brs_2" value="1" hx-swap-oob="true"')
        self.assertEqual(checkup.answers.get(item_id="brs_2").value, 4)

    def test_it_says_not_saved_for_a_stale_tab(self) -> None:
        checkup = self.start()
        self.client.post(
            f"/checkup/{checkup.public_id}/answer/",
            {"item": "phq9_9", "phq9_9": "2", "page": "b"},
            headers=HTMX,
        )
        response = self.client.post(
            f"/checkup/{checkup.public_id}/answer/",
            {"item": "phq9_9", "phq9_9": "0", "rev_phq9_9": "0", "page": "a"},
            headers=HTMX,
        )
        self.assertContains(response, "Not saved.")
        self.assertContains(response, "changed in another window")
        self.assertEqual(checkup.answers.get(item_id="phq9_9").value, 2)
        # The page is sent the question as stored now, showing the newer answer.
        self.assertContains(response, 'id="q-phq9_9" aria-describedby="err-phq9_9" hx-swap-oob="true"')
        self.assertContains(response, 'value="2" checked')

    def test_it_shows_the_newer_answer_after_a_stale_page_post(self) -> None:
        checkup = self.start()
        self.client.post(
            f"/checkup/{checkup.public_id}/answer/",
            {"item": "brs_1", "brs_1": "5", "page": "b"},
            headers=HTMX,
        )
        data = {f"brs_{n}": "1" for n in range(1, 7)} | {"rev_brs_1": "0", "page": "a", "action": "next"}
        response = self.client.post(step_url(checkup, "brs"), data)
        self.assertContains(response, "changed in another window")
        self.assertContains(response, 'id="brs_1-5" value="5" checked')
        self.assertEqual(checkup.answers.get(item_id="brs_1").value, 5)
        self.assertEqual(checkup.answers.get(item_id="brs_2").value, 1)

    def test_it_refuses_odd_digits_without_failing(self) -> None:
        checkup = self.start()
        for raw in ("²", "--1", "1e3", "٣"):
            response = self.client.post(
                f"/checkup/{checkup.public_id}/answer/",
                {"item": "evs_minutes", "evs_minutes": raw, "rev_evs_minutes": "²"},
                headers=HTMX,
            )
            self.assertEqual(response.status_code, 200, raw)
            self.assertContains(response, "Not saved.")
        self.assertFalse(checkup.answers.exists())

    def test_it_walks_the_shortest_path_to_the_results(self) -> None:
        checkup = visitor_checkup(self.client, CALM_ANSWERS)
        audit_rows = AuditEvent.objects.count()
        response = self.client.get(f"/checkup/{checkup.public_id}/", follow=True)
        self.assertContains(response, "You have answered every question")
        checkup.refresh_from_db()
        self.assertFalse(checkup.is_complete, "a GET never completes a check-up")
        self.assertEqual(AuditEvent.objects.count(), audit_rows + 1, "a GET writes only its read audit entry")
        response = self.client.post(f"/checkup/{checkup.public_id}/", {"action": "finish"})
        self.assertRedirects(response, f"/checkup/{checkup.public_id}/results/")
        checkup.refresh_from_db()
        self.assertTrue(checkup.is_complete)
        stored = {r.instrument_id: r.as_result() for r in checkup.results.all()}
        self.assertEqual(stored["brs"].total, score_battery(CALM_ANSWERS)["brs"].total)
        self.assertEqual(list(stored), list(score_battery(CALM_ANSWERS)))

    def test_it_offers_the_pcl5_and_lets_it_be_declined(self) -> None:
        answers = {k: v for k, v in CALM_ANSWERS.items() if k != "pcptsd5_exposure"}
        answers |= {"pcptsd5_exposure": 1} | {f"pcptsd5_{n}": 1 for n in range(1, 6)}
        checkup = visitor_checkup(self.client, answers)
        page = self.client.get(f"/checkup/{checkup.public_id}/", follow=True)
        self.assertEqual(fieldsets(page.content), [f"pcl5_{n}" for n in range(1, 21)])
        self.assertContains(page, "Skip these optional questions")
        self.client.post(step_url(checkup, "pcl5"), {"action": "decline"})
        response = self.client.get(f"/checkup/{checkup.public_id}/", follow=True)
        self.assertRedirects(response, f"/checkup/{checkup.public_id}/results/")

    def test_it_marks_personal_pages_no_store(self) -> None:
        checkup = visitor_checkup(self.client, CALM_ANSWERS)
        for url in ("", "results/", "plan/"):
            response = self.client.get(f"/checkup/{checkup.public_id}/{url}", follow=True)
            self.assertIn("no-store", response["Cache-Control"], url)
            self.assertIn("private", response["Cache-Control"], url)

    def test_it_keeps_health_words_out_of_titles_and_urls(self) -> None:
        checkup = visitor_checkup(self.client, CALM_ANSWERS | {"phq9_9": 2})
        for url in ("", "results/", "plan/"):
            content = self.client.get(f"/checkup/{checkup.public_id}/{url}", follow=True).content.decode()
            title = re.search(r"<title>(.*?)</title>", content, re.S)
            assert title is not None
            self.assertNotRegex(title.group(1), r"(?i)phq|gad|depress|anx|suicid|crisis|ptsd|score|severe")
        self.assertNotRegex(f"/checkup/{checkup.public_id}/results/", r"(?i)phq|score|band")


class CrisisFlowTest(TestCase):
    """PHQ-9 item 9 above 0 shows crisis resources at once, then the ASQ (hazards H04, H10, H11)."""

    def setUp(self) -> None:
        self.client = Client()
        self.checkup = visitor_checkup(
            self.client, {f"brs_{n}": 3 for n in range(1, 7)} | {"phq9_1": 0, "phq9_2": 1}
        )

    def test_it_asks_item9_of_someone_below_the_phq2_cut_off(self) -> None:
        page = self.client.get(f"/checkup/{self.checkup.public_id}/", follow=True)
        self.assertEqual(fieldsets(page.content), ["phq9_9"])
        self.assertContains(
            page, "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
        )

    def test_it_puts_the_crisis_panel_in_the_htmx_response_to_item9(self) -> None:
        for value in ("1", "2", "3"):
            checkup = visitor_checkup(self.client, {"phq9_1": 0, "phq9_2": 0})
            response = self.client.post(
                f"/checkup/{checkup.public_id}/answer/", {"item": "phq9_9", "phq9_9": value}, headers=HTMX
            )
            self.assertContains(response, 'id="crisis-panel"')
            self.assertContains(response, "Help is here, right now")
            self.assertContains(response, 'href="tel:988"')
            self.assertContains(response, 'href="sms:741741?&amp;body=HOME"')
            self.assertContains(response, "Nobody at Bounceback reads your answers as you give them")

    def test_it_shows_no_panel_for_item9_zero(self) -> None:
        response = self.client.post(
            f"/checkup/{self.checkup.public_id}/answer/", {"item": "phq9_9", "phq9_9": "0"}, headers=HTMX
        )
        self.assertNotContains(response, "Help is here, right now")

    def test_it_shows_crisis_help_before_the_asq_without_javascript(self) -> None:
        response = self.client.post(
            step_url(self.checkup, "phq9_item9"),
            {"phq9_9": "1", "action": "next"},
            follow=True,
        )
        content = response.content.decode()
        main = content[content.index("<main") :]
        self.assertLess(main.index('href="tel:988"'), main.index('id="q-asq_1"'), "call and text come first")
        self.assertLess(
            main.index('id="q-asq_4"'), main.index("Help is here, right now"), "the full panel follows"
        )
        self.assertEqual(fieldsets(response.content), ["asq_1", "asq_2", "asq_3", "asq_4"])
        self.assertIn("I&#x27;d rather not answer", content)
        self.assertEqual(SafetyEvent.objects.get().kind, "suicidal_ideation")

    def test_it_leads_an_acute_positive_with_calling_now_and_keeps_it_there(self) -> None:
        self.client.post(step_url(self.checkup, "phq9_item9"), {"phq9_9": "3"})
        self.client.post(
            step_url(self.checkup, "asq"),
            {"asq_1": "1", "asq_2": "1", "asq_3": "1", "asq_4": "0"},
        )
        self.client.post(step_url(self.checkup, "asq_acuity"), {"asq_5": "1"})
        gate = self.client.get(f"/checkup/{self.checkup.public_id}/", follow=True).content.decode()
        self.assertIn("Please reach out for help now", gate)
        self.assertIn(
            "Please reach out now. Call or text 988 to talk to someone now, or call 911 if you are in danger.",
            gate,
        )
        self.assertLess(gate.index('class="acute-banner"'), gate.index("<main"))
        self.client.post(f"/checkup/{self.checkup.public_id}/", {"action": "safe"})
        for url in ("", "results/", "plan/"):
            page = self.client.get(f"/checkup/{self.checkup.public_id}/{url}", follow=True).content.decode()
            self.assertIn('class="acute-banner"', page, url)
            self.assertIn('href="tel:911"', page, url)

    def test_it_never_leads_a_non_acute_positive_with_911(self) -> None:
        self.client.post(step_url(self.checkup, "phq9_item9"), {"phq9_9": "1"})
        self.client.post(
            step_url(self.checkup, "asq"),
            {"asq_1": "1", "asq_2": "0", "asq_3": "0", "asq_4": "0"},
        )
        self.client.post(step_url(self.checkup, "asq_acuity"), {"asq_5": "0"})
        gate = self.client.get(f"/checkup/{self.checkup.public_id}/", follow=True).content.decode()
        self.assertIn("Before you go on", gate)
        main = gate[gate.index("<main") :]
        self.assertLess(main.index('href="tel:988"'), main.index('href="tel:911"'))
        self.assertNotIn('class="acute-banner"', gate)
        self.client.post(f"/checkup/{self.checkup.public_id}/", {"action": "safe"})
        page = self.client.get(f"/checkup/{self.checkup.public_id}/", follow=True)
        self.assertEqual(fieldsets(page.content), ["gad7_1", "gad7_2"])
        self.assertContains(page, "Help is here any time.", msg_prefix="later pages carry the compact panel")
        self.assertNotContains(page, "Help is here, right now")
        self.assertContains(page, 'href="tel:988"')

    def test_it_asks_again_after_a_later_acute_answer(self) -> None:
        url = f"/checkup/{self.checkup.public_id}"
        self.client.post(step_url(self.checkup, "phq9_item9"), {"phq9_9": "1"})
        self.client.post(
            step_url(self.checkup, "asq"), {"asq_1": "1", "asq_2": "0", "asq_3": "0", "asq_4": "0"}
        )
        self.client.post(step_url(self.checkup, "asq_acuity"), {"asq_5": "0"})
        self.client.post(f"{url}/", {"action": "safe"})
        self.assertContains(self.client.get(f"{url}/", follow=True), 'id="q-gad7_1"')
        # Back to the acuity question, now answered "yes": the banner comes with the answer, the gate follows.
        response = self.client.post(f"{url}/answer/", {"item": "asq_5", "asq_5": "1"}, headers=HTMX)
        self.assertContains(response, '<div id="acute-slot" hx-swap-oob="true">')
        self.assertContains(response, 'class="acute-banner"')
        self.assertContains(self.client.get(f"{url}/", follow=True), "Please reach out for help now")

    def test_it_requires_confirming_safety_before_continuing(self) -> None:
        self.client.post(step_url(self.checkup, "phq9_item9"), {"phq9_9": "1"})
        self.client.post(
            step_url(self.checkup, "asq"),
            {"asq_1": "0", "asq_2": "0", "asq_3": "0", "asq_4": "0"},
        )
        page = self.client.get(f"/checkup/{self.checkup.public_id}/", follow=True)
        self.assertContains(page, "I am safe right now: continue my check-up")
        self.assertEqual(fieldsets(page.content), [])

    def test_it_shows_the_panel_when_resuming_on_another_device(self) -> None:
        alice = make_user("alice")
        checkup = member_checkup(
            alice, {f"brs_{n}": 3 for n in range(1, 7)} | {"phq9_1": 0, "phq9_2": 0, "phq9_9": 2}
        )
        other = Client()
        other.force_login(alice)
        self.assertContains(
            other.get(f"/checkup/{checkup.public_id}/", follow=True), "Help is here, right now"
        )

    def test_it_keeps_the_panel_after_item9_is_changed_to_zero(self) -> None:
        self.client.post(
            f"/checkup/{self.checkup.public_id}/answer/", {"item": "phq9_9", "phq9_9": "2"}, headers=HTMX
        )
        self.client.post(
            f"/checkup/{self.checkup.public_id}/answer/", {"item": "phq9_9", "phq9_9": "0"}, headers=HTMX
        )
        self.assertEqual(SafetyEvent.objects.count(), 1)
        self.assertContains(self.client.get(step_url(self.checkup, "phq9_item9")), "Help is here")


class QueryCountTest(TestCase):
    """Pages run a small, fixed number of queries whatever the amount of data (no N+1)."""

    def test_it_lists_check_ups_in_a_constant_number_of_queries(self) -> None:
        alice = make_user("alice")
        client = Client()
        client.force_login(alice)
        member_checkup(alice, CALM_ANSWERS)
        client.get("/me/")  # the first request of a session records activity
        with CaptureQueriesContext(connection) as one:
            client.get("/me/")
        for _ in range(4):
            member_checkup(alice, CALM_ANSWERS)
        with CaptureQueriesContext(connection) as five:
            self.assertContains(client.get("/me/"), '<li class="card">', count=5)
        self.assertEqual(len(one), len(five))

    def test_it_renders_a_step_and_the_results_in_a_handful_of_queries(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, CALM_ANSWERS)
        # session, check-up, audit entry (its statements), answers, safety events, and any acute answer of the
        # last day
        with self.assertNumQueries(5 + AUDIT_STATEMENTS):
            client.get(step_url(checkup, "brs"))
        with self.assertNumQueries(5 + AUDIT_STATEMENTS):
            client.get(f"/checkup/{checkup.public_id}/results/")


class ResultsTest(TestCase):
    def test_it_gives_every_result_the_caveat_and_a_way_to_talk_to_someone(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, CALM_ANSWERS)
        content = client.get(f"/checkup/{checkup.public_id}/results/").content.decode()
        sections = content.count('<section class="result"')
        self.assertGreaterEqual(sections, 8)
        self.assertEqual(content.count("Struggling, whatever the score? Talk to someone"), sections)
        self.assertIn("not a diagnosis or medical advice", content)
        self.assertIn("Create an account", content)

    def test_it_recommends_a_professional_when_results_call_for_it(self) -> None:
        client = Client()
        answers = (
            CALM_ANSWERS | {"phq9_1": 2, "phq9_2": 2} | {f"phq9_{n}": 2 for n in range(3, 9)} | {"phq9_9": 0}
        )
        checkup = visitor_checkup(client, answers)
        content = client.get(f"/checkup/{checkup.public_id}/results/").content.decode()
        self.assertIn("We recommend talking to a professional", content)
        self.assertIn("What to expect", content)
        self.assertIn("findtreatment.gov", content)
        self.assertNotIn(
            "We recommend talking to a professional",
            client.get(
                f"/checkup/{visitor_checkup(client, CALM_ANSWERS).public_id}/results/"
            ).content.decode(),
        )

    def test_it_draws_each_score_on_its_scale_with_a_text_equivalent(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, CALM_ANSWERS)
        content = client.get(f"/checkup/{checkup.public_id}/results/").content.decode()
        self.assertIn('aria-hidden="true"', content)
        self.assertIn(
            "Your score is 4.00 on a scale from 1.00 to 5.00, in the band “Normal resilience”", content
        )
        self.assertIn(
            "Your score is 135 minutes a week, in the band “Insufficiently active” (1–149).", content
        )
        self.assertNotIn("This check-up is not finished", content)

    def test_it_shows_the_plan_with_its_evidence(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, CALM_ANSWERS)
        content = client.get(f"/checkup/{checkup.public_id}/plan/").content.decode()
        self.assertIn("Your resilience plan", content)
        self.assertIn("First step:", content)
        self.assertIn('href="/evidence/#', content)
        self.assertIn("Know when to reach for professional help", content)
        self.assertIn("After a loss, grief comes in waves", content)

    def test_it_lists_a_members_check_ups(self) -> None:
        alice = make_user("alice")
        done = member_checkup(alice, CALM_ANSWERS)
        actions.complete_if_done(done, actor=alice)
        started = member_checkup(alice, {"brs_1": 2})
        member_checkup(make_user("dave"), {"brs_1": 5})
        client = Client()
        client.force_login(alice)
        response = client.get("/me/")
        self.assertContains(response, f'href="/checkup/{done.public_id}/results/"')
        self.assertContains(response, f'href="/checkup/{started.public_id}/">Continue')
        self.assertContains(response, '<li class="card">', count=2)
        self.assertEqual(Answer.objects.filter(checkup=done).count(), len(CALM_ANSWERS))


class HostileValuesTest(TestCase):
    """Values a form must refuse with a message, never a 500 and never silently coerced (issue 7 item 4)."""

    HOSTILE = ("9" * 4301, "²", "١", "3.0", "-1", "\x00", "<b>1</b>", " ", "1e3")

    def test_the_step_form_and_autosave_refuse_hostile_values_by_name(self) -> None:
        checkup = visitor_checkup(
            self.client, {k: v for k, v in CALM_ANSWERS.items() if k != "evs_minutes"} | {"evs_days": 2}
        )
        for raw in self.HOSTILE:
            for item_id in ("brs_1", "evs_minutes"):
                for url, data in (
                    (step_url(checkup, "brs"), {item_id: raw, f"rev_{item_id}": raw}),
                    (
                        f"/checkup/{checkup.public_id}/answer/",
                        {"item": item_id, item_id: raw, f"rev_{item_id}": raw},
                    ),
                ):
                    response = self.client.post(url, data)
                    self.assertLess(response.status_code, 500, (url, item_id, raw[:10]))
                    self.assertNotIn(b"<b>1</b>", response.content)
        self.assertEqual(Answer.objects.get(checkup=checkup, item_id="brs_1").value, CALM_ANSWERS["brs_1"])
        self.assertFalse(Answer.objects.filter(checkup=checkup, item_id="evs_minutes").exists())

    def test_the_minutes_message_comes_from_the_definition(self) -> None:
        checkup = visitor_checkup(self.client, {"evs_days": 2})
        response = self.client.post(
            f"/checkup/{checkup.public_id}/answer/", {"item": "evs_minutes", "evs_minutes": "1441"}
        )
        self.assertContains(response, "Please enter the minutes")
        self.assertContains(response, "from 0 to 1440")


class BadRequestTest(TestCase):
    def test_an_unknown_life_event_is_named_escaped_with_crisis_help(self) -> None:
        response = self.client.post("/checkup/", {"context": ["<script>x</script>"]})
        self.assertEqual(response.status_code, 400)
        self.assertNotContains(response, "<script>x</script>", status_code=400)
        self.assertContains(response, "&lt;script&gt;", status_code=400)
        self.assertContains(response, 'href="tel:', status_code=400)
        self.assertContains(response, "Get help now", status_code=400)

    def test_practice_minutes_in_other_digits_are_refused_not_a_500(self) -> None:
        client = Client()
        client.force_login(make_user("alice"))
        for raw in ("²", "١٠", "9" * 5000, "-5", "5.0"):
            response = client.post("/practice/done/", {"minutes": raw})
            self.assertEqual(response.status_code, 400, raw[:8])


class UnreadableRevisionTest(TestCase):
    def test_an_unreadable_revision_never_skips_the_stale_check(self) -> None:
        checkup = visitor_checkup(self.client, {"brs_1": 2})
        for raw in ("abc", "9" * 40, "-3", "²"):
            response = self.client.post(
                f"/checkup/{checkup.public_id}/answer/",
                {"item": "brs_1", "brs_1": "5", "rev_brs_1": raw, "page": "another-tab"},
            )
            self.assertContains(response, "Not saved.")
        self.assertEqual(Answer.objects.get(checkup=checkup, item_id="brs_1").value, 2)

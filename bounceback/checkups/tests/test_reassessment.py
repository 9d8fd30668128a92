"""A focused re-assessment: chosen instruments asked in full (tracking over time), with the PHQ-9's safety rule
kept (hazards H04, H20)."""

from __future__ import annotations

import re

from django.test import Client, TestCase

from bounceback.checkups import actions
from bounceback.checkups.links import step_url
from bounceback.checkups.models import CheckUp
from bounceback.instruments.battery import focused
from bounceback.safety.models import SafetyEvent
from bounceback.test import make_user

LOW_PHQ = {f"phq9_{n}": 0 for n in range(1, 10)} | {"phq9_1": 1, "phq9_10": 0}
"""A PHQ-2 of 1: the stepped check-up would ask item 9 alone; a re-assessment asks all nine."""


def fieldsets(content: bytes) -> list[str]:
    return re.findall(r'<fieldset class="question[^"]*" id="q-([a-z0-9_]+)"', content.decode())


class FocusedBatteryTest(TestCase):
    def test_it_asks_each_chosen_instrument_in_full_in_the_default_order(self) -> None:
        battery = focused(["gad7", "brs", "phq9"])
        self.assertEqual([s.id for s in battery.steps], ["brs", "phq9", "asq", "asq_acuity", "gad7"])
        self.assertEqual(battery.next_step({}).id, "brs")  # type: ignore[union-attr]
        answers = {f"brs_{n}": 3 for n in range(1, 7)} | LOW_PHQ
        self.assertEqual(battery.next_step(answers).id, "gad7")  # type: ignore[union-attr]
        self.assertFalse(battery.is_asked("asq_1", answers))
        self.assertTrue(battery.is_asked("asq_1", answers | {"phq9_9": 1}))
        self.assertEqual(battery.next_step(answers | {"phq9_9": 1}).id, "asq")  # type: ignore[union-attr]

    def test_it_refuses_instruments_it_cannot_ask_alone(self) -> None:
        for wrong in ([], ["pcl5"], ["phq2"], ["asq"]):
            with self.assertRaises(ValueError, msg=wrong):
                focused(wrong)
        with self.assertRaises(actions.CheckUpError) as caught:
            actions.start_checkup(actor=None, context=[], country="US", instruments=["swls"])
        self.assertIn("swls", str(caught.exception))


class ReassessmentFlowTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.client = Client()
        self.client.force_login(self.alice)

    def start(self, instruments: list[str]) -> CheckUp:
        checkup, _ = actions.start_checkup(
            actor=self.alice, context=[], country="US", instruments=instruments
        )
        return checkup

    def test_a_low_phq2_still_gets_a_complete_phq9_score(self) -> None:
        checkup = self.start(["phq9"])
        page = self.client.get(f"/checkup/{checkup.public_id}/", follow=True)
        self.assertEqual(fieldsets(page.content), [f"phq9_{n}" for n in range(1, 11)])
        self.assertContains(page, "Part 1 of 1")
        response = self.client.post(step_url(checkup, "phq9"), {k: str(v) for k, v in LOW_PHQ.items()})
        self.assertRedirects(
            response, f"/checkup/{checkup.public_id}/results/", fetch_redirect_response=False
        )
        stored = {r.instrument_id: r for r in checkup.results.all()}
        self.assertEqual(list(stored), ["phq9"])
        self.assertTrue(stored["phq9"].complete)
        self.assertEqual(stored["phq9"].total, 1)

    def test_item9_above_0_leads_to_the_asq_and_raises_the_flag(self) -> None:
        checkup = self.start(["brs", "phq9"])
        self.client.post(step_url(checkup, "brs"), {f"brs_{n}": "3" for n in range(1, 7)})
        response = self.client.post(
            step_url(checkup, "phq9"), {k: str(v) for k, v in LOW_PHQ.items()} | {"phq9_9": "2"}
        )
        self.assertEqual(response["Location"], step_url(checkup, "asq"))
        self.assertEqual(SafetyEvent.objects.filter(checkup=checkup).count(), 1)
        page = self.client.get(response["Location"])
        self.assertEqual(fieldsets(page.content), ["asq_1", "asq_2", "asq_3", "asq_4"])
        self.assertContains(page, "Help is here, right now")

    def test_questions_outside_the_reassessment_are_refused(self) -> None:
        checkup = self.start(["brs"])
        with self.assertRaises(actions.CheckUpError):
            actions.save_answer(checkup, "swls_1", 3, actor=self.alice)
        with self.assertRaises(actions.CheckUpError):
            actions.save_answer(checkup, "asq_1", 1, actor=self.alice)

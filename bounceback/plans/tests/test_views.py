"""The evidence page and the mindfulness timer."""

from __future__ import annotations

from django.test import Client, TestCase

from bounceback.plans.content import EVIDENCE
from bounceback.plans.models import MindfulnessSession
from bounceback.test import make_user


class EvidencePageTest(TestCase):
    def test_it_lists_every_source_of_the_plan_and_the_questionnaires(self) -> None:
        response = self.client.get("/evidence/")
        for evidence in EVIDENCE.values():
            self.assertContains(response, f'id="{evidence.id}"')
            self.assertContains(response, evidence.url)
        self.assertContains(response, 'href="/instruments/phq9/"')


class PracticeTest(TestCase):
    def test_it_serves_the_timer_with_its_three_lengths(self) -> None:
        response = self.client.get("/practice/")
        for minutes in (5, 10, 20):
            self.assertContains(response, f'value="{minutes}"')
        self.assertContains(response, "Stop if this makes you feel worse")
        self.assertContains(response, 'src="/static/bounceback/practice.js"')

    def test_it_records_completed_minutes_for_a_member(self) -> None:
        alice = make_user("alice")
        client = Client()
        client.force_login(alice)
        response = client.post("/practice/done/", {"minutes": "10"})
        self.assertEqual(response.json(), {"recorded": True, "minutes": 10, "total_minutes": 10})
        client.post("/practice/done/", {"minutes": "5"})
        self.assertEqual(sum(MindfulnessSession.objects.values_list("minutes", flat=True)), 15)
        self.assertContains(client.get("/practice/"), '<span id="minutes-done">15</span>')

    def test_it_refuses_an_invalid_length_by_name(self) -> None:
        client = Client()
        client.force_login(make_user("alice"))
        response = client.post("/practice/done/", {"minutes": "7"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("minutes: 7 is not a timer length", response.json()["reason"])
        self.assertFalse(MindfulnessSession.objects.exists())

    def test_it_keeps_nothing_for_a_visitor(self) -> None:
        response = self.client.post("/practice/done/", {"minutes": "5"})
        self.assertEqual(response.json()["recorded"], False)
        self.assertFalse(MindfulnessSession.objects.exists())

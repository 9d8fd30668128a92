"""What a member is told on the crisis panel about who hears of their answer (issue 11): a member in care is
told that their clinic's clinicians are told now, and, unless the clinic is on call at all hours, that nobody
watches around the clock; a member not in care (and a visitor) that nobody reads their answers as they give them."""

from __future__ import annotations

from django.test import Client, TestCase

from bounceback.clinics.models import Clinic
from bounceback.test import make_clinic, make_clinician, make_user, member_checkup, start_care

HTMX = {"HX-Request": "true"}
IN_CARE = "Because you are in care with Riverside Counselling, the\n    clinicians there are told now"


class CrisisPanelHonestyTest(TestCase):
    def answer_item_9(self, member: object) -> str:
        checkup = member_checkup(member, {"phq9_1": 0, "phq9_2": 0})  # type: ignore[arg-type]
        client = Client()
        client.force_login(member)  # type: ignore[arg-type]
        response = client.post(
            f"/checkup/{checkup.public_id}/answer/", {"item": "phq9_9", "phq9_9": "2"}, headers=HTMX
        )
        self.assertContains(response, "Help is here, right now")
        self.assertContains(response, 'href="tel:988"')
        return response.content.decode()

    def test_a_member_in_care_is_told_who_hears_and_that_nobody_watches_around_the_clock(self) -> None:
        alice = make_user("alice")
        start_care(alice, make_clinician("bob", make_clinic()))
        page = self.answer_item_9(alice)
        self.assertIn(IN_CARE, page)
        self.assertIn("do not watch Bounceback\n    around the clock", page)
        self.assertNotIn("Nobody at Bounceback reads", page)

    def test_a_clinic_on_call_at_all_hours_says_so(self) -> None:
        alice = make_user("alice")
        clinic = make_clinic()
        Clinic.objects.filter(pk=clinic.pk).update(on_call_around_the_clock=True, acute_alert_minutes=30)
        start_care(alice, make_clinician("bob", clinic))
        page = self.answer_item_9(alice)
        self.assertIn("on call at all hours and should respond within about\n    30 minutes", page)

    def test_a_member_not_in_care_is_told_nobody_reads_the_answers(self) -> None:
        page = self.answer_item_9(make_user("carol"))
        self.assertIn("Nobody at Bounceback reads your answers as you give them", page)
        self.assertNotIn("Because you are in care", page)

"""The alert pages: who sees an alert (the member's clinicians there, on-call, administrators; everyone else the
same 404), acknowledging with an action, the follow-up, choosing who is on call."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from bounceback.alerts import actions
from bounceback.alerts.models import Alert, OnCall
from bounceback.audit.models import AuditEvent
from bounceback.test import (
    make_clinic,
    make_clinic_admin,
    make_clinician,
    make_user,
    member_checkup,
    start_care,
)


class AlertPagesTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.bob = make_clinician("bob", self.clinic)
        self.olive = make_clinician("olive", self.clinic)
        self.ada = make_clinic_admin("ada", self.clinic)
        self.charlie = make_clinician("charlie", self.clinic)  # same clinic, not Alice's clinician
        self.otto = make_clinician("otto", make_clinic("Elsewhere"))
        actions.set_on_call(None, self.clinic, self.olive)
        self.alice = make_user("alice")
        self.alice.first_name, self.alice.last_name = "Alice", "Example"
        self.alice.save()
        start_care(self.alice, self.bob)
        member_checkup(self.alice, {"phq9_9": 2})
        self.alert = Alert.objects.get()

    def client_for(self, user: object) -> Client:
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        return client

    def test_it_works(self) -> None:
        page = self.client_for(self.bob).get("/alerts/")
        self.assertContains(page, "Alice Example")
        self.assertContains(page, "PHQ-9 item 9")
        self.assertContains(page, "goes to the on-call clinician at")
        self.assertIsNone(Alert.objects.get().acknowledged_at)  # viewing is not acknowledging
        response = self.client_for(self.bob).post(
            f"/alerts/{self.alert.public_id}/acknowledge/", {"action": "contacted", "note": "Phoned her."}
        )
        self.assertRedirects(response, "/alerts/", fetch_redirect_response=False)
        alert = Alert.objects.get()
        self.assertEqual(
            (alert.action, alert.note, alert.acknowledged_by), ("contacted", "Phoned her.", self.bob)
        )
        self.client_for(self.bob).post(f"/alerts/{self.alert.public_id}/follow-up/")
        self.assertIsNotNone(Alert.objects.get().follow_up_done_at)
        verbs = set(
            AuditEvent.objects.filter(target_id=str(self.alert.public_id)).values_list("action", flat=True)
        )
        self.assertLessEqual({"alert.raise", "alert.notify", "alert.acknowledge", "alert.follow_up"}, verbs)
        self.assertFalse(AuditEvent.objects.filter(action__icontains="phoned").exists())

    def test_times_are_in_the_viewers_own_zone(self) -> None:
        self.bob.time_zone = "America/Los_Angeles"
        self.bob.save(update_fields=["time_zone"])
        raised = self.alert.raised_at.astimezone(ZoneInfo("America/Los_Angeles"))
        page = self.client_for(self.bob).get("/alerts/")
        self.assertContains(page, f"{raised:%H:%M}.")
        self.assertContains(page, "Times are in America/Los_Angeles")

    def test_on_call_and_administrators_see_it_too(self) -> None:
        for person in (self.olive, self.ada):
            self.assertContains(self.client_for(person).get("/alerts/"), "Alice Example")

    def test_it_checks_access(self) -> None:
        for person in (self.charlie, self.otto):
            client = self.client_for(person)
            missing = client.post(
                "/alerts/00000000-0000-4000-8000-000000000000/acknowledge/", {"action": "contacted"}
            )
            self.assertNotContains(client.get("/alerts/"), "Alice Example")
            response = client.post(f"/alerts/{self.alert.public_id}/acknowledge/", {"action": "contacted"})
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response.content, missing.content)
        for person in (self.alice, make_user("eve")):
            self.assertEqual(self.client_for(person).get("/alerts/").status_code, 404)
        self.assertIsNone(Alert.objects.get().acknowledged_at)

    def test_it_requires_login(self) -> None:
        response = Client().get("/alerts/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_acknowledging_without_an_action_says_so_and_keeps_it_open(self) -> None:
        client = self.client_for(self.bob)
        response = client.post(f"/alerts/{self.alert.public_id}/acknowledge/", {"note": "x"}, follow=True)
        self.assertContains(response, "Choose what you did.")
        self.assertIsNone(Alert.objects.get().acknowledged_at)

    def test_only_administrators_choose_who_is_on_call(self) -> None:
        self.assertEqual(self.client_for(self.bob).get("/alerts/on-call/").status_code, 404)
        admin = self.client_for(self.ada)
        self.assertContains(admin.get("/alerts/on-call/"), "olive@example.org")
        admin.post("/alerts/on-call/", {"person": str(self.charlie.public_id)})
        self.assertEqual(OnCall.objects.get(clinic=self.clinic).user, self.charlie)
        response = admin.post("/alerts/on-call/", {"person": str(self.otto.public_id)}, follow=True)
        self.assertContains(response, "Choose someone on the clinic&#x27;s staff.")


class AlertListQueriesTest(TestCase):
    def test_the_list_reads_the_same_number_of_queries_for_one_alert_as_for_five(self) -> None:
        clinic = make_clinic()
        bob = make_clinician("bob", clinic)
        members = [make_user(f"m{n}") for n in range(5)]
        for member in members:
            start_care(member, bob)
        client = Client()
        client.force_login(bob)
        member_checkup(members[0], {"phq9_9": 1})
        client.get("/alerts/")
        with CaptureQueriesContext(connection) as one:
            client.get("/alerts/")
        for member in members[1:]:
            member_checkup(member, {"phq9_9": 1})
        with CaptureQueriesContext(connection) as five:
            self.assertContains(client.get("/alerts/"), "PHQ-9 item 9", count=5)
        self.assertEqual(len(five), len(one))

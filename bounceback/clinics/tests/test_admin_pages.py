"""The clinic administrator's page: settings (the meeting address checked), staff activated and deactivated,
invitations created and withdrawn; another clinic's people, members and clinicians get the same 404."""

from __future__ import annotations

from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase, TransactionTestCase

from bounceback.accounts.models import User
from bounceback.audit.models import AuditEvent
from bounceback.clinics import access, actions
from bounceback.clinics.models import Clinic, Invitation, Staff
from bounceback.clinics.tests.helpers import asks_to_sign_in, signed_in
from bounceback.test import make_clinic, make_clinic_admin, make_clinician, make_user, race

SETTINGS = {
    "name": "Riverside Counselling",
    "time_zone": "America/Chicago",
    "country": "US",
    "phone": "+1 555 0101",
    "on_call_name": "Dr On Call",
    "on_call_phone": "+1 555 0100",
    "on_call_email": "oncall@example.org",
    "acute_alert_minutes": "30",
    "non_acute_alert_minutes": "1440",
    "on_call_around_the_clock": "on",
    "external_meeting_url": "https://meet.example.org/{room}",
}


class ClinicPageTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.admin = make_clinic_admin("ada", self.clinic)
        self.carl = make_clinician("carl", self.clinic)
        self.client = signed_in(self.admin)

    def test_it_works(self) -> None:
        response = self.client.get("/clinic/")
        self.assertContains(response, "Riverside Counselling")
        self.assertContains(response, "carl@example.org")
        self.assertContains(response, "Invite someone")
        self.assertContains(response, 'name="external_meeting_url"')

    def test_it_requires_login(self) -> None:
        for url in ("/clinic/", "/clinic/invitations/", f"/clinic/staff/{self.carl.public_id}/active/"):
            for method in ("get", "post"):
                response = getattr(Client(), method)(url)
                self.assertEqual(response.status_code, 302, url)
                self.assertTrue(asks_to_sign_in(response), url)
        self.assertTrue(Staff.objects.get(user=self.carl).active)

    def test_it_saves_the_settings(self) -> None:
        response = self.client.post("/clinic/", SETTINGS)
        self.assertRedirects(response, "/clinic/")
        self.clinic.refresh_from_db()
        self.assertEqual(self.clinic.time_zone, "America/Chicago")
        self.assertEqual(self.clinic.acute_alert_minutes, 30)
        self.assertTrue(self.clinic.on_call_around_the_clock)
        self.assertEqual(self.clinic.external_meeting_url, "https://meet.example.org/{room}")
        self.assertTrue(
            AuditEvent.objects.filter(action="clinic.update", target_id=str(self.clinic.public_id))
        )

    def test_the_meeting_address_must_be_https_with_room_once(self) -> None:
        for url, words in (
            ("http://meet.example.org/{room}", "https://"),
            ("https://meet.example.org/visit", "{room}"),
            ("https://meet.example.org/{room}/{room}", "{room}"),
            ("https://{room}.example.org/", "host"),
            ("https://meet.example.org/{other}", "{room}"),
            ("javascript:alert(1)//{room}", "https://"),
        ):
            response = self.client.post("/clinic/", {**SETTINGS, "external_meeting_url": url})
            self.assertContains(response, words, status_code=400, msg_prefix=url)
            self.assertContains(response, "External meeting address", status_code=400)
        self.clinic.refresh_from_db()
        self.assertEqual(self.clinic.external_meeting_url, "")
        self.assertEqual(
            self.client.post("/clinic/", {**SETTINGS, "external_meeting_url": ""}).status_code, 302
        )

    def test_other_bad_values_are_named(self) -> None:
        for field, value in (("time_zone", "Mars/Olympus"), ("country", "XX"), ("acute_alert_minutes", "0")):
            response = self.client.post("/clinic/", {**SETTINGS, field: value})
            self.assertEqual(response.status_code, 400, field)
            self.assertContains(response, f'href="#id_{field}"', status_code=400)

    def test_it_deactivates_and_activates_a_clinician(self) -> None:
        url = f"/clinic/staff/{self.carl.public_id}/active/"
        self.assertRedirects(self.client.post(url, {"active": "0"}), "/clinic/")
        self.assertFalse(Staff.objects.get(user=self.carl).active)
        self.assertFalse(access.is_active_clinician(self.carl))
        self.assertNotIn(self.carl, access.active_clinicians())
        carl = Client()
        carl.force_login(self.carl)
        self.assertEqual(carl.get("/clinician/profile/").status_code, 404)
        self.assertRedirects(self.client.post(url, {"active": "1"}), "/clinic/")
        self.assertTrue(access.is_active_clinician(self.carl))
        self.assertIn(self.carl, access.active_clinicians())
        actions_done = list(
            AuditEvent.objects.filter(
                target_id=str(self.carl.public_id), action__startswith="clinic."
            ).values_list("action", flat=True)
        )
        self.assertEqual(actions_done, ["clinic.staff.deactivate", "clinic.staff.activate"])

    def test_nobody_deactivates_themselves(self) -> None:
        response = self.client.post(
            f"/clinic/staff/{self.admin.public_id}/active/", {"active": "0"}, follow=True
        )
        self.assertContains(response, "cannot deactivate yourself")
        self.assertTrue(Staff.objects.get(user=self.admin).active)

    def test_a_bad_choice_changes_nothing(self) -> None:
        self.client.post(f"/clinic/staff/{self.carl.public_id}/active/", {"active": "maybe"})
        self.assertTrue(Staff.objects.get(user=self.carl).active)

    def test_it_invites_lists_and_withdraws(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/clinic/invitations/", {"email": "nadia@example.org", "role": "clinician"}
            )
        self.assertRedirects(response, "/clinic/")
        self.assertEqual(len(mail.outbox), 1)
        invitation = Invitation.objects.get(email="nadia@example.org")
        page = self.client.get("/clinic/")
        self.assertContains(page, "nadia@example.org")
        self.assertRedirects(
            self.client.post(f"/clinic/invitations/{invitation.public_id}/withdraw/"), "/clinic/"
        )
        invitation.refresh_from_db()
        self.assertIsNotNone(invitation.withdrawn_at)
        self.assertNotContains(self.client.get("/clinic/"), "nadia@example.org")

    def test_invitation_errors_are_named(self) -> None:
        response = self.client.post("/clinic/invitations/", {"email": "not an address", "role": "clinician"})
        self.assertContains(response, 'href="#id_email"', status_code=400)
        response = self.client.post("/clinic/invitations/", {"email": "x@example.org", "role": "owner"})
        self.assertContains(response, 'href="#id_role"', status_code=400)
        response = self.client.post(
            "/clinic/invitations/", {"email": "carl@example.org", "role": "clinician"}
        )
        self.assertContains(response, "already belongs", status_code=400)
        self.assertFalse(Invitation.objects.exists())


class ChecksAccessTest(TestCase):
    """A member, a clinician (of this or another clinic) and an administrator of another clinic get the same 404
    as a missing page on everything of this clinic."""

    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.admin = make_clinic_admin("ada", self.clinic)
        self.carl = make_clinician("carl", self.clinic)
        self.invitation, _token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        other = make_clinic("Hillside", "Europe/London", "GB")
        self.outsiders = [
            make_user("mia"),
            make_clinician("olivia", other, regions=("GB-ENG",)),
            make_clinic_admin("otto", other),
            self.carl,
        ]

    def test_checks_access(self) -> None:
        posts = {
            f"/clinic/staff/{self.carl.public_id}/active/": {"active": "0"},
            f"/clinic/invitations/{self.invitation.public_id}/withdraw/": {},
            "/clinic/": {"name": "Taken over", "time_zone": "UTC", "country": "US"},
            "/clinic/invitations/": {"email": "eve@example.org", "role": "admin"},
        }
        for outsider in self.outsiders:
            client = Client()
            client.force_login(outsider)
            # The same page as for a missing one (seen by the same person: the header shows their links).
            reference = client.post("/clinic/invitations/00000000-0000-0000-0000-000000000000/withdraw/")
            self.assertEqual(reference.status_code, 404)
            if outsider.role != "operator":
                self.assertEqual(client.get("/clinic/").content, reference.content, outsider)
            for url, data in posts.items():
                if outsider.role == "operator" and url in ("/clinic/", "/clinic/invitations/"):
                    continue  # their own clinic's page and form: nothing of this clinic is named
                response = client.post(url, data)
                self.assertEqual(response.status_code, 404, (outsider, url))
                self.assertEqual(response.content, reference.content, (outsider, url))
        self.assertTrue(Staff.objects.get(user=self.carl).active)
        self.invitation.refresh_from_db()
        self.assertIsNone(self.invitation.withdrawn_at)
        self.assertEqual(Clinic.objects.get(pk=self.clinic.pk).name, "Riverside Counselling")
        self.assertFalse(Invitation.objects.filter(email="eve@example.org", clinic=self.clinic).exists())

    def test_a_deactivated_admin_reaches_nothing(self) -> None:
        second = make_clinic_admin("bea", self.clinic)
        actions.set_staff_active(self.admin, Staff.objects.get(user=second), False)
        client = Client()
        client.force_login(second)
        self.assertEqual(client.get("/clinic/").status_code, 404)


class CreateClinicCommandTest(TestCase):
    def test_it_creates_a_clinic_and_prints_its_first_administrators_link(self) -> None:
        from io import StringIO

        out = StringIO()
        with self.captureOnCommitCallbacks(execute=True):
            call_command(
                "create-clinic",
                "--name=Lakeside",
                "--time-zone=America/Toronto",
                "--country=ca",
                "--admin-email=ada@lakeside.example",
                stdout=out,
            )
        clinic = Clinic.objects.get(name="Lakeside")
        self.assertEqual((clinic.country, clinic.time_zone), ("CA", "America/Toronto"))
        link = out.getvalue().strip().splitlines()[-1]
        self.assertRegex(link, r"^http://127\.0\.0\.1:8000/invite/[A-Za-z0-9_-]{43}/$")
        self.assertIn(link, mail.outbox[0].body)
        invitation = Invitation.objects.get(clinic=clinic)
        self.assertEqual((invitation.email, invitation.role), ("ada@lakeside.example", "admin"))
        token = link.rstrip("/").rsplit("/", 1)[1]
        user = actions.accept_invitation(
            token, first_name="Ada", last_name="Lake", password="quiet harbour lantern 58"
        )
        self.assertEqual(user.role, "operator")
        self.assertEqual(access.clinic_of_admin(User.objects.get(pk=user.pk)), clinic)

    def test_it_refuses_bad_values_and_makes_nothing(self) -> None:
        from django.core.management.base import CommandError

        with self.assertRaisesRegex(CommandError, "time-zone"):
            call_command(
                "create-clinic",
                "--name=X",
                "--time-zone=Nowhere",
                "--country=US",
                "--admin-email=a@example.org",
            )
        with self.assertRaisesRegex(CommandError, "email"):
            call_command(
                "create-clinic", "--name=X", "--time-zone=UTC", "--country=US", "--admin-email=not-an-address"
            )
        self.assertFalse(Clinic.objects.exists())


class SimultaneousDeactivationTest(TransactionTestCase):
    def test_two_administrators_deactivating_each_other_leave_one_active(self) -> None:
        clinic = make_clinic()
        ada, bea = make_clinic_admin("ada", clinic), make_clinic_admin("bea", clinic)
        staff = {u.pk: Staff.objects.get(user=u) for u in (ada, bea)}
        for _round in range(5):
            Staff.objects.filter(clinic=clinic).update(active=True)
            _results, errors = race(
                [
                    lambda: actions.set_staff_active(ada, staff[bea.pk], False),
                    lambda: actions.set_staff_active(bea, staff[ada.pk], False),
                ]
            )
            self.assertEqual(len(errors), 1, errors)
            self.assertIsInstance(errors[0], actions.ClinicError)
            self.assertEqual(Staff.objects.filter(clinic=clinic, active=True).count(), 1)

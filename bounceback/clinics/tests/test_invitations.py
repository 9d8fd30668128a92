"""Invitations: a one-time link that expires, only its SHA-256 stored, an email with the link and fixed words;
accepting makes one account (two racing accepts included), signs the person in and sends them to set up
two-factor sign-in, where they stay until they have; an existing account joins only after signing in as the
invited address."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
from bounceback.clinics import actions
from bounceback.clinics.models import ClinicianProfile, Invitation, Staff, StaffRole
from bounceback.test import enable_two_factor, make_clinic, make_clinic_admin, make_user, race

ACTIVATE = "/accounts/2fa/totp/activate/"
NEW_PASSWORD = "quiet harbour lantern 58"


def link_path(token: str) -> str:
    return f"/invite/{token}/"


def accept_post(token: str, client: Client | None = None, **extra: str) -> tuple[Client, Any]:
    client = client or Client()
    data = {
        "first_name": "Nadia",
        "last_name": "Okafor",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    return client, client.post(link_path(token), {**data, **extra})


class InvitationActionsTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.admin = make_clinic_admin("ada", self.clinic)

    def test_it_stores_only_the_tokens_digest_and_emails_the_link_with_fixed_words(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            invitation, token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        self.assertEqual(invitation.token_digest, hashlib.sha256(token.encode()).hexdigest())
        self.assertGreaterEqual(len(token), 43)
        self.assertFalse(Invitation.objects.filter(token_digest=token).exists())
        (message,) = mail.outbox
        self.assertEqual(message.to, ["nadia@example.org"])
        self.assertEqual(message.subject, "Your invitation to Bounceback")
        self.assertIn(f"/invite/{token}/", message.body)
        self.assertNotIn(self.clinic.name, message.body)
        self.assertNotIn("ada", message.body)
        audit = AuditEvent.objects.get(action="clinic.invitation.create")
        self.assertEqual(audit.target_id, str(invitation.public_id))

    def test_it_expires_after_the_configured_days(self) -> None:
        with override_settings(BOUNCEBACK_INVITATION_DAYS=3):
            invitation, _token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        self.assertAlmostEqual(
            invitation.expires_at - invitation.created_at, timedelta(days=3), delta=timedelta(seconds=1)
        )

    def test_a_new_invitation_to_the_same_address_withdraws_the_earlier_one(self) -> None:
        first, _ = actions.invite(self.admin, self.clinic, "nadia@example.org")
        second, _ = actions.invite(self.admin, self.clinic, "Nadia@example.org")
        first.refresh_from_db()
        self.assertIsNotNone(first.withdrawn_at)
        self.assertIsNone(second.withdrawn_at)

    def test_it_refuses_an_address_already_working_for_a_clinic(self) -> None:
        with self.assertRaises(actions.ClinicError) as caught:
            actions.invite(self.admin, self.clinic, self.admin.email)
        self.assertEqual(caught.exception.field, "email")

    def test_only_an_administrator_of_the_clinic_invites(self) -> None:
        other = make_clinic("Hillside")
        with self.assertRaises(actions.ClinicError):
            actions.invite(self.admin, other, "nadia@example.org")

    def test_accepting_makes_a_clinician_with_a_confirmed_address_staff_row_and_empty_profile(self) -> None:
        _invitation, token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        user = actions.accept_invitation(token, first_name="Nadia", last_name="Okafor", password=NEW_PASSWORD)
        self.assertEqual(user.role, Role.CLINICIAN)
        self.assertTrue(user.check_password(NEW_PASSWORD))
        self.assertTrue(
            EmailAddress.objects.filter(user=user, email="nadia@example.org", verified=True).exists()
        )
        staff = Staff.objects.get(user=user)
        self.assertEqual((staff.clinic, staff.role, staff.active), (self.clinic, StaffRole.CLINICIAN, True))
        profile = ClinicianProfile.objects.get(user=user)
        self.assertEqual((profile.display_name, profile.regions, profile.bio), ("Nadia Okafor", [], ""))
        self.assertEqual(profile.time_zone, self.clinic.time_zone)

    def test_accepting_an_admin_invitation_makes_an_operator_without_a_profile(self) -> None:
        _invitation, token = actions.invite(self.admin, self.clinic, "omar@example.org", StaffRole.ADMIN)
        user = actions.accept_invitation(token, first_name="Omar", last_name="Reyes", password=NEW_PASSWORD)
        self.assertEqual(user.role, Role.OPERATOR)
        self.assertFalse(ClinicianProfile.objects.filter(user=user).exists())

    @override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
    def test_the_password_is_hashed_with_argon2(self) -> None:
        _invitation, token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        user = actions.accept_invitation(token, first_name="Nadia", last_name="Okafor", password=NEW_PASSWORD)
        self.assertTrue(user.password.startswith("argon2$"))

    def test_a_weak_password_is_refused_by_the_validators_and_nothing_is_made(self) -> None:
        _invitation, token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        for weak in ("short", "1234567890123", "password123"):
            with self.assertRaises(actions.ClinicError) as caught:
                actions.accept_invitation(token, first_name="Nadia", last_name="Okafor", password=weak)
            self.assertEqual(caught.exception.field, "password1")
        self.assertFalse(User.objects.filter(email="nadia@example.org").exists())

    def test_a_link_works_once(self) -> None:
        _invitation, token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        actions.accept_invitation(token, first_name="Nadia", last_name="Okafor", password=NEW_PASSWORD)
        with self.assertRaisesRegex(actions.ClinicError, "already been used"):
            actions.accept_invitation(token, first_name="Eve", last_name="Else", password=NEW_PASSWORD)
        self.assertEqual(User.objects.filter(email="nadia@example.org").count(), 1)

    def test_withdrawn_expired_and_unknown_links_are_refused(self) -> None:
        invitation, token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        actions.withdraw_invitation(self.admin, invitation)
        with self.assertRaisesRegex(actions.ClinicError, "withdrawn"):
            actions.accept_invitation(token, first_name="N", last_name="O", password=NEW_PASSWORD)
        _invitation, token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        with (
            time_machine.travel(timezone.now() + timedelta(days=8)),
            self.assertRaisesRegex(actions.ClinicError, "expired"),
        ):
            actions.accept_invitation(token, first_name="N", last_name="O", password=NEW_PASSWORD)
        with self.assertRaisesRegex(actions.ClinicError, "does not work"):
            actions.accept_invitation("x" * 43, first_name="N", last_name="O", password=NEW_PASSWORD)


class InvitationPageTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.admin = make_clinic_admin("ada", self.clinic)
        self.invitation, self.token = actions.invite(self.admin, self.clinic, "nadia@example.org")

    def test_it_works(self) -> None:
        response = Client().get(link_path(self.token))
        self.assertContains(response, "Join Riverside Counselling")
        self.assertContains(response, "nadia@example.org")

    def test_accepting_signs_in_and_sends_straight_to_two_factor_set_up(self) -> None:
        client, response = accept_post(self.token)
        self.assertRedirects(response, ACTIVATE, fetch_redirect_response=False)
        user = User.objects.get(email="nadia@example.org")
        self.assertEqual(client.session["_auth_user_id"], str(user.pk))
        page = client.get(ACTIVATE)
        self.assertEqual(page.status_code, 200, "no second password prompt: it was typed just now")
        self.assertContains(page, "Authenticator")

    def test_before_enrolling_every_care_page_sends_them_to_enrolment_and_shows_no_member_data(self) -> None:
        client, _response = accept_post(self.token)
        for url in (
            "/clinician/profile/",
            "/clinician/availability/",
            "/clinic/",
            "/me/region/",
            "/me/",
            link_path(self.token),
        ):
            for method in (client.get, client.post):
                response = method(url)
                self.assertRedirects(response, ACTIVATE, fetch_redirect_response=False, msg_prefix=url)

    def test_an_admin_before_enrolling_is_held_too(self) -> None:
        _invitation, token = actions.invite(self.admin, self.clinic, "omar@example.org", StaffRole.ADMIN)
        client, response = accept_post(token)
        self.assertRedirects(response, ACTIVATE, fetch_redirect_response=False)
        self.assertRedirects(client.get("/clinic/"), ACTIVATE, fetch_redirect_response=False)

    def test_a_used_link_says_so_and_nothing_else(self) -> None:
        accept_post(self.token)
        response = Client().get(link_path(self.token))
        self.assertContains(response, "already been used", status_code=410)
        self.assertNotContains(response, "Riverside", status_code=410)
        self.assertNotContains(response, "nadia", status_code=410)
        _client, again = accept_post(self.token, first_name="Eve")
        self.assertEqual(again.status_code, 410)
        self.assertEqual(User.objects.filter(email="nadia@example.org").count(), 1)

    def test_withdrawn_expired_and_unknown_links_say_so_plainly(self) -> None:
        actions.withdraw_invitation(self.admin, self.invitation)
        self.assertContains(Client().get(link_path(self.token)), "withdrawn", status_code=410)
        _invitation, token = actions.invite(self.admin, self.clinic, "nadia@example.org")
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            response = Client().get(link_path(token))
        self.assertContains(response, "expired", status_code=410)
        self.assertNotContains(response, "Riverside", status_code=410)
        for junk in ("x" * 43, "short", "%3Cscript%3E"):
            self.assertContains(Client().get(f"/invite/{junk}/"), "does not work", status_code=404)

    def test_form_errors_are_named_and_nothing_is_made(self) -> None:
        _client, response = accept_post(self.token, password2="something else entirely 9", first_name="")
        self.assertContains(response, "The two passwords differ", status_code=400)
        self.assertContains(response, "First name", status_code=400)
        _client, response = accept_post(self.token, password1="password123", password2="password123")
        self.assertContains(response, "too common", status_code=400)
        self.assertFalse(User.objects.filter(email="nadia@example.org").exists())

    def test_an_existing_account_is_asked_to_sign_in_and_no_second_account_is_made(self) -> None:
        nadia = make_user("nadia")
        response = Client().get(link_path(self.token))
        self.assertContains(response, "already a Bounceback account")
        self.assertNotContains(response, "password1")
        _client, posted = accept_post(self.token)
        self.assertEqual(User.objects.filter(email__iexact="nadia@example.org").count(), 1)
        self.assertFalse(Staff.objects.filter(user=nadia).exists())
        self.assertEqual(posted.status_code, 200)
        # Signed in as that address, they accept for that account.
        client = Client()
        client.force_login(nadia)
        self.assertContains(client.get(link_path(self.token)), "Join Riverside Counselling")
        response = client.post(link_path(self.token))
        self.assertRedirects(response, ACTIVATE, fetch_redirect_response=False)
        nadia.refresh_from_db()
        self.assertEqual(nadia.role, Role.CLINICIAN)
        self.assertTrue(Staff.objects.filter(user=nadia, clinic=self.clinic).exists())
        self.assertTrue(ClinicianProfile.objects.filter(user=nadia).exists())

    def test_someone_signed_in_as_another_address_cannot_accept(self) -> None:
        mallory = make_user("mallory")
        client = Client()
        client.force_login(mallory)
        response = client.get(link_path(self.token))
        self.assertContains(response, "another email address", status_code=403)
        self.assertNotContains(response, "Riverside", status_code=403)
        self.assertEqual(client.post(link_path(self.token)).status_code, 403)
        mallory.refresh_from_db()
        self.assertEqual(mallory.role, Role.MEMBER)
        self.assertFalse(Staff.objects.filter(user=mallory).exists())

    def test_someone_already_working_for_a_clinic_cannot_join_a_second(self) -> None:
        other = make_clinic("Hillside")
        nadia = make_clinic_admin("nadia", other)
        Invitation.objects.filter(pk=self.invitation.pk).update(email=nadia.email)
        client = Client()
        client.force_login(nadia)
        response = client.post(link_path(self.token))
        self.assertContains(response, "already works for a clinic", status_code=409)
        self.assertEqual(Staff.objects.get(user=nadia).clinic, other)

    def test_after_enrolling_a_new_clinician_reaches_their_profile(self) -> None:
        client, _response = accept_post(self.token)
        enable_two_factor(User.objects.get(email="nadia@example.org"))
        self.assertEqual(client.get("/clinician/profile/").status_code, 200)


class ConcurrentAcceptTest(TransactionTestCase):
    def test_racing_accepts_of_one_link_make_one_account(self) -> None:
        clinic = make_clinic()
        admin = make_clinic_admin("ada", clinic)
        _invitation, token = actions.invite(admin, clinic, "nadia@example.org")
        jobs = [
            lambda n=n: actions.accept_invitation(
                token, first_name=f"Nadia{n}", last_name="Okafor", password=NEW_PASSWORD
            )
            for n in range(6)
        ]
        results, errors = race(jobs)
        self.assertEqual(len(results), 1, errors)
        self.assertEqual(len(errors), 5)
        self.assertTrue(all(isinstance(e, actions.ClinicError) for e in errors), errors)
        self.assertEqual(User.objects.filter(email__iexact="nadia@example.org").count(), 1)
        self.assertEqual(Staff.objects.filter(clinic=clinic, role=StaffRole.CLINICIAN).count(), 1)

    def test_racing_posts_of_the_page_make_one_account(self) -> None:
        clinic = make_clinic()
        admin = make_clinic_admin("ada", clinic)
        _invitation, token = actions.invite(admin, clinic, "nadia@example.org")
        results, errors = race([lambda: accept_post(token)[1].status_code for _ in range(4)])
        self.assertEqual(errors, [])
        self.assertEqual(sorted(results), [302, 410, 410, 410])
        self.assertEqual(User.objects.filter(email__iexact="nadia@example.org").count(), 1)

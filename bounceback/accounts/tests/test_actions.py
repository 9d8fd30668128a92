"""Writes to accounts go through accounts.actions, each with an audit entry naming the user by public id."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, TestCase

from bounceback.accounts.actions import AccountError, complete_onboarding, set_up_account
from bounceback.accounts.consent import CONSENT_VERSION
from bounceback.accounts.models import Role, User
from bounceback.accounts.tests.test_onboarding import SIGNUP
from bounceback.audit.models import AuditEvent
from bounceback.test import make_user


class OnboardingAuditTest(TestCase):
    def test_sign_up_writes_one_onboarding_entry_with_the_public_id_and_no_content(self) -> None:
        response = self.client.post("/accounts/signup/", SIGNUP)
        self.assertEqual(response.status_code, 302)
        user = User.objects.get(email=SIGNUP["email"])
        event = AuditEvent.objects.get(action="account.onboard")
        self.assertEqual(
            (event.actor_id, event.actor_kind, event.target_type, event.target_id),
            (user.pk, "member", "user", str(user.public_id)),
        )
        self.assertNotEqual(event.target_id, str(user.pk))
        stored = " ".join((event.actor_kind, event.action, event.target_type, event.target_id))
        for content in ("US", "America/Chicago", CONSENT_VERSION, SIGNUP["email"], "yes"):
            self.assertNotIn(content, stored)

    def test_onboarding_records_consent_adulthood_country_and_time_zone(self) -> None:
        alice = make_user("alice")
        complete_onboarding(alice, adult=True, consented=True, country="GB", time_zone="Europe/London")
        alice.refresh_from_db()
        self.assertEqual(
            (alice.country, alice.time_zone, alice.consent_version), ("GB", "Europe/London", CONSENT_VERSION)
        )
        self.assertIsNotNone(alice.adult_confirmed_at)
        self.assertEqual(alice.adult_confirmed_at, alice.consented_at)

    def test_onboarding_refuses_a_minor_no_consent_and_unknown_choices_and_writes_nothing(self) -> None:
        alice = make_user("alice")
        good = {"adult": True, "consented": True, "country": "US", "time_zone": "America/Chicago"}
        for bad, field in (
            ({"adult": False}, "adult"),
            ({"consented": False}, "consent"),
            ({"country": "XX"}, "country"),
            ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ):
            with pytest.raises(AccountError) as error:
                complete_onboarding(alice, **(good | bad))  # type: ignore[arg-type]
            self.assertEqual(error.value.field, field)
        alice.refresh_from_db()
        self.assertIsNone(alice.consented_at)
        self.assertFalse(AuditEvent.objects.exists())


class SetUpAccountTest(TestCase):
    def test_it_creates_then_resets_an_account_as_the_system(self) -> None:
        user, created = set_up_account(
            email="c@example.org",
            username="c",
            first_name="C",
            last_name="D",
            role=Role.CLINICIAN,
            password="one long passphrase",
        )
        self.assertTrue(created)
        again, created = set_up_account(
            email="c@example.org",
            username="c",
            first_name="C",
            last_name="E",
            role=Role.CLINICIAN,
            password="another passphrase",
        )
        self.assertFalse(created)
        self.assertEqual(again.pk, user.pk)
        again.refresh_from_db()
        self.assertEqual(again.last_name, "E")
        self.assertTrue(again.check_password("another passphrase"))
        self.assertEqual(
            list(AuditEvent.objects.order_by("pk").values_list("action", "actor_kind", "target_id")),
            [
                ("account.create", "system", str(user.public_id)),
                ("account.reset", "system", str(user.public_id)),
            ],
        )

    def test_an_operator_made_account_signs_in_without_a_confirmation_email(self) -> None:
        set_up_account(
            email="Carol@Example.org",
            username="carol",
            first_name="Carol",
            last_name="D",
            role=Role.MEMBER,
            password="one long passphrase",
        )
        client = Client()
        client.post("/accounts/login/", {"login": "carol@example.org", "password": "one long passphrase"})
        self.assertIn("_auth_user_id", client.session)
        self.assertEqual(len(mail.outbox), 0)

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from bounceback.accounts.models import Role, User
from bounceback.checkups.models import CheckUp
from bounceback.instruments.battery import score_battery


class SeedDemoTest(TestCase):
    def test_it_creates_a_member_and_a_clinician_who_can_sign_in(self) -> None:
        out = StringIO()
        call_command("seed_demo", stdout=out)
        member = User.objects.get(email="member@demo.bounceback.test")
        clinician = User.objects.get(email="clinician@demo.bounceback.test")
        self.assertEqual(member.role, Role.MEMBER)
        self.assertEqual(clinician.role, Role.CLINICIAN)
        self.assertIn("bounce-back-member", out.getvalue())
        response = self.client.post(
            "/accounts/login/", {"login": "member@demo.bounceback.test", "password": "bounce-back-member"}
        )
        self.assertRedirects(response, "/me/", fetch_redirect_response=False)
        self.assertEqual(self.client.session["_auth_user_id"], str(member.pk))

    def test_it_gives_the_demo_member_a_completed_check_up(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        checkup = CheckUp.objects.get(owner__email="member@demo.bounceback.test")
        self.assertTrue(checkup.is_complete)
        results = score_battery(checkup.answer_map())
        self.assertEqual(results["phq9"].band, "moderate")
        self.assertFalse(checkup.safety_events.exists())

    def test_it_is_idempotent(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(User.objects.count(), 2)
        self.assertEqual(CheckUp.objects.count(), 1)

    def test_it_gives_users_opaque_public_ids(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        ids = {str(u.public_id) for u in User.objects.all()}
        self.assertEqual(len(ids), 2)
        for public_id in ids:
            self.assertRegex(public_id, r"^[0-9a-f-]{36}$")

    @override_settings(PRODUCTION=True)
    def test_it_refuses_to_run_in_production(self) -> None:
        with pytest.raises(CommandError, match="never runs in production"):
            call_command("seed_demo", stdout=StringIO())
        self.assertEqual(User.objects.count(), 0)


class PasswordHashingTest(TestCase):
    def test_it_hashes_passwords_with_argon2_outside_tests(self) -> None:
        from bounceback import settings as project_settings

        # The test run swaps in a fast hasher; the configured default for every other environment is argon2.
        source = Path(project_settings.__file__).read_text()
        self.assertIn('"django.contrib.auth.hashers.Argon2PasswordHasher",\n    "django', source)
        from django.contrib.auth.hashers import Argon2PasswordHasher

        self.assertTrue(
            Argon2PasswordHasher().encode("a long passphrase", "somesaltvalue12").startswith("argon2$")
        )

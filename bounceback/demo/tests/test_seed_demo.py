"""The demo accounts and the demo member's completed check-up (make run)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from bounceback.accounts.consent import CONSENT_VERSION
from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
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

    def test_it_dates_the_demo_check_up_three_days_ago_through_the_checkup_actions(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        checkup = CheckUp.objects.get(owner__email="member@demo.bounceback.test")
        assert checkup.completed_at is not None
        self.assertAlmostEqual(
            timezone.now() - checkup.started_at, timedelta(days=3), delta=timedelta(minutes=1)
        )
        self.assertEqual(checkup.completed_at - checkup.started_at, timedelta(minutes=9))
        backdated = AuditEvent.objects.get(action="checkup.backdate")
        self.assertEqual((backdated.actor_kind, backdated.target_id), ("system", str(checkup.public_id)))

    def test_it_writes_the_accounts_through_the_accounts_actions_with_audit_entries(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        member = User.objects.get(email="member@demo.bounceback.test")
        self.assertEqual(member.consent_version, CONSENT_VERSION)
        self.assertEqual(
            list(
                AuditEvent.objects.filter(target_type="user", target_id=str(member.public_id))
                .order_by("pk")
                .values_list("action", "actor_kind")
            ),
            [("account.create", "system"), ("account.onboard", "member"), ("account.reset", "system")],
        )

    def test_running_it_again_writes_no_second_onboarding_in_the_members_name(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        member = User.objects.get(email="member@demo.bounceback.test")
        consented_at = member.consented_at
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(AuditEvent.objects.filter(action="account.onboard").count(), 2)  # member, clinician
        member.refresh_from_db()
        self.assertEqual(member.consented_at, consented_at)

    def test_it_confirms_the_demo_addresses_so_they_sign_in_without_the_email(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(
            sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
            [("clinician@demo.bounceback.test", True, True), ("member@demo.bounceback.test", True, True)],
        )
        self.assertEqual(len(mail.outbox), 0)

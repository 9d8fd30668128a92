"""The demo accounts and the demo member's history: six fortnightly check-ups and 90 days of check-ins (make run)."""

from __future__ import annotations

import itertools
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
from bounceback.checkups.models import CheckUp, StoredResult
from bounceback.instruments import reliable_change
from bounceback.instruments.battery import score_battery
from bounceback.tracking.actions import local_today
from bounceback.tracking.models import CheckIn


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

    def test_it_gives_the_demo_member_six_fortnightly_check_ups_with_a_reliable_improvement(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        checkups = list(
            CheckUp.objects.filter(owner__email="member@demo.bounceback.test").order_by("completed_at")
        )
        self.assertEqual(len(checkups), 6)
        self.assertTrue(all(c.is_complete and not c.safety_events.exists() for c in checkups))
        gaps = {(b.started_at - a.started_at) for a, b in itertools.pairwise(checkups)}
        self.assertEqual(gaps, {timedelta(days=14)})
        phq9 = [score_battery(c.answer_map())["phq9"] for c in checkups]
        self.assertEqual([r.total for r in phq9], [16, 15, 10, 9, 8, 7])
        self.assertEqual([r.band for r in phq9][::5], ["moderately_severe", "mild"])
        overall = reliable_change("phq9", 16, 7)
        self.assertEqual((overall.reliable, overall.direction), (True, "improved"))
        self.assertEqual(reliable_change("phq9", 15, 10).direction, "improved")  # between the 2nd and 3rd
        stored = StoredResult.objects.filter(checkup=checkups[-1], instrument_id="phq9").get()
        self.assertEqual((stored.total, stored.band), (7.0, "mild"))

    def test_it_gives_the_demo_member_90_days_of_check_ins_through_the_tracking_action(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        member = User.objects.get(email="member@demo.bounceback.test")
        days = sorted(CheckIn.objects.filter(owner=member).values_list("day", flat=True))
        today = local_today(member)
        self.assertGreaterEqual(len(days), 70)
        self.assertLessEqual(len(days), 90)
        self.assertGreaterEqual(days[0], today - timedelta(days=90))
        self.assertLess(days[-1], today)  # today is left for the member to fill in
        writes = AuditEvent.objects.filter(action="checkin.write", actor_kind="member").count()
        self.assertEqual(writes, len(days))

    def test_it_is_idempotent(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(User.objects.count(), 2)
        self.assertEqual(CheckUp.objects.count(), 6)
        checkins = CheckIn.objects.count()
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual((CheckUp.objects.count(), CheckIn.objects.count()), (6, checkins))

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

    def test_it_dates_the_latest_demo_check_up_three_days_ago_through_the_checkup_actions(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        checkup = CheckUp.objects.filter(owner__email="member@demo.bounceback.test").latest("completed_at")
        assert checkup.completed_at is not None
        self.assertAlmostEqual(
            timezone.now() - checkup.started_at, timedelta(days=3), delta=timedelta(minutes=1)
        )
        self.assertEqual(checkup.completed_at - checkup.started_at, timedelta(minutes=9))
        backdated = AuditEvent.objects.filter(action="checkup.backdate")
        self.assertEqual(backdated.count(), 6)
        self.assertEqual({e.actor_kind for e in backdated}, {"system"})
        self.assertIn(str(checkup.public_id), {e.target_id for e in backdated})

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

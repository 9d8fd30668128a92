"""The demo accounts and the demo member's history: six fortnightly check-ups and 90 days of check-ins (make run)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from bounceback.accounts.consent import CONSENT_VERSION
from bounceback.accounts.models import Role, User
from bounceback.alerts.models import Alert, OnCall
from bounceback.audit.models import AuditEvent
from bounceback.care.models import CareRelationship
from bounceback.checkups.models import CheckUp, StoredResult
from bounceback.clinics.models import Clinic, Staff
from bounceback.demo.care import DEMO_TOTP_SECRET
from bounceback.instruments import reliable_change
from bounceback.instruments.battery import score_battery
from bounceback.messaging.models import Message, Thread
from bounceback.tracking.actions import local_today
from bounceback.tracking.models import CheckIn
from bounceback.visits.models import Appointment


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
        self.assertEqual(User.objects.count(), 6)
        self.assertEqual(CheckUp.objects.count(), 7)  # the member's six, and the flagged member's one
        checkins = CheckIn.objects.count()
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual((CheckUp.objects.count(), CheckIn.objects.count()), (7, checkins))
        counts = [m.objects.count() for m in (Clinic, Staff, Thread, Message, Alert, CareRelationship)]
        self.assertEqual(counts, [1, 3, 1, 2, 1, 2])
        self.assertIn(
            Appointment.objects.count(), (1, 2)
        )  # the "now" visit unless it would run past midnight

    def test_it_gives_users_opaque_public_ids(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        ids = {str(u.public_id) for u in User.objects.all()}
        self.assertEqual(len(ids), 6)
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
            [
                ("account.create", "system"),
                ("account.onboard", "member"),
                ("account.region.write", "member"),
                ("account.reset", "system"),
            ],
        )

    def test_running_it_again_writes_no_second_onboarding_in_the_members_name(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        member = User.objects.get(email="member@demo.bounceback.test")
        consented_at = member.consented_at
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(AuditEvent.objects.filter(action="account.onboard").count(), 6)  # 3 members, 3 staff
        member.refresh_from_db()
        self.assertEqual(member.consented_at, consented_at)

    def test_it_confirms_the_demo_addresses_so_they_sign_in_without_the_email(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(
            sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
            sorted(
                (f"{name}@demo.bounceback.test", True, True)
                for name in ("admin", "clinician", "clinician2", "member", "member2", "member3")
            ),
        )
        self.assertEqual(len(mail.outbox), 0)


WEDNESDAY_AFTERNOON = datetime(2026, 12, 2, 19, 0, tzinfo=UTC)  # 14:00 in New York


class DemoClinicTest(TestCase):
    """The demo clinic of ``make run`` (issue 10): two clinicians with hours in two zones, an administrator, who
    is on call; the demo member in care with a booked video visit, shares and a message thread; a member not in
    care; a member whose recent answer raised an alert nobody has acknowledged."""

    @time_machine.travel(WEDNESDAY_AFTERNOON, tick=True)
    def test_it_seeds_a_clinic_where_the_journeys_can_be_tried(self) -> None:
        out = StringIO()
        call_command("seed_demo", stdout=out)
        maya = User.objects.get(email="clinician@demo.bounceback.test")
        jordan = User.objects.get(email="clinician2@demo.bounceback.test")
        admin = User.objects.get(email="admin@demo.bounceback.test")
        self.assertEqual(
            (maya.role, jordan.role, admin.role), (Role.CLINICIAN, Role.CLINICIAN, Role.OPERATOR)
        )
        self.assertEqual(jordan.clinician_profile.time_zone, "America/Los_Angeles")
        for person in (maya, jordan, admin):
            self.assertTrue(Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists())
        self.assertEqual(OnCall.objects.get(clinic=Clinic.objects.get()).user, jordan)
        member = User.objects.get(email="member@demo.bounceback.test")
        soon, visit = Appointment.objects.filter(member=member).order_by("starts_at")
        self.assertEqual((visit.clinician, visit.status), (maya, "booked"))
        # A visit whose video room is open now (from 10 minutes before its start), for the two-browser walk-through
        self.assertLessEqual(soon.starts_at - timezone.now(), timedelta(minutes=10))
        self.assertEqual(maya.clinician_profile.min_notice_hours, 12)  # the diary put back as it was
        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(Appointment.objects.filter(member=member).count(), 2)
        self.assertGreaterEqual(visit.starts_at, timezone.now() + timedelta(days=1))
        assert visit.share is not None
        self.assertEqual(visit.share.kinds(), ["results", "checkins", "safety_plan"])
        self.assertEqual(Thread.objects.get().relationship.member, member)
        self.assertEqual(Message.objects.count(), 2)
        self.assertFalse(
            CareRelationship.objects.filter(member__email="member2@demo.bounceback.test").exists()
        )
        alert = Alert.objects.get()
        self.assertEqual((alert.member.email, alert.acknowledged_at), ("member3@demo.bounceback.test", None))
        text = out.getvalue()
        for email in ("clinician@", "clinician2@", "admin@", "member2@", "member3@"):
            self.assertIn(email, text)
        self.assertIn(DEMO_TOTP_SECRET, text)

    def test_demo_code_prints_the_code_an_authenticator_app_shows(self) -> None:
        call_command("seed_demo", stdout=StringIO())
        out = StringIO()
        call_command("demo-code", "clinician@demo.bounceback.test", stdout=out)
        code = out.getvalue().strip()
        self.assertRegex(code, r"^[0-9]{6}$")
        self.assertTrue(validate_totp_code(DEMO_TOTP_SECRET, code))
        with pytest.raises(CommandError, match="Only demo accounts"):
            call_command("demo-code", "someone@example.org", stdout=StringIO())

    @override_settings(PRODUCTION=True)
    def test_demo_code_refuses_to_run_in_production(self) -> None:
        with pytest.raises(CommandError, match="never runs in production"):
            call_command("demo-code", "clinician@demo.bounceback.test", stdout=StringIO())

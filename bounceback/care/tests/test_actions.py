"""The care writes: agreeing to care (only a member, once, even at the same moment twice), sharing until the end
of the member's own day, stopping a share, ending care (hazards H13, H15)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test import TestCase, TransactionTestCase

from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
from bounceback.care import actions
from bounceback.care.models import CareRelationship, Kind, Share
from bounceback.clinics.models import Staff
from bounceback.test import make_clinic, make_clinic_admin, make_clinician, make_user, start_care

THREADS = 12


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


class AgreeToCareTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.bob = make_clinician("bob", self.clinic)
        self.alice = make_user("alice")

    def test_it_starts_care_once_and_returns_the_active_relationship_after(self) -> None:
        first = actions.agree_to_care(self.alice, self.bob)
        again = actions.agree_to_care(self.alice, self.bob)
        self.assertEqual(first, again)
        self.assertEqual((first.member, first.clinician, first.clinic), (self.alice, self.bob, self.clinic))
        self.assertEqual(audit_actions(), ["care.agree"])

    def test_it_starts_a_new_relationship_after_the_old_one_ended(self) -> None:
        first = actions.agree_to_care(self.alice, self.bob)
        actions.end_care(self.alice, first)
        second = actions.agree_to_care(self.alice, self.bob)
        self.assertNotEqual(first.pk, second.pk)
        self.assertEqual(CareRelationship.objects.active().get(), second)

    def test_it_refuses_anyone_but_an_active_member_to_start_care(self) -> None:
        for role in (Role.CLINICIAN, Role.OPERATOR, Role.RESEARCHER):
            with self.assertRaises(actions.CareError) as caught:
                actions.agree_to_care(make_user(f"someone-{role}", role=role), self.bob)
            self.assertEqual(caught.exception.field, "member")
        self.alice.is_active = False
        with self.assertRaises(actions.CareError):
            actions.agree_to_care(self.alice, self.bob)
        self.assertFalse(CareRelationship.objects.exists())

    def test_it_refuses_care_with_someone_who_cannot_give_it(self) -> None:
        no_staff = make_user("nostaff", role=Role.CLINICIAN)
        operator = make_clinic_admin("oscar", self.clinic)
        inactive_staff = make_clinician("carol", self.clinic)
        Staff.objects.filter(user=inactive_staff).update(active=False)
        inactive_account = make_clinician("dan", self.clinic)
        inactive_account.is_active = False
        for clinician in (no_staff, operator, inactive_staff, inactive_account, make_user("dave")):
            with self.assertRaises(actions.CareError) as caught:
                actions.agree_to_care(self.alice, clinician)
            self.assertEqual(caught.exception.field, "clinician")
        self.assertFalse(CareRelationship.objects.exists())


class AgreeToCareConcurrencyTest(TransactionTestCase):
    """Two tabs (here twelve threads) agree at the same moment: one relationship, on SQLite and PostgreSQL."""

    def test_it_makes_one_relationship_when_many_agree_at_once(self) -> None:
        clinic = make_clinic()
        bob = make_clinician("bob", clinic)
        alice = make_user("alice")
        barrier = threading.Barrier(THREADS)
        errors: list[BaseException] = []
        found: list[int] = []

        def agree() -> None:
            try:
                barrier.wait(timeout=30)
                found.append(actions.agree_to_care(alice, bob).pk)
            except BaseException as exc:  # collected and asserted on in the main thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=agree) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertEqual(CareRelationship.objects.count(), 1)
        self.assertEqual(set(found), {CareRelationship.objects.get().pk})
        self.assertEqual(len(found), THREADS)
        self.assertEqual(AuditEvent.objects.filter(action="care.agree").count(), 1)


class ShareWithTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.bob = make_clinician("bob", self.clinic)
        self.alice = make_user("alice")
        self.alice.time_zone = "Pacific/Auckland"
        self.alice.save(update_fields=["time_zone"])
        self.relationship = actions.agree_to_care(self.alice, self.bob)
        self.now = datetime(2027, 3, 1, 9, tzinfo=UTC)  # 22:00 on 1 March in Auckland

    def share(self, kinds: list[str], last_day: date) -> Share | None:
        return actions.share_with(self.alice, self.relationship, kinds, last_day, now=self.now)

    def test_it_shares_until_the_end_of_the_members_own_last_day(self) -> None:
        share = self.share([Kind.RESULTS, Kind.SAFETY_PLAN], date(2027, 3, 12))
        assert share is not None
        self.assertEqual(share.until, datetime(2027, 3, 13, tzinfo=ZoneInfo("Pacific/Auckland")))
        self.assertEqual(share.until, datetime(2027, 3, 12, 11, tzinfo=UTC))
        self.assertEqual(share.kinds(), [Kind.RESULTS, Kind.SAFETY_PLAN])
        self.assertEqual(audit_actions()[-1], "care.share")

    def test_it_counts_today_in_the_members_zone(self) -> None:
        """At 12:30 UTC on 1 March it is already 2 March in Auckland: 1 March is the member's yesterday."""
        self.now = datetime(2027, 3, 1, 12, 30, tzinfo=UTC)
        self.assertIsNotNone(self.share([Kind.RESULTS], date(2027, 3, 2)))
        with self.assertRaises(actions.CareError) as caught:
            self.share([Kind.RESULTS], date(2027, 3, 1))
        self.assertEqual(caught.exception.field, "until")

    def test_it_refuses_a_last_day_too_far_ahead(self) -> None:
        self.assertIsNotNone(self.share([Kind.RESULTS], date(2027, 3, 1) + timedelta(days=366)))
        for day in (date(2027, 3, 1) + timedelta(days=367), date(9999, 12, 31)):
            with self.assertRaises(actions.CareError):
                self.share([Kind.RESULTS], day)

    def test_it_refuses_kinds_it_does_not_know(self) -> None:
        with self.assertRaises(actions.CareError) as caught:
            self.share([Kind.RESULTS, "journal"], date(2027, 3, 12))
        self.assertEqual(caught.exception.field, "kinds")
        self.assertFalse(Share.objects.exists())

    def test_it_makes_no_share_of_nothing(self) -> None:
        self.assertIsNone(self.share([], date(2027, 3, 12)))
        self.assertFalse(Share.objects.exists())

    def test_it_refuses_an_ended_relationship_and_another_members(self) -> None:
        dave = make_user("dave")
        with self.assertRaises(actions.CareError):
            actions.share_with(dave, self.relationship, [Kind.RESULTS], date(2027, 3, 12), now=self.now)
        actions.end_care(self.alice, self.relationship)
        with self.assertRaises(actions.CareError):
            self.share([Kind.RESULTS], date(2027, 3, 12))
        self.assertFalse(Share.objects.exists())


class RevokeAndEndTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.bob = make_clinician("bob", self.clinic)
        self.alice = make_user("alice")
        self.relationship, self.share = start_care(self.alice, self.bob)

    def test_it_stops_a_share_at_once_and_once(self) -> None:
        with time_machine.travel(datetime(2026, 12, 2, 15, tzinfo=UTC), tick=False):
            self.assertTrue(actions.revoke_share(self.alice, self.share))
        self.assertFalse(actions.revoke_share(self.alice, self.share))
        self.share.refresh_from_db()
        self.assertEqual(self.share.revoked_at, datetime(2026, 12, 2, 15, tzinfo=UTC))
        self.assertFalse(Share.objects.live().exists())
        self.assertEqual(audit_actions(), ["care.share.revoke"])

    def test_it_lets_only_the_member_stop_their_share(self) -> None:
        for someone in (self.bob, make_user("dave")):
            with self.assertRaises(actions.CareError):
                actions.revoke_share(someone, self.share)
        self.assertTrue(Share.objects.live().exists())

    def test_it_ends_care_by_the_member_or_the_clinician_and_every_share_with_it(self) -> None:
        for who, by in ((self.alice, "member"), (self.bob, "clinician")):
            relationship, share = (
                start_care(make_user(f"m-{by}"), self.bob)
                if who is self.bob
                else (
                    self.relationship,
                    self.share,
                )
            )
            self.assertTrue(actions.end_care(who, relationship))
            self.assertFalse(actions.end_care(who, relationship))
            relationship.refresh_from_db()
            share.refresh_from_db()
            self.assertEqual(relationship.ended_by, by)
            self.assertIsNotNone(relationship.ended_at)
            self.assertEqual(share.revoked_at, relationship.ended_at)
        self.assertEqual(audit_actions(), ["care.end", "care.end"])

    def test_it_lets_nobody_else_end_care(self) -> None:
        carol = make_clinician("carol", self.clinic)
        for someone in (carol, make_user("dave"), make_clinic_admin("oscar", self.clinic)):
            with self.assertRaises(actions.CareError):
                actions.end_care(someone, self.relationship)
        self.assertTrue(CareRelationship.objects.active().exists())


class EndOfDayTest(TestCase):
    def test_it_finds_the_end_of_a_day_in_each_zone_across_daylight_saving_changes(self) -> None:
        person = User(time_zone="America/Los_Angeles")
        self.assertEqual(  # 13 March 2027 ends at midnight PDT (clocks went forward at 02:00 on 14 March)
            actions.end_of_day(person, date(2027, 3, 13)), datetime(2027, 3, 14, 8, tzinfo=UTC)
        )
        self.assertEqual(actions.end_of_day(person, date(2027, 3, 14)), datetime(2027, 3, 15, 7, tzinfo=UTC))
        person.time_zone = "Not/AZone"
        self.assertEqual(actions.end_of_day(person, date(2027, 3, 14)), datetime(2027, 3, 15, tzinfo=UTC))

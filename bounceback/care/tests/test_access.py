"""Who may read a member's data through care: only an active clinician with a live share of that kind, checked
on every read and logged for the member; everyone else gets the same 404 as a missing member (hazards H13, H15,
test T15)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import TestCase
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
from bounceback.care import access, actions
from bounceback.care.models import ClinicianRead, Kind, Share
from bounceback.clinics.models import Staff
from bounceback.safetyplan import actions as safetyplan
from bounceback.safetyplan.steps import WARNING_SIGNS
from bounceback.test import (
    CALM_ANSWERS,
    make_clinic,
    make_clinic_admin,
    make_clinician,
    make_user,
    member_checkup,
    start_care,
)
from bounceback.tracking.actions import local_today, save_checkin

KINDS = tuple(Kind.values)


def refused(reader: object, member_id: object, what: str) -> str:
    """The 404's message, or "" when the read was allowed."""
    try:
        access.member_for_clinician(reader, member_id, what)  # type: ignore[arg-type]
    except Http404 as exc:
        return str(exc)
    return ""


class MemberForClinicianTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.bob = make_clinician("bob", self.clinic)
        self.alice = make_user("alice")
        self.relationship, self.share = start_care(self.alice, self.bob)
        self.missing = str(uuid.uuid4())

    def test_it_lets_a_clinician_with_a_live_share_read_each_kind(self) -> None:
        for kind in KINDS:
            self.assertEqual(
                access.member_for_clinician(self.bob, str(self.alice.public_id), kind), self.alice
            )

    def test_it_records_every_read_for_the_member_and_in_the_audit_trail_without_content(self) -> None:
        for kind in KINDS:
            access.member_for_clinician(self.bob, self.alice.public_id, kind)
        reads = list(
            ClinicianRead.objects.order_by("pk").values_list("member", "clinician", "clinician_name", "what")
        )
        self.assertEqual(reads, [(self.alice.pk, self.bob.pk, "Bob Example", k) for k in KINDS])
        audit = list(
            AuditEvent.objects.filter(action__startswith="care.read.")
            .order_by("pk")
            .values_list("actor_id", "actor_kind", "action", "target_type", "target_id")
        )
        self.assertEqual(
            audit,
            [(self.bob.pk, "clinician", f"care.read.{k}", "user", str(self.alice.public_id)) for k in KINDS],
        )

    def refusals(self) -> dict[str, Callable[[], object]]:
        """Each way a read is refused: (set-up, then the reader)."""
        clinic2 = make_clinic("Hillside Therapy")
        carol = make_clinician("carol", clinic2)
        dave = make_user("dave")
        oscar = make_clinic_admin("oscar", self.clinic)

        def no_share() -> User:
            Share.objects.all().delete()
            return self.bob

        def expired() -> User:
            Share.objects.update(until=timezone.now() - timedelta(seconds=1))
            return self.bob

        def revoked() -> User:
            actions.revoke_share(self.alice, self.share)
            return self.bob

        def ended() -> User:
            actions.end_care(self.alice, self.relationship)
            return self.bob

        def staff_inactive() -> User:
            Staff.objects.filter(user=self.bob).update(active=False)
            return self.bob

        def account_inactive() -> User:
            User.objects.filter(pk=self.bob.pk).update(is_active=False)
            self.bob.refresh_from_db()
            return self.bob

        return {
            "without a share": no_share,
            "with an expired share": expired,
            "with a revoked share": revoked,
            "after care ended": ended,
            "with a deactivated place in the clinic": staff_inactive,
            "with an inactive account": account_inactive,
            "another clinic's clinician": lambda: carol,
            "another member": lambda: dave,
            "the member herself": lambda: self.alice,
            "a clinic administrator": lambda: oscar,
            "anyone not signed in": AnonymousUser,
        }

    def test_it_refuses_everyone_else_exactly_like_a_missing_member(self) -> None:
        for name, reader_after in self.refusals().items():
            with self.subTest(name):
                sid = self.savepoint()
                reader = reader_after()
                for kind in KINDS:
                    self.assertEqual(
                        refused(reader, self.alice.public_id, kind), access.NOT_FOUND, (name, kind)
                    )
                self.assertEqual(refused(reader, self.missing, Kind.RESULTS), access.NOT_FOUND)
                self.assertEqual(ClinicianRead.objects.count(), 0, name)
                self.rollback(sid)

    def test_it_shows_that_a_member_is_in_care_only_to_their_active_clinician(self) -> None:
        """ "profile" (the member's name, that they are in care) needs an active relationship, not a share."""
        share_only = {"without a share", "with an expired share", "with a revoked share"}
        for name, reader_after in self.refusals().items():
            with self.subTest(name):
                sid = self.savepoint()
                reader = reader_after()
                expected = "" if name in share_only else access.NOT_FOUND
                self.assertEqual(refused(reader, self.alice.public_id, access.PROFILE), expected, name)
                self.rollback(sid)

    def savepoint(self) -> str:
        from django.db import transaction

        return transaction.savepoint()

    def rollback(self, sid: str) -> None:
        from django.db import transaction

        transaction.savepoint_rollback(sid)
        for user in (self.alice, self.bob):
            user.refresh_from_db()
        self.share.refresh_from_db()
        self.relationship.refresh_from_db()

    def test_it_refuses_a_kind_the_share_does_not_cover(self) -> None:
        Share.objects.update(checkins=False, safety_plan=False)
        self.assertEqual(refused(self.bob, self.alice.public_id, Kind.RESULTS), "")
        self.assertEqual(refused(self.bob, self.alice.public_id, Kind.CHECKINS), access.NOT_FOUND)
        self.assertEqual(refused(self.bob, self.alice.public_id, Kind.SAFETY_PLAN), access.NOT_FOUND)
        self.assertEqual(refused(self.bob, self.alice.public_id, "journal"), access.NOT_FOUND)

    def test_it_refuses_ids_that_are_not_ids(self) -> None:
        for value in ("not-an-id", "9" * 4301, "\x00", "", str(self.alice.pk), "<script>"):
            self.assertEqual(refused(self.bob, value, Kind.RESULTS), access.NOT_FOUND, value[:20])

    def test_it_audits_each_refusal_with_ids_only(self) -> None:
        refused(self.bob, self.missing, Kind.RESULTS)
        refused(make_user("dave"), self.alice.public_id, Kind.RESULTS)
        denied = list(AuditEvent.objects.filter(action=access.DENIED).values_list("target_type", "target_id"))
        self.assertEqual(denied, [("user", self.missing), ("user", str(self.alice.public_id))])

    def test_it_takes_a_revocation_into_account_on_the_very_next_read(self) -> None:
        self.assertEqual(refused(self.bob, self.alice.public_id, Kind.RESULTS), "")
        actions.revoke_share(self.alice, self.share)
        self.assertEqual(refused(self.bob, self.alice.public_id, Kind.RESULTS), access.NOT_FOUND)

    def test_it_keeps_access_through_another_live_share(self) -> None:
        Share.objects.create(
            relationship=self.relationship, checkins=True, until=timezone.now() + timedelta(days=3)
        )
        actions.revoke_share(self.alice, self.share)
        self.assertEqual(refused(self.bob, self.alice.public_id, Kind.CHECKINS), "")
        self.assertEqual(refused(self.bob, self.alice.public_id, Kind.RESULTS), access.NOT_FOUND)


class ShareEndInTheMembersZoneTest(TestCase):
    """A share "until 12 March" covers all of 12 March where the member lives, and nothing of 13 March."""

    def test_it_ends_a_share_at_the_end_of_the_last_day_in_the_members_zone(self) -> None:
        clinic = make_clinic()
        bob = make_clinician("bob", clinic)
        for zone in ("Pacific/Auckland", "America/Los_Angeles"):
            with self.subTest(zone):
                member = make_user(zone.split("/")[1].lower())
                member.time_zone = zone
                member.save(update_fields=["time_zone"])
                local = ZoneInfo(zone)
                with time_machine.travel(datetime(2027, 3, 1, 12, tzinfo=local), tick=False):
                    relationship = actions.agree_to_care(member, bob)
                    actions.share_with(member, relationship, [Kind.RESULTS], date(2027, 3, 12))
                for moment, allowed in (
                    (datetime(2027, 3, 12, 0, 1, tzinfo=local), True),
                    (datetime(2027, 3, 12, 23, 30, tzinfo=local), True),
                    (datetime(2027, 3, 12, 23, 59, 59, tzinfo=local), True),
                    (datetime(2027, 3, 13, 0, 0, tzinfo=local), False),
                    (datetime(2027, 3, 13, 0, 30, tzinfo=local), False),
                    (datetime(2027, 3, 13, 21, 0, tzinfo=local), False),
                ):
                    with time_machine.travel(moment, tick=False):
                        said = refused(bob, member.public_id, Kind.RESULTS)
                        self.assertEqual(said, "" if allowed else access.NOT_FOUND, (zone, moment))
                        self.assertEqual(
                            access.members_of_clinician(bob)[-1].kinds, [Kind.RESULTS] if allowed else []
                        )

    def test_it_names_the_last_day_in_the_members_zone(self) -> None:
        member = make_user("kiri")
        member.time_zone = "Pacific/Auckland"
        share = Share(
            until=datetime(2027, 3, 12, 11, 0, tzinfo=UTC)
        )  # midnight starting 13 March in Auckland
        self.assertEqual(access.last_day(share, member), date(2027, 3, 12))


class SharedDataTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.bob = make_clinician("bob", self.clinic)
        self.alice = make_user("alice")
        member_checkup(self.alice, CALM_ANSWERS)
        from bounceback.checkups import actions as checkups

        checkups.complete_if_done(member_checkup(self.alice, CALM_ANSWERS), actor=self.alice)
        save_checkin(self.alice, local_today(self.alice), {"mood": 6})
        safetyplan.save_plan(self.alice, additions=[safetyplan.Addition(WARNING_SIGNS, "Not sleeping")])

    def test_it_reads_only_what_is_shared_and_logs_each_kind(self) -> None:
        start_care(self.alice, self.bob, kinds=("results",))
        data = access.shared_data_for_clinician(self.bob, self.alice.public_id)
        self.assertEqual((data.kinds, data.shown), ([Kind.RESULTS], [Kind.RESULTS]))
        self.assertTrue(data.records)
        self.assertEqual(data.days, [], "check-ins are not shared: not read")
        self.assertIsNone(data.plan, "the safety plan is not shared: not read")
        self.assertEqual(list(ClinicianRead.objects.values_list("what", flat=True)), [Kind.RESULTS])

    def test_it_reads_everything_shared(self) -> None:
        start_care(self.alice, self.bob)
        data = access.shared_data_for_clinician(self.bob, self.alice.public_id)
        self.assertEqual(data.kinds, list(KINDS))
        self.assertTrue(data.records and data.days)
        assert data.plan is not None
        self.assertEqual([e.text for e in data.plan[WARNING_SIGNS]], ["Not sleeping"])
        self.assertEqual(sorted(ClinicianRead.objects.values_list("what", flat=True)), sorted(KINDS))

    def test_it_reads_one_kind_when_asked(self) -> None:
        start_care(self.alice, self.bob)
        data = access.shared_data_for_clinician(self.bob, self.alice.public_id, only=Kind.SAFETY_PLAN)
        self.assertEqual((data.shown, data.records, data.days), ([Kind.SAFETY_PLAN], [], []))
        self.assertEqual(list(ClinicianRead.objects.values_list("what", flat=True)), [Kind.SAFETY_PLAN])

    def test_it_refuses_when_nothing_or_not_that_is_shared(self) -> None:
        _relationship, share = start_care(self.alice, self.bob, kinds=("checkins",))
        with self.assertRaises(Http404):
            access.shared_data_for_clinician(self.bob, self.alice.public_id, only=Kind.RESULTS)
        actions.revoke_share(self.alice, share)
        with self.assertRaises(Http404):
            access.shared_data_for_clinician(self.bob, self.alice.public_id)
        self.assertEqual(ClinicianRead.objects.count(), 0)
        self.assertEqual(access.members_of_clinician(self.bob)[0].kinds, [])


class ListsTest(TestCase):
    def test_it_lists_a_clinicians_active_members_with_what_they_share(self) -> None:
        clinic = make_clinic()
        bob = make_clinician("bob", clinic)
        alice, dave, erin = make_user("alice"), make_user("dave"), make_user("erin")
        start_care(alice, bob, kinds=("results",))
        start_care(dave, bob, kinds=())
        ended, _share = start_care(erin, bob)
        actions.end_care(erin, ended)
        rows = access.members_of_clinician(bob)
        self.assertEqual([(r.member, r.kinds) for r in rows], [(alice, [Kind.RESULTS]), (dave, [])])
        self.assertIsNone(rows[1].until)
        self.assertEqual(access.members_of_clinician(make_user("mallory", role=Role.CLINICIAN)), [])
        self.assertEqual(access.members_of_clinician(alice), [])

    def test_it_lists_a_members_own_care_active_first(self) -> None:
        clinic = make_clinic()
        bob, carol = make_clinician("bob", clinic), make_clinician("carol", clinic)
        alice = make_user("alice")
        first, _ = start_care(alice, bob)
        actions.end_care(alice, first)
        start_care(alice, carol, kinds=("checkins",))
        rows = access.care_of_member(alice)
        self.assertEqual(
            [(r.clinician_name, r.kinds) for r in rows],
            [("Carol Example", ["checkins"]), ("Bob Example", [])],
        )
        self.assertEqual(access.care_of_member(make_user("dave")), [])
        self.assertEqual(access.care_of_member(AnonymousUser()), [])  # type: ignore[arg-type]

    def test_it_finds_a_share_only_in_its_own_relationship_of_the_member(self) -> None:
        clinic = make_clinic()
        bob, carol = make_clinician("bob", clinic), make_clinician("carol", clinic)
        alice = make_user("alice")
        with_bob, bobs_share = start_care(alice, bob)
        with_carol, _ = start_care(alice, carol)
        self.assertEqual(access.share_of_relationship(alice, with_bob, bobs_share.public_id), bobs_share)
        with self.assertRaises(Http404):
            access.share_of_relationship(alice, with_carol, bobs_share.public_id)
        with self.assertRaises(Http404):
            access.share_of_relationship(make_user("dave"), with_bob, bobs_share.public_id)

    def test_it_pages_the_members_access_log_newest_first(self) -> None:
        clinic = make_clinic()
        bob = make_clinician("bob", clinic)
        alice = make_user("alice")
        start_care(alice, bob)
        for _ in range(access.READS_PER_PAGE + 3):
            access.member_for_clinician(bob, alice.public_id, Kind.RESULTS)
        first = access.reads_page(alice, "1")
        self.assertEqual(
            (first.paginator.count, len(first), first.has_next()),
            (access.READS_PER_PAGE + 3, access.READS_PER_PAGE, True),
        )
        self.assertEqual(len(access.reads_page(alice, "2")), 3)
        self.assertEqual(access.reads_page(alice, "9" * 4301).number, 1)
        self.assertEqual(access.reads_page(make_user("dave"), 1).paginator.count, 0)

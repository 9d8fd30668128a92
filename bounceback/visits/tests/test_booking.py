"""Booking, cancelling and moving a visit through the actions: checks, care and sharing, audit, notices to both
people with no health data (hazard H22, test T22)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.audit.models import AuditEvent
from bounceback.care.models import CareRelationship, Share
from bounceback.clinics.availability import Slot
from bounceback.clinics.models import ClinicianProfile, TimeOff
from bounceback.reminders.models import Outbox
from bounceback.reminders.notices import notice_of, still_wanted
from bounceback.test import make_clinic, make_clinician, make_user
from bounceback.visits import access, actions, notify
from bounceback.visits.models import Appointment, Status

REASON = "Panic at night since the move"
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2027, 3, 3, 12, tzinfo=UTC)
"""A Wednesday: the clinician's first free time (Thursday 09:00 in New York) is more than a day away, and the
28-day horizon crosses the change to summer time in New York (14 March) and London (28 March)."""


def people() -> tuple[User, User, ClinicianProfile]:
    clinic = make_clinic()
    clinician = make_clinician("casey", clinic)
    member = make_user("alice")
    member.region = "US-NY"
    member.time_zone = "Europe/London"
    member.save(update_fields=["region", "time_zone"])
    return member, clinician, ClinicianProfile.objects.get(user=clinician)


def free(profile: ClinicianProfile) -> list[Slot]:
    found = access.free_slots(profile)
    assert len(found) > 6
    return found


def book(member: User, clinician: User, slot: Slot, **kwargs: object) -> Appointment:
    values: dict[str, object] = {"reason": REASON, "agree": True} | kwargs
    return actions.book_visit(member, clinician, slot.starts_at, **values)  # type: ignore[arg-type]


@time_machine.travel(NOW, tick=False)
class BookTest(TestCase):
    def setUp(self) -> None:
        self.member, self.clinician, self.profile = people()

    def test_it_books_an_offered_slot_starting_care_and_sharing(self) -> None:
        slot = free(self.profile)[0]
        last_day = slot.starts_at.date() + timedelta(days=14)
        with self.captureOnCommitCallbacks(execute=True):
            visit = book(self.member, self.clinician, slot, share_kinds=["results"], share_last_day=last_day)
        visit.refresh_from_db()
        assert (visit.starts_at, visit.ends_at, visit.status) == (slot.starts_at, slot.ends_at, Status.BOOKED)
        assert visit.reason == REASON
        relationship = CareRelationship.objects.get(member=self.member, clinician=self.clinician)
        assert visit.relationship == relationship
        assert visit.share is not None and visit.share.kinds() == ["results"]
        assert slot not in access.free_slots(self.profile), "a booked slot is no longer offered"
        actions_done = list(AuditEvent.objects.values_list("action", "target_id"))
        assert ("visit.book", str(visit.public_id)) in actions_done
        assert ("care.agree", str(relationship.public_id)) in actions_done
        assert not AuditEvent.objects.filter(target_id__icontains="panic").exists()

    def test_a_first_visit_needs_the_members_agreement_and_nothing_is_kept_without_it(self) -> None:
        slot = free(self.profile)[0]
        with pytest.raises(actions.BookingError) as refused:
            book(
                self.member,
                self.clinician,
                slot,
                agree=False,
                share_kinds=["results"],
                share_last_day=date(2099, 1, 1),
            )
        assert refused.value.field == "agree"
        assert not CareRelationship.objects.exists() and not Share.objects.exists()
        assert not Appointment.objects.exists()

    def test_a_second_visit_needs_no_new_agreement(self) -> None:
        first, second = free(self.profile)[:2]
        book(self.member, self.clinician, first)
        book(self.member, self.clinician, second, agree=False)
        assert CareRelationship.objects.count() == 1
        assert Appointment.objects.booked().count() == 2

    def test_it_refuses_a_time_not_offered(self) -> None:
        slot = free(self.profile)[0]
        for start, message in (
            (slot.starts_at + timedelta(minutes=5), actions.NOT_OFFERED),
            (timezone.now() + timedelta(hours=1), actions.NOT_OFFERED),  # inside the notice period
            (slot.starts_at + timedelta(days=60), actions.NOT_OFFERED),  # past the horizon
        ):
            with pytest.raises(actions.BookingError) as refused:
                actions.book_visit(self.member, self.clinician, start, agree=True)
            assert (refused.value.field, str(refused.value)) == ("start", message)
        book(self.member, self.clinician, slot)
        other = make_user("bob")
        other.region = "US-NY"
        other.save(update_fields=["region"])
        with pytest.raises(actions.BookingError) as refused:
            book(other, self.clinician, slot)
        assert str(refused.value) == actions.TAKEN

    def test_leave_blocks_booking(self) -> None:
        slot = free(self.profile)[0]
        day = slot.starts_at.astimezone(NEW_YORK).date()
        TimeOff.objects.create(clinician=self.clinician, first_day=day, last_day=day)
        with pytest.raises(actions.BookingError):
            book(self.member, self.clinician, slot)
        assert all(s.starts_at.astimezone(NEW_YORK).date() != day for s in access.free_slots(self.profile))

    def test_only_a_member_licensed_where_they_live_may_book_an_active_clinician(self) -> None:
        slot = free(self.profile)[0]
        self.member.region = "US-CA"
        self.member.save(update_fields=["region"])
        with pytest.raises(actions.BookingError) as refused:
            book(self.member, self.clinician, slot)
        assert refused.value.field == "clinician"
        self.member.region = "US-NY"
        self.member.save(update_fields=["region"])
        self.clinician.staff.active = False
        self.clinician.staff.save()
        with pytest.raises(actions.BookingError):
            book(self.member, self.clinician, slot)
        with pytest.raises(actions.BookingError):
            book(self.clinician, self.clinician, slot)

    def test_the_reason_is_at_most_a_thousand_characters_and_encrypted(self) -> None:
        slot = free(self.profile)[0]
        with pytest.raises(actions.BookingError) as refused:
            book(self.member, self.clinician, slot, reason="x" * 1001)
        assert refused.value.field == "reason"
        visit = book(self.member, self.clinician, slot, reason="y" * 1000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT reason FROM visits_appointment WHERE id = %s", [visit.pk])
            stored = cursor.fetchone()[0]
        assert "yyyy" not in stored


@time_machine.travel(NOW, tick=False)
class NoticeTest(TestCase):
    def setUp(self) -> None:
        self.member, self.clinician, self.profile = people()

    def outbox(self) -> list[tuple[str, int, str]]:
        return sorted(
            (row.item, row.member_id, row.status) for row in Outbox.objects.filter(channel="in_app")
        )

    def test_both_are_told_of_a_booking_and_reminded_a_day_and_an_hour_before(self) -> None:
        slot = free(self.profile)[-1]
        with self.captureOnCommitCallbacks(execute=True):
            visit = book(self.member, self.clinician, slot)
        kinds = {row.item for row in Outbox.objects.all()}
        assert kinds == {"visit.booked", "visit.tomorrow", "visit.soon"}
        for kind, before in (("visit.tomorrow", timedelta(hours=24)), ("visit.soon", timedelta(hours=1))):
            rows = Outbox.objects.filter(item=kind, channel="in_app")
            assert {r.member_id for r in rows} == {self.member.pk, self.clinician.pk}
            assert {r.send_at for r in rows} == {visit.starts_at - before}
            assert {r.ref for r in rows} == {str(visit.public_id)}
        for kind in kinds:
            words = notice_of(kind)
            assert words is not None
            text = f"{words.subject} {words.body} {words.path}".lower()
            for secret in ("panic", "lcsw", "casey", "example", str(visit.public_id)):
                assert secret not in text, (kind, secret)
        assert notify.TOMORROW.subject == "You have a Bounceback visit tomorrow"

    def test_cancelling_tells_both_and_withdraws_the_reminders(self) -> None:
        slot = free(self.profile)[-1]
        with self.captureOnCommitCallbacks(execute=True):
            visit = book(self.member, self.clinician, slot)
        reminder = Outbox.objects.filter(item="visit.soon").first()
        assert reminder is not None and still_wanted(reminder)
        with self.captureOnCommitCallbacks(execute=True):
            assert actions.cancel_visit(self.member, visit)
        cancelled = Outbox.objects.filter(item="visit.cancelled", channel="in_app")
        assert {r.member_id for r in cancelled} == {self.member.pk, self.clinician.pk}
        assert not Outbox.objects.filter(item__in=["visit.soon", "visit.tomorrow"], status="pending").exists()
        reminder.refresh_from_db()
        assert not still_wanted(reminder), "checked again at send time"
        visit.refresh_from_db()
        assert (visit.status, visit.cancelled_by, visit.sequence) == (Status.CANCELLED, "member", 1)
        assert AuditEvent.objects.filter(action="visit.cancel", target_id=str(visit.public_id)).count() == 1
        assert not actions.cancel_visit(self.member, visit), "twice is harmless"

    def test_moving_tells_both_and_moves_the_reminders(self) -> None:
        slots = free(self.profile)
        with self.captureOnCommitCallbacks(execute=True):
            visit = book(self.member, self.clinician, slots[0])
        with self.captureOnCommitCallbacks(execute=True):
            moved = actions.reschedule_visit(self.member, visit, slots[5].starts_at)
        told = Outbox.objects.filter(item="visit.moved", channel="in_app")
        assert {(r.member_id, r.ref) for r in told} == {
            (self.member.pk, str(moved.public_id)),
            (self.clinician.pk, str(moved.public_id)),
        }
        pending = Outbox.objects.filter(item__in=["visit.soon", "visit.tomorrow"], status="pending")
        assert {r.ref for r in pending} == {str(moved.public_id)}
        assert {r.send_at for r in pending.filter(item="visit.soon")} == {
            moved.starts_at - timedelta(hours=1)
        }


@time_machine.travel(NOW, tick=False)
class CancelAndMoveTest(TestCase):
    def setUp(self) -> None:
        self.member, self.clinician, self.profile = people()
        self.slots = free(self.profile)
        self.visit = book(self.member, self.clinician, self.slots[0])

    def test_a_member_cancels_up_to_the_cutoff_and_the_clinician_at_any_time(self) -> None:
        late = self.visit.starts_at - timedelta(hours=self.profile.cancel_cutoff_hours) + timedelta(minutes=1)
        with pytest.raises(actions.BookingError) as refused:
            actions.cancel_visit(self.member, self.visit, now=late)
        assert "24 hours" in str(refused.value)
        assert actions.cancel_visit(
            self.clinician, self.visit, now=self.visit.starts_at - timedelta(minutes=5)
        )
        self.visit.refresh_from_db()
        assert self.visit.cancelled_by == "clinician"
        assert self.slots[0] in access.free_slots(self.profile), "a cancelled visit frees its time"

    def test_nobody_else_cancels(self) -> None:
        stranger = make_user("mallory")
        with pytest.raises(actions.BookingError):
            actions.cancel_visit(stranger, self.visit)
        self.clinician.staff.active = False
        self.clinician.staff.save()
        with pytest.raises(actions.BookingError):
            actions.cancel_visit(self.clinician, self.visit)

    def test_moving_cancels_and_books_in_one_step_linked(self) -> None:
        new = self.slots[3]
        moved = actions.reschedule_visit(self.member, self.visit, new.starts_at)
        self.visit.refresh_from_db()
        assert self.visit.status == Status.CANCELLED and self.visit.rescheduled_to == moved
        assert self.visit.sequence == 1
        assert (moved.starts_at, moved.status, moved.reason) == (new.starts_at, Status.BOOKED, REASON)
        assert moved.relationship_id == self.visit.relationship_id
        assert AuditEvent.objects.filter(
            action="visit.reschedule", target_id=str(self.visit.public_id)
        ).exists()

    def test_a_move_to_a_taken_time_leaves_the_visit_as_it_was(self) -> None:
        other = make_user("bob")
        other.region = "US-NY"
        other.save(update_fields=["region"])
        book(other, self.clinician, self.slots[2])
        with pytest.raises(actions.BookingError) as refused:
            actions.reschedule_visit(self.member, self.visit, self.slots[2].starts_at)
        assert str(refused.value) == actions.TAKEN
        self.visit.refresh_from_db()
        assert self.visit.status == Status.BOOKED and self.visit.rescheduled_to is None
        assert Appointment.objects.filter(member=self.member).count() == 1

    def test_a_move_next_to_the_old_time_is_allowed_and_after_the_cutoff_is_not(self) -> None:
        moved = actions.reschedule_visit(self.member, self.visit, self.slots[1].starts_at)
        late = moved.starts_at - timedelta(hours=2)
        with pytest.raises(actions.BookingError):
            actions.reschedule_visit(self.member, moved, self.slots[4].starts_at, now=late)
        moved.refresh_from_db()
        assert moved.status == Status.BOOKED

"""Twenty members racing for one slot get one booking and nineteen clear "just taken" answers, on SQLite and on
PostgreSQL (hazard H22, test T22). The database, not the availability check, is what holds under the race: a
variant fools the check (as after a clinician changed their hours while members were booking) and races
overlapping starts into the exclusion constraint (PostgreSQL) or trigger (SQLite).
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import TransactionTestCase

from bounceback.accounts.models import User
from bounceback.care.models import CareRelationship, Share
from bounceback.clinics.availability import Slot
from bounceback.clinics.models import ClinicianProfile
from bounceback.test import make_clinic, make_clinician, make_user, start_care
from bounceback.visits import access, actions
from bounceback.visits.models import Appointment, Status

THREADS = 20


def member(name: str) -> User:
    user = make_user(name)
    user.region = "US-NY"
    user.save(update_fields=["region"])
    return user


class RaceTest(TransactionTestCase):
    def setUp(self) -> None:
        self.clinician = make_clinician("casey", make_clinic())
        self.profile = ClinicianProfile.objects.get(user=self.clinician)
        self.members = [member(f"member{n}") for n in range(THREADS)]
        self.slot = access.free_slots(self.profile)[0]

    def race(self, starts: list[datetime]) -> tuple[list[Appointment], list[str], list[BaseException]]:
        booked: list[Appointment] = []
        refused: list[str] = []
        unexpected: list[BaseException] = []
        barrier = threading.Barrier(len(starts))
        last_day = self.slot.starts_at.date() + timedelta(days=14)

        def attempt(who: User, start: datetime) -> None:
            try:
                barrier.wait(timeout=30)
                booked.append(
                    actions.book_visit(
                        who,
                        self.clinician,
                        start,
                        reason="private words",
                        share_kinds=["results"],
                        share_last_day=last_day,
                        agree=True,
                    )
                )
            except actions.BookingError as exc:
                refused.append(f"{exc.field}: {exc}")
            except BaseException as exc:  # asserted on in the main thread
                unexpected.append(exc)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=attempt, args=job) for job in zip(self.members, starts, strict=True)
        ]
        clashes: list[int] = []
        real_insert = actions._insert

        def insert(*args: Any) -> Appointment:
            try:
                return real_insert(*args)
            except IntegrityError:
                clashes.append(1)
                raise

        began = time.perf_counter()
        with mock.patch.object(actions, "_insert", insert):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        elapsed = time.perf_counter() - began
        # The figures for the report (pytest -s).
        print(
            f"\n{connection.vendor}: {len(starts)} threads, {len(booked)} booked, {len(refused)} refused "
            f"({len(clashes)} by the database, the rest by the availability check), "
            f"{len(unexpected)} unexpected, {elapsed:.2f} s"
        )
        return booked, refused, unexpected

    def assert_one_winner(
        self, booked: list[Appointment], refused: list[str], unexpected: list[BaseException]
    ) -> None:
        assert unexpected == []
        assert len(booked) == 1
        assert refused == [f"start: {actions.TAKEN}"] * (THREADS - 1)
        assert Appointment.objects.filter(status=Status.BOOKED).count() == 1
        # A loser keeps nothing of the attempt: no care relationship, no share.
        assert CareRelationship.objects.count() == 1
        assert Share.objects.count() == 1
        winner = booked[0]
        assert CareRelationship.objects.get().member_id == winner.member_id

    def test_twenty_members_race_for_one_slot_and_one_gets_it(self) -> None:
        self.assert_one_winner(*self.race([self.slot.starts_at] * THREADS))

    def test_overlapping_starts_are_refused_by_the_database_when_the_check_is_fooled(self) -> None:
        """Each thread asks for a different start two minutes apart (all within one 50-minute visit), and the
        availability check says yes to all: only the exclusion constraint or trigger stands between them."""
        starts = [self.slot.starts_at + timedelta(minutes=2 * n) for n in range(THREADS)]

        def anything(rules: Any, now: datetime, start: datetime, booked: Any = ()) -> Slot:
            return Slot(start, start + timedelta(minutes=50))

        with mock.patch.object(actions, "offered", anything):
            self.assert_one_winner(*self.race(starts))


class DatabaseRefusesOverlapTest(TransactionTestCase):
    """Bypassing the actions: the database itself refuses a clash, on either engine."""

    def setUp(self) -> None:
        self.clinician = make_clinician("casey", make_clinic())
        self.relationship, _share = start_care(member("alice"), self.clinician)
        self.start = datetime.fromisoformat("2027-05-03T14:00:00+00:00")

    def insert(self, start: datetime, minutes: int = 50, status: str = Status.BOOKED) -> Appointment:
        with transaction.atomic():
            return Appointment.objects.create(
                relationship=self.relationship,
                member=self.relationship.member,
                clinician=self.clinician,
                starts_at=start,
                ends_at=start + timedelta(minutes=minutes),
                status=status,
            )

    def test_it_refuses_the_same_start_and_any_overlap_and_allows_touching_visits(self) -> None:
        self.insert(self.start)
        for start, minutes in (
            (self.start, 50),
            (self.start + timedelta(minutes=49), 30),
            (self.start - timedelta(minutes=10), 11),
            (self.start + timedelta(minutes=10), 5),
        ):
            with pytest.raises(IntegrityError):
                self.insert(start, minutes)
        self.insert(self.start + timedelta(minutes=50))  # starts as the first ends
        self.insert(self.start - timedelta(minutes=50))  # ends as the first starts
        self.insert(
            self.start + timedelta(minutes=10), status=Status.CANCELLED
        )  # a cancelled one holds no time
        assert Appointment.objects.filter(status=Status.BOOKED).count() == 3

    def test_it_refuses_rebooking_a_cancelled_visit_that_now_overlaps(self) -> None:
        self.insert(self.start)
        cancelled = self.insert(self.start + timedelta(minutes=20), status=Status.CANCELLED)
        with pytest.raises(IntegrityError), transaction.atomic():
            Appointment.objects.filter(pk=cancelled.pk).update(status=Status.BOOKED)
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE visits_appointment SET status = 'booked' WHERE id = %s", [cancelled.pk])

    def test_another_clinicians_visit_at_the_same_time_is_fine(self) -> None:
        self.insert(self.start)
        other = make_clinician("drew", make_clinic("Hillside"))
        relationship, _share = start_care(member("bob"), other)
        Appointment.objects.create(
            relationship=relationship,
            member=relationship.member,
            clinician=other,
            starts_at=self.start,
            ends_at=self.start + timedelta(minutes=50),
        )
        assert Appointment.objects.count() == 2

"""Check-in writes: one per member per local day, the back-fill window, time zones, validation naming the
question, audit entries without content, and the mindfulness timer filling in its minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import TestCase

from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
from bounceback.plans.actions import record_practice
from bounceback.plans.models import MindfulnessSession
from bounceback.test import make_user
from bounceback.tracking.actions import (
    CheckInError,
    add_practice_minutes,
    fillable_days,
    local_today,
    save_checkin,
)
from bounceback.tracking.models import CheckIn
from bounceback.tracking.questions import QUESTIONS

NOON = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
JOURNAL = "Argued with my sister; walked it off by the river."


def member(name: str, time_zone: str = "UTC") -> User:
    user = make_user(name)
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    return user


@time_machine.travel(NOON, tick=False)
class SaveCheckInTest(TestCase):
    def test_it_keeps_one_check_in_per_member_per_day(self) -> None:
        alice = member("alice")
        first = save_checkin(alice, date(2026, 6, 3), {"mood": 6})
        second = save_checkin(alice, date(2026, 6, 3), {"sleep_hours": Decimal("7.5"), "connected": True})
        assert first is not None and second is not None
        self.assertEqual(first.pk, second.pk)
        checkin = CheckIn.objects.get()
        self.assertEqual((checkin.mood, checkin.sleep_hours, checkin.connected), (6, Decimal("7.5"), True))
        save_checkin(member("bob"), date(2026, 6, 3), {"mood": 3})
        save_checkin(alice, date(2026, 6, 2), {"mood": 4})
        self.assertEqual(CheckIn.objects.count(), 3)

    def test_the_database_refuses_a_second_check_in_for_the_same_day(self) -> None:
        alice = member("alice")
        save_checkin(alice, date(2026, 6, 3), {"mood": 6})
        with pytest.raises(IntegrityError), transaction.atomic():
            CheckIn.objects.create(owner=alice, day=date(2026, 6, 3), mood=2)

    def test_the_database_refuses_a_check_in_with_no_answer(self) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            CheckIn.objects.create(owner=member("alice"), day=date(2026, 6, 3))

    def test_nothing_answered_means_no_check_in_and_clearing_the_last_answer_removes_it(self) -> None:
        alice = member("alice")
        self.assertIsNone(save_checkin(alice, date(2026, 6, 3), {"mood": None, "note": ""}))
        self.assertFalse(CheckIn.objects.exists())
        checkin = save_checkin(alice, date(2026, 6, 3), {"mood": 5, "note": JOURNAL})
        assert checkin is not None
        save_checkin(alice, date(2026, 6, 3), {"mood": None})
        self.assertTrue(CheckIn.objects.exists())
        self.assertIsNone(save_checkin(alice, date(2026, 6, 3), {"note": ""}))
        self.assertFalse(CheckIn.objects.exists())
        self.assertEqual(
            list(AuditEvent.objects.values_list("action", flat=True)),
            ["checkin.write", "checkin.write", "checkin.delete"],
        )

    def test_it_back_fills_up_to_seven_days_never_older_never_future(self) -> None:
        alice = member("alice")
        self.assertEqual(fillable_days(alice)[-1], date(2026, 5, 27))
        for day in (date(2026, 6, 3), date(2026, 6, 2), date(2026, 5, 27)):
            self.assertIsNotNone(save_checkin(alice, day, {"mood": 5}), day)
        with pytest.raises(CheckInError, match="26 May 2026 is more than 7 days ago") as old:
            save_checkin(alice, date(2026, 5, 26), {"mood": 5})
        self.assertEqual(old.value.name, "day")
        with pytest.raises(CheckInError, match="4 June 2026 has not come yet") as future:
            save_checkin(alice, date(2026, 6, 4), {"mood": 5})
        self.assertEqual(future.value.name, "day")
        self.assertEqual(CheckIn.objects.count(), 3)

    def test_it_refuses_every_out_of_range_or_mistyped_value_naming_the_question(self) -> None:
        alice = member("alice")
        bad: dict[str, list[object]] = {
            "mood": [-1, 11, 5.0, "5", True],
            "sleep_hours": [Decimal("-0.5"), Decimal("24.5"), Decimal("7.25"), 7.5, "7", True],
            "sleep_quality": [0, 6, "3"],
            "exercise_minutes": [-1, 1441, 30.0, "30"],
            "mindfulness_minutes": [-1, 1441, False],
            "connected": [1, "yes", 0],
            "note": ["x" * 2001, 42],
            "weight": [70],
        }
        for name, values in bad.items():
            for value in values:
                with pytest.raises(CheckInError) as refused:
                    save_checkin(alice, date(2026, 6, 3), {name: value})
                self.assertEqual(refused.value.name, name, (name, value))
                if name in {q.name for q in QUESTIONS}:
                    label = next(q.label for q in QUESTIONS if q.name == name).rstrip("?")
                    self.assertIn(label, str(refused.value))
        self.assertFalse(CheckIn.objects.exists())
        self.assertFalse(AuditEvent.objects.exists())

    def test_it_accepts_whole_and_half_hours_of_sleep(self) -> None:
        alice = member("alice")
        for hours in (Decimal(0), Decimal("0.5"), Decimal("7.5"), 8, Decimal(24)):
            checkin = save_checkin(alice, date(2026, 6, 3), {"sleep_hours": hours})
            assert checkin is not None
            checkin.refresh_from_db()
            self.assertEqual(checkin.sleep_hours, Decimal(hours))

    def test_it_audits_each_write_by_public_id_with_a_neutral_verb_and_no_content(self) -> None:
        alice = member("alice")
        checkin = save_checkin(alice, date(2026, 6, 3), {"mood": 1, "note": JOURNAL})
        assert checkin is not None
        save_checkin(alice, date(2026, 6, 3), {"mood": 1})  # unchanged: nothing written
        event = AuditEvent.objects.get()
        self.assertEqual(
            (event.actor_id, event.action, event.target_type, event.target_id),
            (alice.pk, "checkin.write", "checkin", str(checkin.public_id)),
        )
        row = " ".join(str(v) for v in AuditEvent.objects.values().get().values())
        self.assertNotIn("river", row)
        self.assertNotIn(str(checkin.pk), event.target_id.split("-"))

    def test_only_members_keep_check_ins(self) -> None:
        for role in (Role.CLINICIAN, Role.OPERATOR, Role.RESEARCHER):
            with pytest.raises(CheckInError, match="Only members"):
                save_checkin(make_user(f"staff-{role}", role=role), date(2026, 6, 3), {"mood": 5})
        self.assertFalse(CheckIn.objects.exists())


class TimeZoneTest(TestCase):
    def test_the_same_instant_is_a_different_local_date_in_sydney_and_los_angeles(self) -> None:
        sydney = member("sydney", "Australia/Sydney")
        los_angeles = member("la", "America/Los_Angeles")
        # 06:30 on the 4th in Sydney, 13:30 on the 3rd in Los Angeles
        instant = datetime(2026, 6, 3, 20, 30, tzinfo=UTC)
        self.assertEqual(local_today(sydney, instant), date(2026, 6, 4))
        self.assertEqual(local_today(los_angeles, instant), date(2026, 6, 3))
        with time_machine.travel(instant, tick=False):
            save_checkin(sydney, date(2026, 6, 4), {"mood": 7})
            save_checkin(los_angeles, date(2026, 6, 3), {"mood": 7})
            with pytest.raises(CheckInError, match="4 June 2026 has not come yet"):
                save_checkin(los_angeles, date(2026, 6, 4), {"mood": 7})
            with pytest.raises(CheckInError, match="27 May 2026 is more than 7 days ago"):
                save_checkin(sydney, date(2026, 5, 27), {"mood": 7})
            save_checkin(los_angeles, date(2026, 5, 27), {"mood": 7})  # still in LA's window
        self.assertEqual(
            sorted(CheckIn.objects.values_list("owner__username", "day")),
            [("la", date(2026, 5, 27)), ("la", date(2026, 6, 3)), ("sydney", date(2026, 6, 4))],
        )

    def test_an_unknown_time_zone_counts_as_utc(self) -> None:
        user = member("odd", "Mars/Olympus_Mons")
        self.assertEqual(local_today(user, datetime(2026, 6, 3, 23, 59, tzinfo=UTC)), date(2026, 6, 3))


class PracticeTimerTest(TestCase):
    def test_the_timer_adds_its_minutes_to_that_days_check_in(self) -> None:
        alice = member("alice", "Australia/Sydney")
        with time_machine.travel(datetime(2026, 6, 3, 20, 30, tzinfo=UTC), tick=False):  # the 4th in Sydney
            record_practice(alice, 10)
            checkin = CheckIn.objects.get(owner=alice)
            self.assertEqual((checkin.day, checkin.mindfulness_minutes), (date(2026, 6, 4), 10))
            save_checkin(alice, date(2026, 6, 4), {"mood": 6})
            record_practice(alice, 5)
        checkin.refresh_from_db()
        self.assertEqual((checkin.mindfulness_minutes, checkin.mood), (15, 6))
        self.assertEqual(
            sorted(AuditEvent.objects.values_list("action", flat=True)),
            ["checkin.write"] * 3 + ["practice.create"] * 2,
        )

    def test_the_minutes_stop_at_a_whole_day(self) -> None:
        alice = member("alice")
        with time_machine.travel(NOON, tick=False):
            save_checkin(alice, date(2026, 6, 3), {"mindfulness_minutes": 1435})
            add_practice_minutes(alice, 20, NOON)
        self.assertEqual(CheckIn.objects.get().mindfulness_minutes, 1440)

    def test_a_clinicians_practice_makes_no_check_in(self) -> None:
        record_practice(make_user("doc", role=Role.CLINICIAN), 5)
        self.assertFalse(CheckIn.objects.exists())

    def test_a_failed_check_in_write_rolls_back_the_practice_session_too(self) -> None:
        """One transaction: the session and the check-in minutes commit together or not at all."""
        alice = member("alice")
        with (
            mock.patch("bounceback.tracking.actions.record", side_effect=RuntimeError("refused")),
            pytest.raises(RuntimeError, match="refused"),
        ):
            record_practice(alice, 5)
        self.assertFalse(MindfulnessSession.objects.exists())
        self.assertFalse(CheckIn.objects.exists())

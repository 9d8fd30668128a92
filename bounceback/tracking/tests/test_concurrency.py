"""Answers saved at the same moment (several autosaves, the timer, another tab) end in one check-in per day
with every answer kept (hazard H16), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from bounceback.test import make_user
from bounceback.tracking.actions import add_practice_minutes, local_today, save_checkin
from bounceback.tracking.models import CheckIn

ANSWERS: list[dict[str, object]] = [
    {"mood": 6},
    {"sleep_quality": 3},
    {"exercise_minutes": 20},
    {"connected": True},
    {"note": "written at the same moment"},
]


class SimultaneousFirstAnswersTest(TransactionTestCase):
    def test_the_first_answers_of_a_day_racing_make_one_check_in_and_lose_nothing(self) -> None:
        alice = make_user("alice")
        today: date = local_today(alice)
        errors: list[BaseException] = []
        jobs = len(ANSWERS) + 3
        barrier = threading.Barrier(jobs)

        def run(work: object) -> None:
            try:
                barrier.wait(timeout=30)
                if isinstance(work, dict):
                    save_checkin(alice, today, work)
                else:
                    add_practice_minutes(alice, 5, timezone.now())
            except BaseException as exc:  # collected and asserted on in the main thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(a,)) for a in [*ANSWERS, None, None, None]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        checkin = CheckIn.objects.get()
        self.assertEqual(
            checkin.answers(),
            {
                "mood": 6,
                "sleep_quality": 3,
                "exercise_minutes": 20,
                "mindfulness_minutes": 15,
                "connected": True,
                "note": "written at the same moment",
            },
        )

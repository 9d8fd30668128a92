"""Double submits and concurrent tabs never duplicate or lose an answer (hazard H16, test T16)."""

from __future__ import annotations

import threading

from django.db import connection
from django.test import TransactionTestCase

from bounceback.accounts.models import User
from bounceback.checkups import actions
from bounceback.checkups.models import Answer
from bounceback.safety.models import SafetyEvent
from bounceback.test import make_user, member_checkup

THREADS = 20
PCL5_OFFERED = {"pcptsd5_exposure": 1} | {f"pcptsd5_{n}": 1 for n in range(1, 6)}
"""A positive PC-PTSD-5, so the PCL-5's twenty questions are on the path and may be saved."""


class ConcurrentSubmitTest(TransactionTestCase):
    def run_in_threads(self, work: list[tuple[str, int]]) -> list[BaseException]:
        alice = make_user("alice")
        self.checkup = member_checkup(alice, PCL5_OFFERED)
        errors: list[BaseException] = []
        barrier = threading.Barrier(len(work))

        def submit(item_id: str, value: int) -> None:
            try:
                barrier.wait(timeout=30)
                actions.save_answer(self.checkup, item_id, value, actor=alice)
            except BaseException as exc:  # collected and asserted on in the main thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=submit, args=job) for job in work]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return errors

    def test_it_keeps_one_row_for_twenty_simultaneous_duplicate_submits(self) -> None:
        errors = self.run_in_threads([("phq9_9", 2)] * THREADS)
        self.assertEqual(errors, [])
        self.assertEqual(Answer.objects.filter(checkup=self.checkup, item_id="phq9_9").count(), 1)
        self.assertEqual(SafetyEvent.objects.filter(checkup=self.checkup).count(), 1)

    def test_it_loses_no_answer_when_many_items_are_saved_at_once(self) -> None:
        work = [(f"pcl5_{n}", n % 5) for n in range(1, THREADS + 1)]
        errors = self.run_in_threads(work)
        self.assertEqual(errors, [])
        saved = dict(Answer.objects.filter(checkup=self.checkup).values_list("item_id", "value"))
        self.assertEqual(saved, PCL5_OFFERED | dict(work))


class StaleTabRaceTest(TransactionTestCase):
    """Twenty tabs answer the same first question at once, each from a page that showed no answer (revision 0).

    Exactly the tabs whose answer is the one stored may be told "Saved"; every other tab is told its answer
    was changed elsewhere. Before the stale check moved into the UPDATE itself, a tab that lost the insert race
    skipped the check and overwrote the winner after the winner was told "Saved" (8 of 20 trials)."""

    TRIALS = 5

    def test_no_tab_is_told_saved_and_then_overwritten(self) -> None:
        alice = make_user("alice")
        for trial in range(self.TRIALS):
            self.one_trial(alice, trial)

    def one_trial(self, alice: User, trial: int) -> None:
        checkup = member_checkup(alice)
        told_saved: list[int] = []
        unexpected: list[BaseException] = []
        barrier = threading.Barrier(THREADS)

        def tab(n: int) -> None:
            value = n % 4
            try:
                barrier.wait(timeout=30)
                actions.save_answer(
                    checkup, "phq9_1", value, actor=alice, base_revision=0, writer=f"tab-{trial}-{n}"
                )
                told_saved.append(value)
            except actions.StaleAnswer:
                pass
            except BaseException as exc:  # asserted on in the main thread
                unexpected.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=tab, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(unexpected, [], f"trial {trial}")
        stored = Answer.objects.get(checkup=checkup, item_id="phq9_1")
        self.assertTrue(told_saved, f"trial {trial}: one tab must win")
        self.assertEqual(
            set(told_saved), {stored.value}, f"trial {trial}: a tab told 'Saved' was overwritten"
        )
        self.assertEqual(stored.revision, 1, f"trial {trial}: nothing overwrote the first answer")

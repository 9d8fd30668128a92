"""Entries added at the same moment (two tabs, a double click) end in one plan with every entry kept, in unique
places, and never more than a step holds, on SQLite and PostgreSQL."""

from __future__ import annotations

from django.test import TransactionTestCase

from bounceback.safetyplan import actions
from bounceback.safetyplan.models import SafetyPlan, SafetyPlanEntry
from bounceback.safetyplan.steps import MAX_ENTRIES_PER_STEP
from bounceback.test import make_user, race


class SimultaneousEntriesTest(TransactionTestCase):
    def test_the_first_entries_racing_make_one_plan_and_lose_nothing(self) -> None:
        alice = make_user("alice")
        texts = [f"Thing {n}" for n in range(8)]
        _results, errors = race([lambda t=t: actions.add_entry(alice, "on_my_own", t) for t in texts])  # type: ignore[misc]
        self.assertEqual(errors, [])
        self.assertEqual(SafetyPlan.objects.count(), 1)
        entries = list(SafetyPlanEntry.objects.order_by("position"))
        self.assertEqual(sorted(e.text for e in entries), texts)
        self.assertEqual([e.position for e in entries], list(range(1, 9)))

    def test_a_step_never_holds_more_than_it_may_however_the_adds_race(self) -> None:
        alice = make_user("alice")
        for n in range(MAX_ENTRIES_PER_STEP - 3):
            actions.add_entry(alice, "company", f"Place {n}")
        _results, errors = race(
            [lambda n=n: actions.add_entry(alice, "company", f"Racing {n}") for n in range(8)]  # type: ignore[misc]
        )
        self.assertEqual(SafetyPlanEntry.objects.filter(step="company").count(), MAX_ENTRIES_PER_STEP)
        self.assertEqual(len(errors), 5)
        self.assertTrue(all(isinstance(e, actions.SafetyPlanError) for e in errors), errors)

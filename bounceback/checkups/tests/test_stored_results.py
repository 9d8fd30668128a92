"""Stored results: written once when a check-up completes, queried in SQL, recomputed by ``rescore``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from bounceback.checkups import actions
from bounceback.checkups.access import results_of
from bounceback.checkups.models import StoredResult
from bounceback.instruments.battery import score_battery
from bounceback.test import CALM_ANSWERS, make_user, member_checkup

LOW_MOOD = CALM_ANSWERS | {"phq9_1": 3, "phq9_2": 3} | {f"phq9_{n}": 2 for n in range(3, 11)} | {"phq9_9": 0}


class StoredResultsTest(TestCase):
    def test_completing_stores_each_instrument_result_beside_the_answers(self) -> None:
        alice = make_user("alice")
        checkup = member_checkup(alice, LOW_MOOD)
        self.assertFalse(StoredResult.objects.exists(), "nothing is stored before the check-up completes")
        self.assertTrue(actions.complete_if_done(checkup, actor=alice))
        computed = score_battery(LOW_MOOD)
        stored = {r.instrument_id: r for r in checkup.results.all()}
        self.assertEqual(list(stored), list(computed))
        for instrument_id, result in computed.items():
            as_stored = stored[instrument_id].as_result()
            self.assertEqual(
                (as_stored.total, as_stored.band, as_stored.complete, as_stored.flags, as_stored.exact_total),
                (result.total, result.band, result.complete, result.flags, result.exact_total),
                instrument_id,
            )
            self.assertEqual(stored[instrument_id].completed_at, checkup.completed_at)
        # Completing again stores nothing twice.
        actions.complete_if_done(checkup, actor=alice)
        self.assertEqual(checkup.results.count(), len(computed))

    def test_a_dashboard_can_ask_who_has_phq9_at_least_15_in_sql(self) -> None:
        alice, bob = make_user("alice"), make_user("bob")
        actions.complete_if_done(member_checkup(alice, LOW_MOOD), actor=alice)
        actions.complete_if_done(member_checkup(bob, CALM_ANSWERS), actor=bob)
        with self.assertNumQueries(1):
            owners = set(
                StoredResult.objects.of_instrument("phq9")
                .total_at_least(15)
                .values_list("checkup__owner__email", flat=True)
            )
        self.assertEqual(owners, {"alice@example.org"})
        self.assertEqual(
            results_of(bob).of_instrument("phq9").scored().count(), 0, "bob's PHQ-9 was item 9 only"
        )
        self.assertEqual(results_of(alice).of_instrument("brs").count(), 1)

    def test_flags_are_queryable(self) -> None:
        alice = make_user("alice")
        flagged = CALM_ANSWERS | {"phq9_9": 1, "asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0}
        checkup = member_checkup(alice, flagged)
        actions.complete_if_done(checkup, actor=alice)
        self.assertEqual(StoredResult.objects.flagged("suicidal_ideation").count(), 1)
        self.assertEqual(StoredResult.objects.flagged("suicide").count(), 0, "whole codes only")


class RescoreTest(TestCase):
    def run_rescore(self, *args: str) -> str:
        out = StringIO()
        call_command("rescore", *args, stdout=out)
        return out.getvalue()

    def test_check_passes_when_stored_results_match_the_answers(self) -> None:
        alice = make_user("alice")
        actions.complete_if_done(member_checkup(alice, LOW_MOOD), actor=alice)
        self.assertIn("1 completed check-ups; 0 differ.", self.run_rescore("--check"))

    def test_check_names_a_result_that_differs_and_rescore_fixes_it(self) -> None:
        alice = make_user("alice")
        checkup = member_checkup(alice, LOW_MOOD)
        actions.complete_if_done(checkup, actor=alice)
        StoredResult.objects.filter(checkup=checkup, instrument_id="phq9").update(total=3, band="minimal")
        with pytest.raises(CommandError, match="1 check-ups"):
            self.run_rescore("--check")
        self.assertEqual(StoredResult.objects.get(checkup=checkup, instrument_id="phq9").band, "minimal")
        out = self.run_rescore()
        self.assertIn(f"{checkup.public_id} phq9", out)
        self.assertIn("1 completed check-ups; 1 were re-stored.", out)
        fixed = StoredResult.objects.get(checkup=checkup, instrument_id="phq9")
        self.assertEqual(
            (fixed.total, fixed.band), (score_battery(LOW_MOOD)["phq9"].total, "moderately_severe")
        )
        self.assertIn("0 differ.", self.run_rescore("--check"))

    def test_a_missing_stored_result_is_a_difference(self) -> None:
        alice = make_user("alice")
        checkup = member_checkup(alice, LOW_MOOD)
        actions.complete_if_done(checkup, actor=alice)
        StoredResult.objects.filter(checkup=checkup, instrument_id="brs").delete()
        with pytest.raises(CommandError):
            self.run_rescore("--check")
        self.run_rescore()
        self.assertTrue(StoredResult.objects.filter(checkup=checkup, instrument_id="brs").exists())

"""Abandoned visitor check-ups are deleted after BOUNCEBACK_VISITOR_RETENTION_DAYS, with everything they hold
(issue 8, finding 8); members' and claimed check-ups never are. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from bounceback.audit.models import AuditEvent
from bounceback.checkups import actions
from bounceback.checkups.models import Answer, CheckUp, StoredResult
from bounceback.safety.models import SafetyEvent
from bounceback.test import CALM_ANSWERS, make_user, member_checkup, visitor_checkup, visitor_secret
from bounceback.tests.test_settings import run_manage

PURGE = "checkup.purge_visitors"


def answered_by_a_visitor(answers: dict[str, int]) -> CheckUp:
    checkup, _secret = actions.start_checkup(actor=None, context=["loss"], country="US")
    for item_id, value in answers.items():
        actions.save_answer(checkup, item_id, value, actor=None)
    actions.complete_if_done(checkup, actor=None)
    return checkup


def last_touched(checkup: CheckUp, days_ago: float) -> CheckUp:
    """Move the check-up's last change into the past (``update`` leaves ``auto_now`` alone)."""
    CheckUp.objects.filter(pk=checkup.pk).update(updated_at=timezone.now() - timedelta(days=days_ago))
    return checkup


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_visitors", *args, stdout=out)
    return out.getvalue()


class PurgeVisitorsTest(TestCase):
    def setUp(self) -> None:
        # Abandoned: a completed calm check-up (answers and stored results), and one with a safety event.
        self.calm = last_touched(answered_by_a_visitor(CALM_ANSWERS), 31)
        self.flagged = last_touched(
            answered_by_a_visitor({**{f"brs_{n}": 3 for n in range(1, 7)}, "phq9_9": 2}), 45
        )
        assert self.calm.is_complete and self.calm.results.exists()
        assert self.flagged.safety_events.exists()

    def test_it_deletes_an_abandoned_visitors_check_ups_with_their_answers_results_and_safety_events(
        self,
    ) -> None:
        expected = actions.Purged(
            checkups=2,
            answers=len(CALM_ANSWERS) + 7,
            results=self.calm.results.count(),
            safety_events=self.flagged.safety_events.count(),
        )
        self.assertEqual(actions.purge_abandoned_visitor_checkups(days=30), expected)
        for model in (CheckUp, Answer, StoredResult, SafetyEvent):
            self.assertFalse(model.objects.exists(), model.__name__)

    def test_it_keeps_members_claimed_and_recently_touched_check_ups(self) -> None:
        alice = make_user("alice")
        members = last_touched(member_checkup(alice, {"brs_1": 2, "brs_2": 3}), 400)
        browser = Client()
        claimed = visitor_checkup(browser, {"brs_1": 4})
        actions.claim_checkups(alice, {str(claimed.public_id): visitor_secret(browser, claimed)})
        last_touched(claimed, 400)
        recent = last_touched(answered_by_a_visitor({"brs_1": 1, "phq9_9": 0}), 29)
        purged = actions.purge_abandoned_visitor_checkups(days=30)
        self.assertEqual(purged.checkups, 2)  # the two from setUp
        self.assertEqual(
            set(CheckUp.objects.values_list("pk", flat=True)), {members.pk, claimed.pk, recent.pk}
        )
        self.assertEqual(members.answers.count(), 2)

    def test_the_setting_says_how_many_days(self) -> None:
        week_old = last_touched(answered_by_a_visitor({"brs_1": 1}), 8)
        five_days_old = last_touched(answered_by_a_visitor({"brs_1": 1}), 5)
        with override_settings(BOUNCEBACK_VISITOR_RETENTION_DAYS=7):
            self.assertIn("Deleted 3 visitor check-ups untouched for 7 days", purge())
        self.assertEqual(list(CheckUp.objects.values_list("pk", flat=True)), [five_days_old.pk])
        self.assertFalse(CheckUp.objects.filter(pk=week_old.pk).exists())

    def test_a_dry_run_prints_counts_and_changes_nothing(self) -> None:
        out = purge("--dry-run")
        self.assertIn("Would delete 2 visitor check-ups untouched for 30 days", out)
        self.assertIn(f"{len(CALM_ANSWERS) + 7} answers", out)
        self.assertNotIn(str(self.calm.public_id), out)
        self.assertEqual(CheckUp.objects.count(), 2)
        self.assertFalse(AuditEvent.objects.filter(action=PURGE).exists())

    def test_it_records_one_audit_entry_with_the_counts_and_no_ids(self) -> None:
        out = purge()
        self.assertNotIn(str(self.calm.public_id), out)
        (event,) = AuditEvent.objects.filter(action=PURGE)
        self.assertEqual(
            (event.actor_id, event.actor_kind, event.target_type, event.target_id),
            (None, "system", "count", "2 checkups; 1 safety events"),
        )

    def test_it_deletes_in_batches(self) -> None:
        for _ in range(3):
            last_touched(answered_by_a_visitor({"brs_1": 1}), 60)
        with mock.patch.object(actions, "PURGE_BATCH", 2):
            self.assertEqual(actions.purge_abandoned_visitor_checkups(days=30).checkups, 5)
        self.assertFalse(CheckUp.objects.exists())

    def test_the_browser_that_held_one_then_finds_it_missing(self) -> None:
        browser = Client()
        checkup = visitor_checkup(browser, {"brs_1": 2})
        results = f"/checkup/{checkup.public_id}/results/"
        self.assertEqual(browser.get(results).status_code, 200)
        last_touched(checkup, 31)
        actions.purge_abandoned_visitor_checkups(days=30)
        self.assertEqual(browser.get(results).status_code, 404)

    def test_it_refuses_fewer_than_one_day(self) -> None:
        with pytest.raises(ValueError, match="still in progress"):
            actions.purge_abandoned_visitor_checkups(days=0)
        self.assertEqual(CheckUp.objects.count(), 2)


def test_the_settings_refuse_a_retention_of_zero_days() -> None:
    result = run_manage("check", BOUNCEBACK_VISITOR_RETENTION_DAYS="0")
    assert result.returncode != 0
    assert "BOUNCEBACK_VISITOR_RETENTION_DAYS must be 1 or more" in result.stderr

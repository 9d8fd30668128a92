"""Writes to check-ups: upsert, stale tabs, validation, safety events, claiming, audit (H04, H16, H18)."""

from __future__ import annotations

import pytest
from django.test import Client, TestCase

from bounceback.audit.models import AuditEvent
from bounceback.checkups import actions
from bounceback.checkups.models import Answer, CheckUp
from bounceback.instruments import SAFETY_ITEMS
from bounceback.safety.models import SafetyEvent
from bounceback.test import CALM_ANSWERS, make_user, member_checkup, visitor_checkup, visitor_secret


class SaveAnswerTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.checkup = member_checkup(self.alice)

    def test_it_saves_and_updates_one_row_per_item(self) -> None:
        actions.save_answer(self.checkup, "brs_1", 3, actor=self.alice)
        actions.save_answer(self.checkup, "brs_1", 3, actor=self.alice)  # a double submit
        saved = actions.save_answer(self.checkup, "brs_1", 4.0, actor=self.alice)
        self.assertEqual(Answer.objects.filter(checkup=self.checkup, item_id="brs_1").count(), 1)
        self.assertEqual(saved.answer.value, 4)
        self.assertEqual(saved.answer.revision, 2)
        self.assertEqual((saved.answer.instrument_id, saved.answer.instrument_version), ("brs", 1))

    def test_it_names_the_item_and_allowed_values_of_a_bad_answer(self) -> None:
        with pytest.raises(
            actions.CheckUpError, match=r"brs_1: 7 is out of range; allowed values: 1, 2, 3, 4, 5"
        ):
            actions.save_answer(self.checkup, "brs_1", 7, actor=self.alice)
        with pytest.raises(actions.CheckUpError, match="who5_1 is not a question of this check-up"):
            actions.save_answer(self.checkup, "who5_1", 1, actor=self.alice)
        with pytest.raises(actions.CheckUpError, match="not a whole number"):
            actions.save_answer(self.checkup, "evs_minutes", 2.5, actor=self.alice)
        self.assertFalse(Answer.objects.exists())

    def test_it_refuses_a_stale_tab_overwriting_a_newer_answer(self) -> None:
        first = actions.save_answer(self.checkup, "phq9_9", 2, actor=self.alice, writer="tab-b")
        # Tab A loaded the page before tab B answered (revision 0) and now posts 0.
        with pytest.raises(actions.StaleAnswer):
            actions.save_answer(self.checkup, "phq9_9", 0, actor=self.alice, base_revision=0, writer="tab-a")
        self.assertEqual(Answer.objects.get(pk=first.answer.pk).value, 2)

    def test_it_lets_a_page_change_its_own_answer(self) -> None:
        actions.save_answer(self.checkup, "phq9_9", 2, actor=self.alice, base_revision=0, writer="tab-a")
        saved = actions.save_answer(
            self.checkup, "phq9_9", 1, actor=self.alice, base_revision=0, writer="tab-a"
        )
        self.assertEqual(saved.answer.value, 1)

    def test_it_accepts_the_same_answer_from_a_stale_tab(self) -> None:
        actions.save_answer(self.checkup, "phq9_9", 2, actor=self.alice, writer="tab-b")
        saved = actions.save_answer(
            self.checkup, "phq9_9", 2, actor=self.alice, base_revision=0, writer="tab-a"
        )
        self.assertEqual(saved.answer.value, 2)


class SafetyEventTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.checkup = member_checkup(self.alice)

    def test_it_raises_an_event_the_moment_item9_is_above_zero(self) -> None:
        for value in (1, 2, 3):
            checkup = member_checkup(self.alice)
            saved = actions.save_answer(checkup, "phq9_9", value, actor=self.alice)
            self.assertEqual([e.kind for e in saved.new_events], ["suicidal_ideation"])
            self.assertEqual(saved.new_events[0].user, self.alice)

    def test_it_raises_no_event_for_item9_zero(self) -> None:
        saved = actions.save_answer(self.checkup, "phq9_9", 0, actor=self.alice)
        self.assertEqual(saved.new_events, [])

    def test_it_keeps_the_event_when_item9_is_changed_back_to_zero(self) -> None:
        actions.save_answer(self.checkup, "phq9_9", 2, actor=self.alice)
        actions.save_answer(self.checkup, "phq9_9", 0, actor=self.alice)
        self.assertEqual(
            list(self.checkup.safety_events.values_list("kind", flat=True)), ["suicidal_ideation"]
        )

    def test_it_records_one_event_per_kind_however_often_item9_changes(self) -> None:
        for value in (1, 3, 2, 3, 1, 2, 3, 1, 2, 3):
            actions.save_answer(self.checkup, "phq9_9", value, actor=self.alice)
        self.assertEqual(self.checkup.safety_events.count(), 1)

    def test_it_raises_asq_events_in_order_of_answers(self) -> None:
        actions.save_answer(self.checkup, "phq9_9", 1, actor=self.alice)
        saved = actions.save_answer(self.checkup, "asq_2", 1, actor=self.alice)
        self.assertEqual([e.kind for e in saved.new_events], ["suicide_risk"])
        saved = actions.save_answer(self.checkup, "asq_5", 1, actor=self.alice)
        self.assertEqual([e.kind for e in saved.new_events], ["acute_suicide_risk"])

    def test_it_counts_a_declined_asq_question_as_yes(self) -> None:
        actions.save_answer(self.checkup, "phq9_9", 1, actor=self.alice)
        saved = actions.save_answer(self.checkup, "asq_3", 1, actor=self.alice, declined=True)
        self.assertTrue(saved.answer.declined)
        self.assertEqual([e.kind for e in saved.new_events], ["suicide_risk"])

    def test_it_never_edits_or_deletes_an_event(self) -> None:
        actions.save_answer(self.checkup, "phq9_9", 1, actor=self.alice)
        event = SafetyEvent.objects.get()
        event.kind = "suicide_risk"
        with pytest.raises(ValueError, match="append-only"):
            event.save()
        with pytest.raises(ValueError, match="never deleted"):
            event.delete()


class CompleteAndDeclineTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")

    def test_it_completes_only_when_no_question_is_left(self) -> None:
        checkup = member_checkup(self.alice, {k: v for k, v in CALM_ANSWERS.items() if k != "swls_5"})
        self.assertFalse(actions.complete_if_done(checkup, actor=self.alice))
        actions.save_answer(checkup, "swls_5", 5, actor=self.alice)
        self.assertTrue(actions.complete_if_done(checkup, actor=self.alice))
        self.assertIsNotNone(CheckUp.objects.get(pk=checkup.pk).completed_at)

    def test_it_declines_only_an_optional_step(self) -> None:
        checkup = member_checkup(self.alice)
        actions.decline_step(checkup, "pcl5", actor=self.alice)
        actions.decline_step(checkup, "pcl5", actor=self.alice)
        self.assertEqual(CheckUp.objects.get(pk=checkup.pk).declined, ["pcl5"])
        with pytest.raises(actions.CheckUpError, match="not an optional part"):
            actions.decline_step(checkup, "phq9_item9", actor=self.alice)

    def test_it_refuses_an_unknown_life_event(self) -> None:
        with pytest.raises(actions.CheckUpError, match="unknown life event: lottery"):
            actions.start_checkup(actor=self.alice, context=["loss", "lottery"], country="US")


class ClaimTest(TestCase):
    def test_it_moves_a_visitors_check_up_and_safety_events_into_the_account(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, {"brs_1": 3, "phq9_1": 0, "phq9_2": 0, "phq9_9": 1})
        bob = make_user("bob")
        claimed = actions.claim_checkups(bob, {str(checkup.public_id): visitor_secret(client, checkup)})
        self.assertEqual(claimed, [checkup])
        checkup.refresh_from_db()
        self.assertEqual(checkup.owner, bob)
        self.assertEqual(checkup.visitor_key, "")
        self.assertEqual(checkup.answers.count(), 4)
        self.assertEqual(SafetyEvent.objects.get().user, bob)

    def test_it_claims_nothing_without_the_right_secret(self) -> None:
        checkup = visitor_checkup(Client(), {"brs_1": 3})
        bob = make_user("bob")
        self.assertEqual(actions.claim_checkups(bob, {str(checkup.public_id): "guessed"}), [])
        checkup.refresh_from_db()
        self.assertIsNone(checkup.owner)


class AuditTest(TestCase):
    def test_it_audits_writes_without_their_content(self) -> None:
        alice = make_user("alice")
        checkup = member_checkup(alice, {"phq9_9": 3})
        events = list(AuditEvent.objects.values_list("actor_id", "action", "target_type", "target_id"))
        self.assertIn((alice.pk, "checkup.answer.write", "checkup", str(checkup.public_id)), events)
        for event in AuditEvent.objects.all():
            text = f"{event.action} {event.target_type} {event.target_id}"
            self.assertNotIn("phq9", text)
            self.assertNotRegex(text, r"\b3\b")

    def test_it_refuses_to_edit_an_audit_event(self) -> None:
        make_user("alice")
        member_checkup(make_user("carol"), {"brs_1": 3})
        event = AuditEvent.objects.first()
        assert event is not None
        with pytest.raises(ValueError, match="append-only"):
            event.save()


def test_it_checks_for_safety_events_on_every_item_a_safety_flag_depends_on() -> None:
    from bounceback.instruments import get

    depends_on = {item for rule in get("phq9").risk_rules for item in rule.item_ids}
    depends_on |= {item.id for item in get("asq").items}
    assert depends_on == SAFETY_ITEMS

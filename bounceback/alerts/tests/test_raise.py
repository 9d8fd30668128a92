"""The crisis loop with the database (hazards H05–H08): a flag from a member in care raises one alert at once,
routed to someone; unacknowledged it climbs to on-call and administrators on the clinic's timetable, from the
scheduler's own round; acknowledging with an action stops it; nothing in it can lose the answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bounceback.alerts import actions
from bounceback.alerts.loop import Stage
from bounceback.alerts.models import Alert, AlertStep
from bounceback.checkups import actions as checkups
from bounceback.checkups.models import Answer
from bounceback.clinics.models import Staff
from bounceback.reminders.models import Outbox
from bounceback.reminders.outbox import scheduler_round
from bounceback.test import (
    make_clinic,
    make_clinic_admin,
    make_clinician,
    make_user,
    member_checkup,
    start_care,
)

T0 = datetime(2026, 3, 7, 7, 0, tzinfo=UTC)  # 02:00 on a Saturday in New York


def notified(kind_ref_prefix: str = "") -> list[str]:
    rows = Outbox.objects.filter(item="alert", channel="in_app", ref__startswith=kind_ref_prefix)
    return sorted(rows.values_list("member__username", flat=True))


class Setup(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.bob = make_clinician("bob", self.clinic)
        self.olive = make_clinician("olive", self.clinic)  # on call
        self.ada = make_clinic_admin("ada", self.clinic)
        actions.set_on_call(None, self.clinic, self.olive)
        self.alice = make_user("alice")
        start_care(self.alice, self.bob)


@time_machine.travel(T0, tick=False)
class RaiseTest(Setup):
    def test_item_9_raises_one_alert_to_the_clinician_at_once(self) -> None:
        checkup = member_checkup(self.alice, {"phq9_9": 1})
        alert = Alert.objects.get()
        self.assertEqual(
            (alert.checkup_id, alert.kind, alert.stage), (checkup.pk, "suicidal_ideation", Stage.CLINICIANS)
        )
        self.assertEqual(notified(), ["bob"])

    def test_ten_edits_of_item_9_are_one_alert_and_an_acute_answer_strengthens_it(self) -> None:
        checkup = member_checkup(self.alice, {"phq9_9": 1})
        for value in (2, 3, 0, 1, 2, 3, 0, 1, 2):
            checkups.save_answer(checkup, "phq9_9", value, actor=self.alice)
        self.assertEqual(Alert.objects.count(), 1)
        self.assertEqual(AlertStep.objects.count(), 1)
        for item in ("asq_1", "asq_2", "asq_3", "asq_4"):
            checkups.save_answer(checkup, item, 1, actor=self.alice)
        checkups.save_answer(checkup, "asq_5", 1, actor=self.alice)
        alert = Alert.objects.get()
        self.assertEqual(alert.kind, "acute_suicide_risk")

    def test_a_visitor_and_a_member_not_in_care_raise_no_alert(self) -> None:
        member_checkup(make_user("carol"), {"phq9_9": 3})
        self.assertFalse(Alert.objects.exists())

    def test_a_deactivated_clinician_means_the_on_call_hears_at_once(self) -> None:
        Staff.objects.filter(user=self.bob).update(active=False)
        member_checkup(self.alice, {"phq9_9": 1})
        self.assertEqual(Alert.objects.get().stage, Stage.ON_CALL)
        self.assertEqual(notified(), ["olive"])

    def test_no_on_call_means_the_administrators(self) -> None:
        Staff.objects.filter(user=self.bob).update(active=False)
        Staff.objects.filter(user=self.olive).update(active=False)
        member_checkup(self.alice, {"phq9_9": 1})
        self.assertEqual(notified(), ["ada"])

    def test_a_failure_while_raising_never_loses_the_answer_and_reconciliation_raises_it(self) -> None:
        with mock.patch("bounceback.alerts.actions._send", side_effect=RuntimeError("boom")):
            checkup = member_checkup(self.alice, {"phq9_9": 2})
        self.assertEqual(Answer.objects.get(checkup=checkup, item_id="phq9_9").value, 2)
        self.assertFalse(Alert.objects.exists())
        self.assertEqual(actions.reconcile(T0), 1)
        self.assertEqual(Alert.objects.count(), 1)
        self.assertEqual(notified(), ["bob"])


class EscalationTest(Setup):
    def test_an_acute_alert_climbs_through_the_schedulers_round_and_stops_when_acknowledged(self) -> None:
        with time_machine.travel(T0, tick=False):
            checkup = member_checkup(
                self.alice, {"phq9_9": 1, "asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0}
            )
            checkups.save_answer(checkup, "asq_5", 1, actor=self.alice)
        self.assertEqual(Alert.objects.get().kind, "acute_suicide_risk")
        with time_machine.travel(T0 + timedelta(minutes=59), tick=False):
            scheduler_round()
            self.assertEqual(Alert.objects.get().stage, Stage.CLINICIANS)
        with time_machine.travel(T0 + timedelta(minutes=60), tick=False):
            scheduler_round()
            self.assertEqual(Alert.objects.get().stage, Stage.ON_CALL)
            self.assertIn("olive", notified())
        with time_machine.travel(T0 + timedelta(minutes=121), tick=False):
            scheduler_round()
            self.assertEqual(Alert.objects.get().stage, Stage.ADMIN)
            self.assertIn("ada", notified())
            alert = actions.acknowledge(
                self.bob, Alert.objects.get(), "contacted", "Phoned; safe with family."
            )
        self.assertIsNotNone(alert.acknowledged_at)
        steps = AlertStep.objects.count()
        with time_machine.travel(T0 + timedelta(hours=10), tick=False):
            scheduler_round()
        self.assertEqual(AlertStep.objects.count(), steps)

    def test_only_those_who_may_handle_it_acknowledge_and_only_with_an_action(self) -> None:
        with time_machine.travel(T0, tick=False):
            member_checkup(self.alice, {"phq9_9": 1})
        alert = Alert.objects.get()
        other = make_clinician("otto", make_clinic("Elsewhere"))
        with self.assertRaises(actions.AlertError):
            actions.acknowledge(other, alert, "contacted", "")
        with self.assertRaises(actions.AlertError):
            actions.acknowledge(self.bob, alert, "seen", "")
        with self.assertRaises(actions.AlertError):
            actions.acknowledge(self.bob, alert, "contacted", "x" * 2001)
        self.assertIsNone(Alert.objects.get().acknowledged_at)
        actions.acknowledge(self.olive, alert, "booked", "")  # the on-call person may
        self.assertEqual(Alert.objects.get().action, "booked")


class ReconcileCostTest(Setup):
    def test_members_not_in_care_cost_the_scheduler_nothing_per_event(self) -> None:
        carol = make_user("carol")  # not in care: her events need no alert
        member_checkup(carol, {"phq9_9": 1})
        with CaptureQueriesContext(connection) as one:
            self.assertEqual(actions.reconcile(timezone.now()), 0)
        for _ in range(9):
            member_checkup(carol, {"phq9_9": 1})
        with CaptureQueriesContext(connection) as ten:
            self.assertEqual(actions.reconcile(timezone.now()), 0)
        self.assertEqual(len(ten), len(one))

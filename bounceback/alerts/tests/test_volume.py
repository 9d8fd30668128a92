"""Alert volume (hazard H08, T08): a clinic with 1,000 members in care, 300 of whom answer item 9 above 0 within
the hour: 300 alerts, none lost, each notified once; unacknowledged for a day, all 300 reach on-call in one
scheduler round; acknowledging exposes the time it took (/health/'s median)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import TestCase

from bounceback.accounts.models import Role, User
from bounceback.alerts import actions
from bounceback.alerts.loop import Stage
from bounceback.alerts.models import Alert, AlertStep
from bounceback.care.models import CareRelationship
from bounceback.checkups import actions as checkups
from bounceback.reminders.models import Outbox
from bounceback.reminders.outbox import scheduler_round
from bounceback.test import make_clinic, make_clinician

T0 = datetime(2026, 3, 7, 7, 0, tzinfo=UTC)
MEMBERS, FLAGGED = 1000, 300


class VolumeTest(TestCase):
    def test_three_hundred_alerts_among_a_thousand_members_are_all_raised_escalated_and_measured(
        self,
    ) -> None:
        clinic = make_clinic()
        clinicians = [make_clinician(f"clinician{n}", clinic) for n in range(10)]
        actions.set_on_call(None, clinic, clinicians[0])
        User.objects.bulk_create(
            User(username=f"m{n}", email=f"m{n}@example.org", role=Role.MEMBER, country="US")
            for n in range(MEMBERS)
        )
        members = list(User.objects.filter(role=Role.MEMBER).order_by("pk"))
        CareRelationship.objects.bulk_create(
            CareRelationship(member=m, clinician=clinicians[n % 10], clinic=clinic)
            for n, m in enumerate(members)
        )
        with time_machine.travel(T0, tick=False):
            for member in members[:FLAGGED]:
                checkup, _secret = checkups.start_checkup(actor=member, context=[], country="US")
                checkups.save_answer(checkup, "phq9_9", 1, actor=member)
        self.assertEqual(Alert.objects.count(), FLAGGED)
        self.assertEqual(AlertStep.objects.filter(stage=Stage.CLINICIANS).count(), FLAGGED)
        self.assertEqual(Outbox.objects.filter(item="alert", channel="in_app").count(), FLAGGED)  # one each
        with time_machine.travel(T0 + timedelta(hours=24), tick=False):
            scheduler_round()
        self.assertEqual(Alert.objects.filter(stage=Stage.ON_CALL).count(), FLAGGED)
        with time_machine.travel(T0 + timedelta(hours=25), tick=False):
            for alert in Alert.objects.all()[:100]:
                actions.acknowledge(clinicians[0], alert, "contacted", "")
            alerts = self.client.get("/health/").json()["alerts"]
        self.assertEqual((alerts["open"], alerts["acknowledged_30_days"]), (FLAGGED - 100, 100))
        self.assertEqual(alerts["median_minutes_to_acknowledge"], 25 * 60)

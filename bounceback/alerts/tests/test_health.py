"""The crisis loop on /health/ (hazards H05, H06): open alerts and the oldest's wait; "degraded" when an alert
is past its next rung (the scheduler is not escalating) or a clinic with clinicians has nobody on call. Counts
only, never who. And a mail server that is down never stops an alert (T07)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import TestCase, override_settings

from bounceback.alerts import actions
from bounceback.alerts.loop import Stage
from bounceback.alerts.models import Alert, OnCall
from bounceback.reminders import outbox
from bounceback.reminders.models import Outbox, Status
from bounceback.reminders.tests.helpers import free_port
from bounceback.test import make_clinic, make_clinician, make_user, member_checkup, start_care

T0 = datetime(2026, 3, 7, 7, 0, tzinfo=UTC)


@override_settings(BOUNCEBACK_SCHEDULER_INTERVAL=30)
class AlertHealthTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.bob = make_clinician("bob", self.clinic)
        self.alice = make_user("alice")
        start_care(self.alice, self.bob)

    def alerts(self) -> tuple[str, dict[str, object]]:
        body = self.client.get("/health/").json()
        return body.get("status", "ok"), body["alerts"]

    def test_a_clinic_with_nobody_on_call_is_degraded_until_someone_is(self) -> None:
        status, alerts = self.alerts()
        self.assertEqual((status, alerts["clinics_without_on_call"]), ("degraded", 1))
        actions.set_on_call(None, self.clinic, self.bob)
        with time_machine.travel(T0, tick=False):
            outbox.beat(now=T0)
            status, alerts = self.alerts()
        self.assertEqual(
            alerts,
            {
                "open": 0,
                "oldest_open_minutes": 0,
                "acknowledged_30_days": 0,
                "median_minutes_to_acknowledge": None,
                "past_their_next_rung": 0,
                "clinics_without_on_call": 0,
            },
        )
        self.assertEqual(status, "ok")

    def test_an_alert_past_its_next_rung_means_the_scheduler_is_not_escalating(self) -> None:
        actions.set_on_call(None, self.clinic, self.bob)
        with time_machine.travel(T0, tick=False):
            member_checkup(self.alice, {"phq9_9": 1})
        with time_machine.travel(T0 + timedelta(hours=24, minutes=1), tick=False):
            outbox.beat()
            status, alerts = self.alerts()
        self.assertEqual((status, alerts["open"], alerts["past_their_next_rung"]), ("degraded", 1, 0))
        with time_machine.travel(T0 + timedelta(hours=24, minutes=2), tick=False):
            outbox.beat()
            status, alerts = self.alerts()
        self.assertEqual(
            (status, alerts["past_their_next_rung"], alerts["oldest_open_minutes"]),
            ("degraded", 1, 24 * 60 + 2),
        )
        self.assertNotIn("alice", str(alerts))

    def test_a_mail_server_that_is_down_never_stops_the_alert(self) -> None:
        OnCall.objects.create(clinic=self.clinic, user=make_clinician("olive", self.clinic))
        closed = free_port()  # nothing listens there
        smtp = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": closed,
            "EMAIL_TIMEOUT": 1,
        }
        with override_settings(**smtp), time_machine.travel(T0, tick=False):
            member_checkup(self.alice, {"phq9_9": 1})
            outcomes = {row.channel: outbox.deliver(row.pk) for row in Outbox.objects.filter(item="alert")}
        self.assertEqual(outcomes, {"in_app": "sent", "email": "retry"})
        email = Outbox.objects.get(item="alert", channel="email")
        self.assertEqual((email.status, email.last_error), (Status.PENDING, "ConnectionRefusedError"))
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/alerts/"), "PHQ-9 item 9")
        with override_settings(**smtp), time_machine.travel(T0 + timedelta(hours=24), tick=False):
            outbox.scheduler_round()
        self.assertEqual(Alert.objects.get().stage, Stage.ON_CALL)

"""The whole crisis loop with real processes (issue 11, hazards H05–H07): the scheduler (``bounceback scheduler
--once --now …``, the clock frozen at chosen moments) moves an unacknowledged acute alert up the ladder, and the
real worker (``bounceback db_worker``) emails each rung through a real SMTP server on loopback. The worker is
killed with SIGKILL in the middle of the on-call email and restarted: the on-call person gets it once. The
administrators hear at the next rung; after an acknowledgement nobody hears more.
"""

from __future__ import annotations

import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import TransactionTestCase, override_settings

from bounceback.alerts import actions
from bounceback.alerts.loop import Stage
from bounceback.alerts.models import Alert
from bounceback.checkups import actions as checkups
from bounceback.reminders.models import Outbox, Status
from bounceback.reminders.tests.helpers import smtp_server
from bounceback.reminders.tests.test_processes import (
    LEASE,
    ROOT,
    WORKER,
    bounceback,
    environment,
    run_worker_batch,
)
from bounceback.test import (
    make_clinic,
    make_clinic_admin,
    make_clinician,
    make_user,
    member_checkup,
    start_care,
)

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")


def scheduler_at(moment: datetime, env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603
        bounceback("scheduler", "--once", "--now", moment.isoformat()),
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )


def emailed(box: object) -> list[str]:
    return sorted(str(m["To"]) for m in box.messages)  # type: ignore[attr-defined]


@override_settings(BOUNCEBACK_OUTBOX_LEASE_SECONDS=LEASE, EMAIL_TIMEOUT=1)
class CrisisLoopProcessTest(TransactionTestCase):
    def test_an_unacknowledged_acute_alert_reaches_on_call_once_across_a_worker_crash_then_the_administrators(
        self,
    ) -> None:
        clinic = make_clinic()
        bob = make_clinician("bob", clinic)
        olive = make_clinician("olive", clinic)
        make_clinic_admin("ada", clinic)
        actions.set_on_call(None, clinic, olive)
        alice = make_user("alice")
        start_care(alice, bob)
        t0 = datetime.now(UTC).replace(microsecond=0) - timedelta(
            hours=4
        )  # Saturday 02:00 or any time: no hours
        with time_machine.travel(t0, tick=False):
            checkup = member_checkup(alice, {"phq9_9": 1, "asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0})
            checkups.save_answer(checkup, "asq_5", 1, actor=alice)
        self.assertEqual(Alert.objects.get().kind, "acute_suicide_risk")

        with smtp_server() as (box, _controller):
            env = environment(box.port)
            scheduler_at(t0 + timedelta(minutes=1), env)  # hands over the clinician's notice
            run_worker_batch(env)
            self.assertEqual(emailed(box), ["bob@example.org"])

            box.hold = "DATA"  # the on-call email is on the wire when the worker dies
            scheduler_at(t0 + timedelta(minutes=61), env)
            self.assertEqual(Alert.objects.get().stage, Stage.ON_CALL)
            worker = subprocess.Popen(bounceback(*WORKER), cwd=ROOT, env=env)  # noqa: S603
            try:
                self.assertTrue(box.holding.wait(60), "the worker never reached the mail server")
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=30)
            finally:
                worker.kill()
                worker.wait(timeout=30)
            box.hold = None
            box.release.set()
            time.sleep(LEASE + 0.5)  # the dead worker's claim runs out
            scheduler_at(t0 + timedelta(minutes=62), env)  # the same rung again: no second notice
            run_worker_batch(env)
            self.assertEqual(emailed(box), ["bob@example.org", "olive@example.org"])

            scheduler_at(t0 + timedelta(minutes=121), env)
            run_worker_batch(env)
            self.assertEqual(emailed(box), ["ada@example.org", "bob@example.org", "olive@example.org"])
            self.assertEqual(Alert.objects.get().stage, Stage.ADMIN)

            actions.acknowledge(olive, Alert.objects.get(), "contacted", "")
            scheduler_at(t0 + timedelta(minutes=181), env)
            run_worker_batch(env)
            self.assertEqual(len(box.messages), 3)
        for message in box.messages:  # no health data in any of them (hazard H18)
            text = (str(message["Subject"]) + message.get_content()).lower()
            for word in ("suicid", "asq", "phq", "crisis", "alice", "risk"):
                self.assertNotIn(word, text)
        self.assertFalse(
            Outbox.objects.filter(item="alert", status__in=[Status.PENDING, Status.SENDING]).exists()
        )

"""Real processes (hazards H07, H17): a worker killed with SIGKILL in the middle of a send loses nothing and
sends nothing twice; a row marked sent is never sent again, even when its worker dies right after; two
scheduler processes at once make no duplicate; ``bounceback runall`` stops its web server, worker and
scheduler on Ctrl-C.

The processes share this test run's database (SQLite file or PostgreSQL) and a real SMTP server on loopback
(aiosmtpd) that can hold a session at a chosen step.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest
from django.db import connection
from django.test import TransactionTestCase, override_settings

from bounceback.reminders import outbox
from bounceback.reminders.models import Heartbeat, Outbox, Status

from .helpers import free_port, member, smtp_server

ROOT = Path(__file__).resolve().parents[3]
LEASE = 4
pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and process groups are POSIX")


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def environment(smtp_port: int = 0) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    return env | {
        "BOUNCEBACK_ENV": "development",
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_TIMEOUT": "1",
        "BOUNCEBACK_OUTBOX_LEASE_SECONDS": str(LEASE),
        "PYTHONUNBUFFERED": "1",
    }


def bounceback(*args: str) -> list[str]:
    return [sys.executable, "-m", "bounceback", *args]


WORKER = ("db_worker", "--no-reload", "--queue-name", "*", "--no-startup-delay", "--interval", "0.2")


def run_worker_batch(env: dict[str, str]) -> None:
    """A worker that runs what is queued now and exits (as a fresh worker after a crash would)."""
    subprocess.run(bounceback(*WORKER, "--batch"), cwd=ROOT, env=env, check=True, timeout=120)  # noqa: S603


def due_now(name: str) -> None:
    """A member with an email reminder whose time has come (UTC, 00:00, no quiet hours), in-app off."""
    member(
        name,
        joined=datetime.now(UTC) - timedelta(days=14, hours=1),
        at=clock_time(0),
        quiet=(clock_time(0), clock_time(0)),
        in_app=False,
    )


@override_settings(BOUNCEBACK_OUTBOX_LEASE_SECONDS=LEASE, EMAIL_TIMEOUT=1)
class KilledWorkerTest(TransactionTestCase):
    def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(self) -> None:
        due_now("alice")
        with smtp_server() as (box, _controller):
            env = environment(box.port)
            box.hold = "DATA"  # the message is on the wire; the server has not accepted it
            self.assertEqual(outbox.scheduler_round().handed, 1)
            worker = subprocess.Popen(bounceback(*WORKER), cwd=ROOT, env=env)  # noqa: S603
            try:
                self.assertTrue(box.holding.wait(60), "the worker never reached the mail server")
                row = Outbox.objects.get()
                self.assertEqual((row.status, row.attempts), (Status.SENDING, 1))
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=30)
            finally:
                worker.kill()
                worker.wait(timeout=30)
            box.hold = None
            box.release.set()  # the server now refuses what the dead worker left half-sent

            outbox.scheduler_round()  # within the lease nobody takes it over
            run_worker_batch(env)
            row.refresh_from_db()
            self.assertEqual((row.status, box.messages), (Status.SENDING, []))

            assert row.lease_until is not None
            time.sleep(max(0.0, (row.lease_until - datetime.now(UTC)).total_seconds()) + 0.5)
            self.assertEqual(outbox.scheduler_round().handed, 1)
            run_worker_batch(env)
            row.refresh_from_db()
            self.assertEqual((row.status, row.attempts, len(box.messages)), (Status.SENT, 2, 1))

            time.sleep(LEASE + 0.5)
            outbox.scheduler_round()
            run_worker_batch(env)
        self.assertEqual(len(box.messages), 1)
        self.assertEqual(box.messages[0]["To"], "alice@example.org")

    def test_a_row_marked_sent_is_never_sent_again_when_its_worker_dies_after(self) -> None:
        due_now("alice")
        with smtp_server() as (box, _controller):
            env = environment(box.port)
            box.hold = "QUIT"  # accepted and marked sent; the worker is saying goodbye
            outbox.scheduler_round()
            worker = subprocess.Popen(bounceback(*WORKER), cwd=ROOT, env=env)  # noqa: S603
            try:
                self.assertTrue(box.holding.wait(60), "the worker never reached the mail server")
                row = Outbox.objects.get()
                self.assertEqual((row.status, len(box.messages)), (Status.SENT, 1))
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=30)
            finally:
                worker.kill()
                worker.wait(timeout=30)
            box.hold = None
            box.release.set()
            time.sleep(LEASE + 0.5)
            self.assertEqual(outbox.scheduler_round().handed, 0)
            run_worker_batch(env)
            self.assertEqual(outbox.deliver(row.pk), "not claimed")
        self.assertEqual(len(box.messages), 1)
        row.refresh_from_db()
        self.assertEqual((row.status, row.attempts), (Status.SENT, 1))


class TwoSchedulerProcessesTest(TransactionTestCase):
    def test_two_scheduler_processes_at_once_make_no_duplicate(self) -> None:
        for n in range(20):
            due_now(f"member{n}")
        env = environment()
        runs = [
            subprocess.Popen(bounceback("scheduler", "--once"), cwd=ROOT, env=env)  # noqa: S603
            for _ in range(2)
        ]
        self.assertEqual([run.wait(timeout=120) for run in runs], [0, 0])
        keys = list(Outbox.objects.values_list("member_id", "item", "due_date", "channel"))
        self.assertEqual(len(keys), 20)
        self.assertEqual(len(set(keys)), 20)


def _state(pid: int) -> tuple[str, int] | None:
    """(state, process group) of a process, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return fields[0], int(fields[2])


def _alive_in_group(group: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if (
            entry.name.isdigit()
            and (state := _state(int(entry.name)))
            and state[1] == group
            and state[0] != "Z"
        ):
            found.append(int(entry.name))
    return found


class RunAllTest(TransactionTestCase):
    def test_ctrl_c_stops_the_web_server_the_worker_and_the_scheduler(self) -> None:
        for stop in (signal.SIGINT, signal.SIGTERM):
            with self.subTest(signal=stop.name):
                self._run_and_stop(stop)

    def _run_and_stop(self, stop: signal.Signals) -> None:
        Heartbeat.objects.all().delete()
        port = free_port()
        runall = subprocess.Popen(  # noqa: S603
            bounceback("runall", f"127.0.0.1:{port}"),
            cwd=ROOT,
            env=environment() | {"BOUNCEBACK_SCHEDULER_INTERVAL": "1"},
            stdout=subprocess.PIPE,
            text=True,
        )
        children: dict[str, int] = {}
        lines: list[str] = []

        def read() -> None:
            assert runall.stdout is not None
            for line in runall.stdout:
                lines.append(line)
                if line.startswith("started "):
                    name, pid = line.split()[1], line.split("pid ")[1].rstrip(")\n")
                    children[name] = int(pid)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                if len(children) == 3 and Heartbeat.objects.exists() and _port_open(port):
                    break
                time.sleep(0.3)
            else:
                raise AssertionError(f"runall did not start all three: {lines}")
            self.assertEqual(set(children), {"web", "worker", "scheduler"})
            runall.send_signal(stop)
            self.assertEqual(runall.wait(timeout=60), 0)
        finally:
            if runall.poll() is None:
                runall.kill()
                runall.wait(timeout=30)
        reader.join(timeout=10)
        for name, pid in children.items():
            self.assertEqual(_alive_in_group(pid), [], f"{name}'s processes outlived runall")
        self.assertFalse(_port_open(port), "the web server still listens")


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False

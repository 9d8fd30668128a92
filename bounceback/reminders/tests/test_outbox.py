"""The outbox end to end in one process, with a frozen clock and a real SMTP server on loopback (hazards H17 and
H07): planned for every member, sent at 09:00 local across the change to summer time, never twice, one catch-up
after an outage, never in quiet hours, following a changed schedule, and a mail server that is down retried
with back-off, then failed and shown to operators."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from allauth.account.models import EmailAddress
from django.test import Client, TestCase

from bounceback.accounts.models import Role, User
from bounceback.checkups.models import CheckUp, StoredResult
from bounceback.reminders import actions, outbox
from bounceback.reminders.health import report
from bounceback.reminders.models import Channel, Notification, Outbox, Status
from bounceback.reminders.rules import INSTRUMENTS
from bounceback.test import enable_two_factor, make_user

from .helpers import member, run_queued, smtp_server, smtp_settings

LONDON = ZoneInfo("Europe/London")
JOINED = datetime(2026, 3, 1, 12, tzinfo=UTC)  # first due 15 March (GMT), then 29 March: the change to BST
FIRST = datetime(2026, 3, 15, 9, tzinfo=UTC)  # 09:00 GMT
SECOND = datetime(2026, 3, 29, 8, tzinfo=UTC)  # 09:00 BST


def rows(user: User, **filters: object) -> list[tuple[date, str, str, datetime]]:
    return [
        (r.due_date, r.channel, r.status, r.send_at)
        for r in Outbox.objects.filter(member=user, **filters).order_by("due_date", "channel")
    ]


class PlanTest(TestCase):
    def test_it_plans_the_default_schedule_for_every_member_once(self) -> None:
        alice = member("alice", zone="Europe/London", joined=JOINED)
        carol = member("carol", joined=JOINED)
        EmailAddress.objects.filter(user=carol).update(verified=False)  # no confirmed address: in-app only
        bob = make_user("bob", role=Role.CLINICIAN)
        with time_machine.travel(datetime(2026, 3, 10, tzinfo=UTC), tick=False):
            first = outbox.scheduler_round()
            again = outbox.scheduler_round()
        self.assertEqual(
            rows(alice),
            [
                (date(2026, 3, 15), Channel.EMAIL, Status.PENDING, FIRST),
                (date(2026, 3, 15), Channel.IN_APP, Status.PENDING, FIRST),
            ],
        )
        self.assertEqual([r[1] for r in rows(carol)], [Channel.IN_APP])
        self.assertEqual(rows(bob), [])
        self.assertEqual(Outbox.objects.get(member=alice, channel=Channel.EMAIL).instruments, "brs,phq9,gad7")
        self.assertEqual((first.planned.created, again.planned.created, again.planned.updated), (3, 0, 0))

    def test_a_changed_schedule_moves_and_cancels_what_is_planned_but_never_what_is_sent(self) -> None:
        alice = member("alice", zone="Europe/London", joined=JOINED)
        with time_machine.travel(datetime(2026, 3, 10, tzinfo=UTC), tick=False):
            outbox.scheduler_round()
            sent = Outbox.objects.create(
                member=alice,
                due_date=date(2026, 3, 1),
                channel=Channel.EMAIL,
                status=Status.SENT,
                send_at=JOINED,
            )
            choices: dict[str, Any] = {
                "instruments": list(INSTRUMENTS),
                "every_days": 14,
                "at": time(18),
                "quiet_start": time(21),
                "quiet_end": time(8),
                "email": True,
                "in_app": False,
            }
            actions.save_settings(alice, **choices)  # planned at once, in the same transaction
            self.assertEqual(
                rows(alice, due_date=date(2026, 3, 15)),
                [
                    (date(2026, 3, 15), Channel.EMAIL, Status.PENDING, datetime(2026, 3, 15, 18, tzinfo=UTC)),
                    (date(2026, 3, 15), Channel.IN_APP, Status.CANCELLED, FIRST),
                ],
            )
            actions.save_settings(alice, **{**choices, "every_days": 28})
            self.assertEqual(
                [(r[0], r[2]) for r in rows(alice, channel=Channel.EMAIL)],
                [
                    (date(2026, 3, 1), Status.SENT),
                    (date(2026, 3, 15), Status.CANCELLED),
                    (date(2026, 3, 29), Status.PENDING),
                ],
            )
            actions.save_settings(alice, **{**choices, "time_zone": "America/New_York"})
            self.assertEqual(  # 18:00 in New York (already on summer time) on its own 15 March
                rows(alice, status=Status.PENDING),
                [(date(2026, 3, 15), Channel.EMAIL, Status.PENDING, datetime(2026, 3, 15, 22, tzinfo=UTC))],
            )
        sent.refresh_from_db()
        self.assertEqual((sent.status, sent.send_at), (Status.SENT, JOINED))

    def test_a_new_result_moves_its_instrument_out_of_the_reminder(self) -> None:
        alice = member("alice", zone="Europe/London", joined=JOINED)
        with time_machine.travel(datetime(2026, 3, 10, tzinfo=UTC), tick=False) as clock:
            outbox.scheduler_round()
            done = datetime(2026, 3, 12, tzinfo=UTC)
            checkup = CheckUp.objects.create(owner=alice, completed_at=done)
            for instrument in ("brs", "phq9"):
                StoredResult.objects.create(
                    checkup=checkup,
                    instrument_id=instrument,
                    instrument_version=1,
                    total=3,
                    complete=True,
                    completed_at=done,
                )
            clock.move_to(datetime(2026, 3, 12, 1, tzinfo=UTC))
            outbox.scheduler_round()
            self.assertEqual(
                [
                    (r.due_date, r.instruments)
                    for r in Outbox.objects.filter(channel=Channel.EMAIL).order_by("due_date")
                ],
                [(date(2026, 3, 15), "gad7"), (date(2026, 3, 26), "brs,phq9")],
            )
            StoredResult.objects.create(
                checkup=checkup,
                instrument_id="gad7",
                instrument_version=1,
                total=3,
                complete=True,
                completed_at=done,
            )
            outbox.scheduler_round()
        self.assertEqual(
            [(r[0], r[2]) for r in rows(alice, channel=Channel.EMAIL)],
            [(date(2026, 3, 15), Status.CANCELLED), (date(2026, 3, 26), Status.PENDING)],
        )


class SendTest(TestCase):
    def test_it_sends_at_nine_local_on_both_sides_of_the_change_and_never_twice(self) -> None:
        alice = member("alice", zone="Europe/London", joined=JOINED)
        with (
            smtp_server() as (box, _controller),
            smtp_settings(box.port),
            time_machine.travel(FIRST - timedelta(minutes=1), tick=False) as clock,
        ):
            self.assertEqual(outbox.scheduler_round().handed, 0)
            clock.move_to(FIRST + timedelta(seconds=20))
            self.assertEqual(outbox.scheduler_round().handed, 2)
            self.assertEqual(sorted(run_queued()), ["sent", "sent"])
            for _ in range(3):  # more rounds, stray tasks: nothing goes twice
                outbox.scheduler_round()
                for row in Outbox.objects.all():
                    self.assertEqual(outbox.deliver(row.pk), "not claimed")
                run_queued()
            self.assertEqual(len(box.messages), 1)
            self.assertEqual(Notification.objects.filter(member=alice).count(), 1)

            clock.move_to(SECOND - timedelta(minutes=1))  # 08:59 BST
            self.assertEqual(outbox.scheduler_round().handed, 0)
            clock.move_to(SECOND + timedelta(seconds=20))
            outbox.scheduler_round()
            run_queued()
        self.assertEqual(len(box.messages), 2)
        sent = [
            r.sent_at for r in Outbox.objects.filter(member=alice, channel=Channel.EMAIL).order_by("due_date")
        ]
        self.assertEqual(
            [s.astimezone(LONDON).strftime("%d %H:%M") for s in sent if s], ["15 09:00", "29 09:00"]
        )
        self.assertEqual([s.utcoffset() for s in sent if s], [timedelta(0), timedelta(0)])  # stored in UTC

    def test_a_send_that_comes_up_in_quiet_hours_waits_for_the_morning(self) -> None:
        member("alice", zone="Europe/London", joined=JOINED, at=time(20, 55))
        due = datetime(2026, 3, 15, 20, 55, tzinfo=UTC)
        with (
            smtp_server() as (box, _controller),
            smtp_settings(box.port),
            time_machine.travel(due, tick=False) as clock,
        ):
            outbox.scheduler_round()
            clock.move_to(datetime(2026, 3, 15, 21, 30, tzinfo=UTC))  # the worker was slow: quiet hours
            self.assertEqual(sorted(run_queued()), ["deferred", "deferred"])
            self.assertEqual(box.messages, [])
            morning = datetime(2026, 3, 16, 8, tzinfo=UTC)
            self.assertEqual({r.send_at for r in Outbox.objects.all()}, {morning})
            clock.move_to(morning - timedelta(seconds=30))
            outbox.scheduler_round()
            self.assertEqual(run_queued(), [])
            clock.move_to(morning + timedelta(seconds=5))
            outbox.scheduler_round()
            self.assertEqual(sorted(run_queued()), ["sent", "sent"])
        self.assertEqual(len(box.messages), 1)

    def test_after_an_outage_one_catch_up_and_no_more(self) -> None:
        member("alice", zone="America/New_York", joined=JOINED, every_days=7)
        with (
            smtp_server() as (box, _controller),
            smtp_settings(box.port),
            time_machine.travel(datetime(2026, 3, 2, tzinfo=UTC), tick=False) as clock,
        ):
            outbox.scheduler_round()  # plans 8 March; then nothing runs for seven weeks
            back = datetime(2026, 4, 20, 18, tzinfo=UTC)  # 14:00 in New York, 19 April was the last due date
            clock.move_to(back)
            outbox.scheduler_round()
            self.assertEqual(sorted(run_queued()), ["sent", "sent"])
            for hours in (1, 5, 12, 30):
                clock.move_to(back + timedelta(hours=hours))
                outbox.scheduler_round()
                run_queued()
        self.assertEqual(len(box.messages), 1)
        email_rows = Outbox.objects.filter(channel=Channel.EMAIL).order_by("due_date")
        self.assertEqual(
            [(r.due_date, r.status) for r in email_rows],
            [(date(2026, 3, 8), Status.CANCELLED), (date(2026, 4, 19), Status.SENT)],
        )

    def test_the_mail_server_down_is_retried_with_back_off_then_failed_and_shown(self) -> None:
        member("alice", zone="Europe/London", joined=JOINED, in_app=False)
        with smtp_server() as (box, controller), smtp_settings(box.port):
            controller.stop()  # the mail server is down
            with time_machine.travel(FIRST + timedelta(seconds=10), tick=False) as clock:
                waits = []
                for _attempt in range(5):
                    outbox.scheduler_round()
                    outcome = run_queued()
                    row = Outbox.objects.get()
                    if row.status == Status.FAILED:
                        break
                    self.assertEqual(outcome, ["retry"])
                    assert row.retry_at is not None
                    waits.append(int((row.retry_at - datetime.now(UTC)).total_seconds()))
                    outbox.scheduler_round()
                    self.assertEqual(run_queued(), [], "not before its back-off")
                    clock.move_to(row.retry_at + timedelta(seconds=1))
                self.assertEqual(waits, [60, 120, 240, 480])
                self.assertEqual((row.status, row.attempts), (Status.FAILED, 5))
                self.assertEqual(row.last_error, "ConnectionRefusedError")
                health = report()
                self.assertEqual(
                    (health["status"], health["outbox"]["state"], health["outbox"]["failed"]),
                    ("degraded", "failed", 1),
                )

                operator = make_user("olga", role=Role.OPERATOR)
                User.objects.filter(pk=operator.pk).update(is_staff=True, is_superuser=True)
                enable_two_factor(operator)
                client = Client()
                client.force_login(User.objects.get(pk=operator.pk))
                page = client.get("/admin/reminders/outbox/?status__exact=failed")
                self.assertContains(page, "ConnectionRefusedError")
                self.assertContains(page, str(row.member.public_id))
                self.assertNotContains(page, "alice@example.org")
                outbox.scheduler_round()
                self.assertEqual(run_queued(), [], "a failed send waits for an operator")
        self.assertEqual(box.messages, [])

"""``bounceback audit export``: a member's entries (by email or public id, also after the account is deleted) or a
period's, as CSV or JSON, with ids, verbs and hashes only; the export itself is audited."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import time_machine
from django.test import TestCase

from bounceback.accounts.models import Role
from bounceback.audit import export
from bounceback.audit.models import AuditEvent
from bounceback.audit.record import record
from bounceback.test import make_user

from .tampering import run


class ExportTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.bob = make_user("bob")
        self.carol = make_user("carol", role=Role.CLINICIAN)
        self.alice_id = str(self.alice.public_id)
        with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), tick=False):
            record(self.alice, "account.signin", "user", self.alice_id)
        with time_machine.travel(datetime(2026, 3, 2, 23, 59, tzinfo=UTC), tick=False):
            record(self.bob, "checkup.read", "checkup", "bobs-checkup")
            record(self.carol, "care.read.results", "user", self.alice_id)
        with time_machine.travel(datetime(2026, 3, 3, 0, 0, tzinfo=UTC), tick=False):
            record(self.alice, "checkin.write", "checkin", "=1+2")

    def exported(self, *args: str) -> list[dict[str, str]]:
        status, out, err = run("audit", "export", *args)
        self.assertEqual(status, 0, err)
        return list(csv.DictReader(io.StringIO(out)))

    def test_a_members_entries_by_email_include_a_clinicians_reads_and_nobody_elses(self) -> None:
        rows = self.exported("--member", "ALICE@example.org")
        self.assertEqual(
            [(r["actor_kind"], r["action"], r["target_id"]) for r in rows],
            [
                ("member", "account.signin", self.alice_id),
                ("clinician", "care.read.results", self.alice_id),
                ("member", "checkin.write", "'=1+2"),  # a spreadsheet formula neutralised
            ],
        )
        self.assertEqual(list(rows[0]), list(export.COLUMNS))
        first = AuditEvent.objects.get(action="account.signin")
        self.assertEqual(
            (rows[0]["sequence"], rows[0]["at"], rows[0]["hash"]),
            (str(first.sequence), "2026-03-01T09:00:00.000000Z", first.hash),
        )
        self.assertEqual(rows[1]["actor_public_id"], str(self.carol.public_id))

    def test_a_deleted_members_entries_are_found_by_public_id(self) -> None:
        self.alice.delete()
        rows = self.exported("--member", self.alice_id)
        self.assertEqual(
            [r["action"] for r in rows], ["account.signin", "care.read.results", "checkin.write"]
        )
        status, _out, err = run("audit", "export", "--member", "alice@example.org")
        self.assertEqual(status, 1)
        self.assertIn("found by its public id", err)

    def test_a_period_is_whole_utc_days_and_the_export_is_audited(self) -> None:
        rows = self.exported("--since", "2026-03-02", "--until", "2026-03-02")
        self.assertEqual([r["action"] for r in rows], ["checkup.read", "care.read.results"])
        last = AuditEvent.objects.order_by("-sequence").first()
        assert last is not None
        self.assertEqual(
            (last.actor_kind, last.action, last.target_type), ("system", "audit.export", "audit")
        )
        self.assertEqual(last.target_id, "2026-03-02..2026-03-02")

    def test_json_has_the_same_columns_and_a_number_for_the_sequence(self) -> None:
        status, out, _err = run(
            "audit", "export", "--member", self.alice_id, "--since", "2026-03-02", "--format", "json"
        )
        self.assertEqual(status, 0)
        rows = json.loads(out)
        self.assertEqual([r["action"] for r in rows], ["care.read.results", "checkin.write"])
        self.assertEqual(list(rows[0]), list(export.COLUMNS))
        self.assertIsInstance(rows[0]["sequence"], int)
        self.assertEqual(
            json.loads(run("audit", "export", "--since", "2030-01-01", "--format", "json")[1]), []
        )

    def test_it_refuses_what_it_cannot_read_clearly(self) -> None:
        for args, words in [
            (("--member", "nobody"), "email address or a public id"),
            (("--since", "yesterday"), "write a date"),
            (("--since", "2026-03-01T09:00"), "needs an offset"),
            (("--since", "2026-03-03", "--until", "2026-03-02"), "--since must come before --until"),
        ]:
            status, out, err = run("audit", "export", *args)
            self.assertEqual((status, out), (1, ""), args)
            self.assertIn(words, err)

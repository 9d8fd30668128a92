"""On PostgreSQL the database itself refuses to change or remove audit events (audit migration 0003)."""

from __future__ import annotations

import unittest

from django.db import DatabaseError, connection, transaction
from django.test import TestCase

from bounceback.audit.models import AuditEvent
from bounceback.audit.record import record

TABLE = AuditEvent._meta.db_table


@unittest.skipUnless(
    connection.vendor == "postgresql",
    f"the append-only triggers exist on PostgreSQL only (this run uses {connection.vendor})",
)
class AppendOnlyTest(TestCase):
    def setUp(self) -> None:
        record(None, "fhir.export", "user", "abc")

    def refused(self, sql: str) -> None:
        with (
            self.assertRaisesMessage(DatabaseError, "append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)

    def test_it_refuses_update(self) -> None:
        self.refused(f"UPDATE {TABLE} SET target_id = 'changed'")  # noqa: S608 - our own table name
        self.assertEqual(AuditEvent.objects.get().target_id, "abc")

    def test_it_refuses_delete(self) -> None:
        self.refused(f"DELETE FROM {TABLE}")  # noqa: S608
        self.assertEqual(AuditEvent.objects.count(), 1)

    def test_it_refuses_truncate_unless_the_test_run_allows_it(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL bounceback.audit_truncate = 'off'")
            self.refused(f"TRUNCATE {TABLE}")
        self.assertEqual(AuditEvent.objects.count(), 1)

    def test_it_still_takes_new_events(self) -> None:
        record(None, "fhir.export", "user", "def")
        self.assertEqual(AuditEvent.objects.count(), 2)

"""Twenty writers at once never fork the chain: sequences 1..N with no gap or duplicate, and verify passes
(SQLite and PostgreSQL). Also the command line's exit status, and the migration that chains existing rows."""

from __future__ import annotations

import threading

from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from bounceback.audit import chain
from bounceback.audit.models import AuditEvent, ChainHead
from bounceback.audit.record import record

from .tampering import TABLE, run_cli, tamper

THREADS = 20
EACH = 10


class ConcurrentAppendTest(TransactionTestCase):
    def test_twenty_writers_at_once_make_one_unbroken_chain(self) -> None:
        record(None, "fhir.export", "user", "before")
        errors: list[BaseException] = []
        barrier = threading.Barrier(THREADS)

        def write(n: int) -> None:
            try:
                barrier.wait(timeout=30)
                for k in range(EACH):
                    if n % 2:  # half inside a caller's transaction, half on their own
                        with transaction.atomic():
                            record(None, "fhir.export", "user", f"{n}-{k}")
                    else:
                        record(None, "fhir.export", "user", f"{n}-{k}")
                with transaction.atomic():  # a rolled-back entry leaves no gap
                    record(None, "fhir.export", "user", f"{n}-undone")
                    transaction.set_rollback(True)
            except BaseException as exc:  # asserted on in the main thread
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=write, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        total = 1 + THREADS * EACH
        self.assertEqual(
            list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)),
            list(range(1, total + 1)),
        )
        self.assertFalse(AuditEvent.objects.filter(target_id__endswith="undone").exists())
        status, out, err = run_cli("audit", "verify")
        self.assertEqual((status, err), (0, ""))
        self.assertTrue(out.startswith(f"audit chain intact: {total} entries\n"), out)


class CommandLineTest(TransactionTestCase):
    def test_verify_exits_0_when_intact_and_1_naming_the_break(self) -> None:
        for n in range(3):
            record(None, "fhir.export", "user", str(n))
        self.assertEqual(run_cli("audit", "verify")[0], 0)
        tamper("UPDATE {table} SET action = 'fhir.import' WHERE sequence = 2")
        status, _out, err = run_cli("audit", "verify")
        self.assertEqual(status, 1)
        self.assertIn("audit chain broken at entry 2: content changed", err)


class MigrationTest(TransactionTestCase):
    """Migration 0004 chains the rows already there in primary-key order (on PostgreSQL with the append-only
    trigger switched off for the backfill only), and an empty table gets an empty head."""

    BEFORE = [("audit", "0003_append_only")]

    def setUp(self) -> None:
        self.addCleanup(lambda: self.migrate(self.latest()))  # whatever happens, the database ends up current

    def migrate(self, target: list[tuple[str, str]]) -> None:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(target)

    def latest(self) -> list[tuple[str, str]]:
        return [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "audit"]

    def test_existing_rows_are_chained_in_order_and_the_trigger_is_back(self) -> None:
        self.migrate(self.BEFORE)
        with connection.cursor() as cursor:
            for n in range(4):
                cursor.execute(
                    f"INSERT INTO {TABLE} (at, actor_id, actor_public_id, actor_kind, action, target_type, "  # noqa: S608
                    "target_id) VALUES (%s, NULL, '', 'system', 'fhir.export', 'user', %s)",
                    [f"2026-01-0{n + 1} 03:04:05.{n:06d}+00:00", f"old{n}"],
                )
        self.migrate(self.latest())
        rows = list(AuditEvent.objects.order_by("pk"))
        self.assertEqual([(e.sequence, e.target_id) for e in rows], [(n + 1, f"old{n}") for n in range(4)])
        self.assertEqual(rows[0].prev_hash, chain.GENESIS)
        self.assertEqual(ChainHead.objects.values_list("sequence", flat=True).get(), 4)
        record(None, "fhir.export", "user", "new")
        self.assertEqual(
            run_cli("audit", "verify")[:2],
            (0, f"audit chain intact: 5 entries\nlast entry: 5:{AuditEvent.objects.get(sequence=5).hash}\n"),
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_append_only_rows'")
                self.assertEqual(cursor.fetchone(), ("O",))

    def test_an_empty_table_gets_an_empty_head(self) -> None:
        self.migrate(self.BEFORE)
        self.migrate(self.latest())
        self.assertEqual(ChainHead.objects.values_list("sequence", flat=True).get(), 0)

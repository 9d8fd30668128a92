"""``bounceback audit verify``: an intact chain passes; a changed, deleted or forged row is caught and named,
on SQLite and on PostgreSQL (hazard H18)."""

from __future__ import annotations

from django.test import TestCase

from bounceback.audit.models import AuditEvent, ChainHead
from bounceback.audit.record import record

from .tampering import forge_after_the_last, run, tamper


class VerifyTest(TestCase):
    def setUp(self) -> None:
        for n in range(1, 6):
            record(None, "fhir.export", "user", f"u{n}")

    def assert_broken(self, sequence: int, kind: str) -> str:
        status, out, err = run("audit", "verify")
        self.assertEqual(status, 1, out + err)
        self.assertIn(f"audit chain broken at entry {sequence}: {kind}: ", err)
        self.assertNotIn("intact:", out)
        return err

    def test_an_intact_chain_passes_and_prints_its_last_hash(self) -> None:
        status, out, err = run("audit", "verify")
        last = AuditEvent.objects.get(sequence=5)
        self.assertEqual((status, err), (0, ""))
        self.assertEqual(out, f"audit chain intact: 5 entries\nlast entry: 5:{last.hash}\n")

    def test_an_empty_trail_is_intact(self) -> None:
        tamper("DELETE FROM {table}")
        ChainHead.objects.all().delete()
        self.assertEqual(run("audit", "verify")[:2], (0, "audit chain intact: 0 entries\n"))

    def test_a_changed_row_is_named(self) -> None:
        tamper("UPDATE {table} SET target_id = 'someone else' WHERE sequence = 3")
        self.assert_broken(3, "content changed")

    def test_a_changed_time_is_named(self) -> None:
        tamper("UPDATE {table} SET actor_kind = 'operator' WHERE sequence = 1")
        self.assert_broken(1, "content changed")

    def test_a_changed_and_rehashed_row_breaks_the_next_link(self) -> None:
        tamper("UPDATE {table} SET hash = %s WHERE sequence = 2", ["a" * 64])
        self.assert_broken(2, "content changed")
        tamper("UPDATE {table} SET prev_hash = %s WHERE sequence = 3", ["a" * 64])
        self.assert_broken(2, "content changed")

    def test_a_changed_previous_hash_is_named(self) -> None:
        tamper("UPDATE {table} SET prev_hash = %s WHERE sequence = 4", ["b" * 64])
        self.assert_broken(4, "previous hash mismatch")

    def test_a_deleted_row_is_named(self) -> None:
        tamper("DELETE FROM {table} WHERE sequence = 2")
        err = self.assert_broken(2, "gap in sequence")
        self.assertIn("entry 2 is missing (deleted)", err)

    def test_deleted_last_rows_are_named(self) -> None:
        tamper("DELETE FROM {table} WHERE sequence >= 4")
        err = self.assert_broken(4, "deleted rows")
        self.assertIn("entries 4 to 5 are missing", err)

    def test_recording_carries_on_after_a_deletion_and_the_gap_stays_named(self) -> None:
        tamper("DELETE FROM {table} WHERE sequence = 5")
        record(None, "fhir.export", "user", "after")
        self.assertEqual(AuditEvent.objects.get(target_id="after").sequence, 6)
        self.assert_broken(5, "gap in sequence")

    def test_a_forged_row_is_named_even_when_hashed_correctly(self) -> None:
        forged = forge_after_the_last()
        self.assert_broken(forged, "not appended by the chain")

    def test_an_anchor_kept_elsewhere_catches_a_rewritten_chain(self) -> None:
        kept = AuditEvent.objects.get(sequence=3).hash
        self.assertEqual(run("audit", "verify", "--anchor", f"3:{kept}")[0], 0)
        status, _out, err = run("audit", "verify", "--anchor", f"3:{'c' * 64}")
        self.assertEqual(status, 1)
        self.assertIn("entry 3: anchor mismatch", err)
        status, _out, err = run("audit", "verify", "--anchor", "3:nonsense")
        self.assertEqual(status, 1)
        self.assertIn("SEQUENCE:HASH", err)

    def test_verifying_records_nothing(self) -> None:
        run("audit", "verify")
        self.assertEqual(AuditEvent.objects.count(), 5)

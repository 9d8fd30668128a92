"""record(): who did what to which record, never content; and audit stays below accounts."""

from __future__ import annotations

import ast
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from bounceback.accounts.models import Role
from bounceback.audit import chain
from bounceback.audit.models import AuditEvent, ChainHead
from bounceback.audit.record import STATEMENTS, entry_of, record, record_many
from bounceback.audit.verify import verify
from bounceback.test import make_user

AUDIT = Path(__file__).resolve().parents[1]


class RecordTest(TestCase):
    def test_it_names_a_signed_in_actor_by_role(self) -> None:
        bob = make_user("bob", role=Role.CLINICIAN)
        record(bob, "checkup.read", "checkup", "abc")
        event = AuditEvent.objects.get()
        self.assertEqual((event.actor_id, event.actor_kind), (bob.pk, "clinician"))

    def test_it_names_a_visitor_and_the_system_without_a_user(self) -> None:
        record(AnonymousUser(), "checkup.create", "checkup", "a")
        record(None, "fhir.export", "user", "b")
        self.assertEqual(
            list(AuditEvent.objects.order_by("pk").values_list("actor_id", "actor_kind")),
            [(None, "visitor"), (None, "system")],
        )


class ChainTest(TestCase):
    def test_each_entry_is_numbered_and_hashed_over_the_one_before(self) -> None:
        bob = make_user("bob", role=Role.CLINICIAN)
        record(bob, "checkup.read", "checkup", "abc")
        record(None, "fhir.export", "user", "def")
        first, second = AuditEvent.objects.order_by("sequence")
        self.assertEqual((first.sequence, first.prev_hash), (1, chain.GENESIS))
        self.assertEqual((second.sequence, second.prev_hash), (2, first.hash))
        for event in (first, second):
            self.assertEqual(event.hash, chain.digest(entry_of(event)))
        self.assertIn(
            f",{len(str(bob.public_id))}:{bob.public_id},9:clinician,",
            chain.canonical(entry_of(first)).decode(),
        )
        self.assertEqual(ChainHead.objects.values_list("sequence", flat=True).get(), 2)

    def test_an_entry_rolled_back_with_its_transaction_leaves_no_gap(self) -> None:
        record(None, "fhir.export", "user", "a")
        with transaction.atomic():
            record(None, "fhir.export", "user", "undone")
            transaction.set_rollback(True)
        record(None, "fhir.export", "user", "b")
        self.assertEqual(
            list(AuditEvent.objects.order_by("sequence").values_list("sequence", "target_id")),
            [(1, "a"), (2, "b")],
        )

    def test_an_entry_costs_the_statements_it_says(self) -> None:
        record(None, "fhir.export", "user", "a")
        with CaptureQueriesContext(connection) as ctx:
            record(None, "fhir.export", "user", "b")
        self.assertEqual(len(ctx.captured_queries), STATEMENTS, [q["sql"] for q in ctx.captured_queries])

    def test_many_entries_at_once_are_chained_in_order_in_the_same_statements(self) -> None:
        record(None, "fhir.export", "user", "a")
        with CaptureQueriesContext(connection) as ctx:
            record_many(None, "care.read.results", "user", ["b", "c", "d"])
        record_many(None, "care.read.results", "user", [])
        record(None, "fhir.export", "user", "e")
        self.assertEqual(len(ctx.captured_queries), STATEMENTS)
        self.assertEqual(
            list(AuditEvent.objects.order_by("sequence").values_list("sequence", "target_id")),
            [(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e")],
        )
        self.assertEqual(verify(), chain.Walk(5, AuditEvent.objects.get(sequence=5).hash, None))

    def test_a_missing_head_is_made_again_from_the_last_entry(self) -> None:
        record(None, "fhir.export", "user", "a")
        ChainHead.objects.all().delete()  # as a test run's flush does
        record(None, "fhir.export", "user", "b")
        first, second = AuditEvent.objects.order_by("sequence")
        self.assertEqual((second.sequence, second.prev_hash), (2, first.hash))


def test_the_audit_app_imports_nothing_from_accounts() -> None:
    """audit sits below accounts: it knows the user model only as settings.AUTH_USER_MODEL."""
    found = []
    for path in AUDIT.rglob("*.py"):
        if "tests" in path.relative_to(AUDIT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.ImportFrom) and node.level > 1:
                names = [
                    f"bounceback.{node.module or ''}",
                    *(f"bounceback.{alias.name}" for alias in node.names),
                ]
            else:
                continue
            found += [f"{path.name}:{node.lineno} {n}" for n in names if n.startswith("bounceback.accounts")]
    assert not found, f"audit imports accounts: {found}"

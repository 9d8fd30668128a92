"""record(): who did what to which record, never content; and audit stays below accounts."""

from __future__ import annotations

import ast
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase

from bounceback.accounts.models import Role
from bounceback.audit.models import AuditEvent
from bounceback.audit.record import record
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

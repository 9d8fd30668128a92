"""Changing the audit table behind record()'s back, as an attacker with database access would.

On PostgreSQL the table's triggers refuse UPDATE and DELETE (migration 0003), so the change runs with
``session_replication_role = replica`` (ordinary triggers off; the test database's user is a superuser).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from typing import Any

from django.core.management import CommandError, call_command
from django.db import connection, transaction

from bounceback.audit import chain
from bounceback.audit.models import AuditEvent

TABLE = connection.ops.quote_name(AuditEvent._meta.db_table)


def tamper(sql: str, params: Sequence[Any] = ()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql.replace("{table}", TABLE), list(params))
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def forge_after_the_last() -> int:
    """Insert an entry after the last one, hashed correctly, straight into the table; its sequence."""
    last = AuditEvent.objects.order_by("-sequence").first()
    assert last is not None
    entry = chain.Entry(
        last.sequence + 1, last.at, None, "", "system", "fhir.export", "user", "forged", last.hash
    )
    tamper(
        "INSERT INTO {table} (sequence, at, actor_id, actor_public_id, actor_kind, action, target_type, "
        "target_id, prev_hash, hash) VALUES (%s, %s, NULL, '', 'system', 'fhir.export', 'user', 'forged', %s, %s)",
        [entry.sequence, entry.at, entry.prev_hash, chain.digest(entry)],
    )
    return entry.sequence


def run(*args: str) -> tuple[int, str, str]:
    """``bounceback ARGS`` inside the test's transaction: (exit status, standard output, standard error). The
    command line turns a CommandError into status 1 and its message on standard error (``test_cli.py``)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        return 1, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def run_cli(*args: str) -> tuple[int, str, str]:
    """``bounceback ARGS`` through the real command line (which closes the database connection at the end:
    TransactionTestCase only)."""
    from bounceback.cli import main

    out, err = io.StringIO(), io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()

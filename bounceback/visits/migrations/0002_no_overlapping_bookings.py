"""The database itself refuses two booked appointments of one clinician whose times overlap.

PostgreSQL: an exclusion constraint over the time range (needs the btree_gist extension, which ships with
PostgreSQL's contrib package; creating it needs a role allowed to, see docs/operators.md). SQLite: a trigger on
insert and on update does the same check; SQLite runs one writer at a time, so the check and the write cannot be
interleaved by another booking. Together with the unique (clinician, start) constraint on both.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE visits_appointment ADD CONSTRAINT visits_appointment_no_overlap EXCLUDE USING gist "
    "(clinician_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status = 'booked')",
]
POSTGRES_DOWN = ["ALTER TABLE visits_appointment DROP CONSTRAINT IF EXISTS visits_appointment_no_overlap"]

_OVERLAP = (
    "EXISTS (SELECT 1 FROM visits_appointment a WHERE a.clinician_id = NEW.clinician_id AND a.status = 'booked' "
    "AND a.starts_at < NEW.ends_at AND NEW.starts_at < a.ends_at{other})"
)
SQLITE_UP = [
    "CREATE TRIGGER visits_appointment_no_overlap_insert BEFORE INSERT ON visits_appointment "
    f"WHEN NEW.status = 'booked' AND {_OVERLAP.format(other='')} "
    "BEGIN SELECT RAISE(ABORT, 'visits_appointment_no_overlap'); END",
    "CREATE TRIGGER visits_appointment_no_overlap_update BEFORE UPDATE ON visits_appointment "
    f"WHEN NEW.status = 'booked' AND {_OVERLAP.format(other=' AND a.id <> NEW.id')} "
    "BEGIN SELECT RAISE(ABORT, 'visits_appointment_no_overlap'); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS visits_appointment_no_overlap_insert",
    "DROP TRIGGER IF EXISTS visits_appointment_no_overlap_update",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]

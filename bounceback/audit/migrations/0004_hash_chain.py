"""Hash-chain the audit trail: a sequence number, the previous entry's hash and the entry's own hash on every row
(``bounceback/audit/chain.py`` documents the canonical form), and the one-row chain head.

The rows already there are chained in primary-key order. On PostgreSQL the table refuses UPDATE (migration 0003),
so this migration switches off its row trigger, fills the three columns and switches it back on, all in its one
transaction: ALTER TABLE holds the table's exclusive lock until the commit, so no other session ever sees the
trigger off, and if anything fails the trigger is back as it was.
"""

from __future__ import annotations

import django.utils.timezone
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from bounceback.audit import chain

BATCH = 1000


def chain_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote(AuditEvent._meta.db_table)
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_append_only_rows", params=None)
    update = f"UPDATE {table} SET sequence = %s, prev_hash = %s, hash = %s WHERE id = %s"  # noqa: S608
    rows = (
        AuditEvent.objects.using(connection.alias)
        .order_by("pk")
        .values_list(
            "pk", "at", "actor_id", "actor_public_id", "actor_kind", "action", "target_type", "target_id"
        )
    )
    sequence, prev = 0, chain.GENESIS
    batch: list[tuple[int, str, str, int]] = []
    for pk, at, actor_id, actor_public_id, actor_kind, action, target_type, target_id in rows.iterator(
        chunk_size=BATCH
    ):
        sequence += 1
        entry = chain.Entry(
            sequence, at, actor_id, actor_public_id, actor_kind, action, target_type, target_id, prev
        )
        prev_hash, prev = prev, chain.digest(entry)
        batch.append((sequence, prev_hash, prev, pk))
        if len(batch) >= BATCH:
            with connection.cursor() as cursor:
                cursor.executemany(update, batch)
            batch = []
    if batch:
        with connection.cursor() as cursor:
            cursor.executemany(update, batch)
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_append_only_rows", params=None)
    ChainHead.objects.using(connection.alias).create(id=1, sequence=sequence, hash=prev)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only")]

    operations = [
        migrations.CreateModel(
            name="ChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True),
        ),
    ]

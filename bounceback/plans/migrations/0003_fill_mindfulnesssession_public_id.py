"""Step 2 of 3: a distinct uuid4 for every existing mindfulness session."""

import uuid

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def fill_public_ids(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    MindfulnessSession = apps.get_model("plans", "MindfulnessSession")
    for session in MindfulnessSession.objects.filter(public_id__isnull=True).only("pk").iterator():
        session.public_id = uuid.uuid4()
        session.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_mindfulnesssession_public_id"),
    ]

    operations = [
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
    ]

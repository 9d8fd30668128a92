"""Give each mindfulness session an opaque public id for the audit trail (hazard H13), step 1 of 3.

Three migrations, as Django advises for a new unique field on a table with rows (and so PostgreSQL never alters a
table with pending trigger events): add the column nullable (0002), give each row its own uuid (0003), then make it
unique and required (0004).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="mindfulnesssession",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]

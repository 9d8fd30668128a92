"""Step 3 of 3: the public id is unique, required and set for new sessions."""

import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_fill_mindfulnesssession_public_id"),
    ]

    operations = [
        migrations.AlterField(
            model_name="mindfulnesssession",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]

"""The chain head keeps the last sequence number only: ``record()`` reads the previous hash from the entry
itself, so each append updates the head once (fewer dead row versions on PostgreSQL)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_hash_chain")]

    operations = [migrations.RemoveField(model_name="chainhead", name="hash")]

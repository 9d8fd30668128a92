"""Store the results of check-ups completed before results were stored (recomputed from the raw answers)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def store(apps: Any, schema_editor: Any) -> None:
    from bounceback.instruments.battery import score_battery

    CheckUp = apps.get_model("checkups", "CheckUp")
    StoredResult = apps.get_model("checkups", "StoredResult")
    for checkup in CheckUp.objects.filter(completed_at__isnull=False, results__isnull=True).iterator():
        answers = dict(checkup.answers.values_list("item_id", "value"))
        rows = []
        for instrument_id, r in score_battery(answers, checkup.declined).items():
            exact = r.exact_total
            rows.append(
                StoredResult(
                    checkup=checkup,
                    instrument_id=instrument_id,
                    instrument_version=r.version,
                    total=None if r.total is None else float(r.total),
                    exact_total="" if exact is None else str(exact),
                    band=r.band or "",
                    complete=r.complete,
                    flags=f";{';'.join(sorted(r.flags))};" if r.flags else "",
                    completed_at=checkup.completed_at,
                )
            )
        StoredResult.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("checkups", "0002_stored_results")]
    operations = [migrations.RunPython(store, migrations.RunPython.noop)]

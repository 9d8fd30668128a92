"""The member's own export: the one read of everything they have, audited (the verb only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.audit.record import record

from . import export

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "application/zip",
    "fhir": "application/fhir+json",
}
SUFFIXES = {"json": "json", "csv": "csv.zip", "fhir": "fhir.json"}


@dataclass(frozen=True)
class Download:
    filename: str
    """``bounceback-export-<date>.<suffix>``: the date it was made and nothing else (never a name, an email
    or anything about health)."""
    content_type: str
    body: bytes


def export_for(user: User, fmt: str) -> Download:
    """Everything ``user`` has, as ``json``, ``csv`` or ``fhir``: theirs only (every table is read by the
    user's own id). Audited as ``account.export.<format>`` on the account's public id, never with content."""
    if fmt not in export.FORMATS:
        raise ValueError(f"format: {fmt!r} is not one of {', '.join(export.FORMATS)}")
    made_at = timezone.now()
    if fmt == "fhir":
        body = export.as_fhir(user, made_at)
    else:
        gathered = export.gather(user, made_at)
        body = export.as_json(gathered) if fmt == "json" else export.as_csv_zip(gathered)
    record(user, f"account.export.{fmt}", "user", str(user.public_id))
    return Download(f"bounceback-export-{made_at:%Y-%m-%d}.{SUFFIXES[fmt]}", CONTENT_TYPES[fmt], body)

"""The member's export in three formats: JSON, CSV (a zip of one file per table) and a FHIR R4 Bundle.

The tables come from the registry (every app's ``personal.py``), so the JSON and the CSV always hold the same
tables; the FHIR Bundle holds what FHIR has a place for (``fhir.records.member_bundle``: every check-up's answers,
the totals of the finished ones, and every daily check-in).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from bounceback.accounts.models import User
from bounceback.fhir.conformance import problems
from bounceback.fhir.records import member_bundle

from .registry import Table, tables

FORMAT = "bounceback-export"
VERSION = 1
"""The JSON export's format and version, written at its top (bumped when a table or column changes meaning)."""
FORMATS = ("json", "csv", "fhir")


@dataclass(frozen=True)
class Gathered:
    """Every table of one person's export, read at one moment."""

    subject: str
    """The account's public id."""
    made_at: datetime
    tables: tuple[tuple[Table, list[dict[str, object]]], ...]


def gather(user: User, made_at: datetime) -> Gathered:
    found = []
    for table in tables():
        rows = [dict(row) for row in table.rows(user)]
        for row in rows:
            if tuple(row) != table.columns:
                raise ValueError(f"export table {table.name}: a row has {tuple(row)}, not {table.columns}")
        found.append((table, rows))
    return Gathered(str(user.public_id), made_at, tuple(found))


def plain(value: object) -> object:
    """A value as JSON holds it: dates and times in ISO 8601 (times with their zone), ids as text, decimals
    as numbers (check-in sleep hours are whole or half hours, exact in binary), lists and dicts as they are."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def as_json(gathered: Gathered) -> bytes:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "account": gathered.subject,
        "exported_at": gathered.made_at.isoformat(),
        "tables": {table.name: [plain(row) for row in rows] for table, rows in gathered.tables},
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def cell(value: object) -> str:
    """A value as one CSV cell: empty for none, true/false, lists and dicts as JSON."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def as_csv_zip(gathered: Gathered) -> bytes:
    """A zip with one UTF-8 CSV per table (a header row, then one row per record), even for empty tables."""
    buffer = io.BytesIO()
    stamp = gathered.made_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, rows in gathered.tables:
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(table.columns)
            writer.writerows([cell(row[c]) for c in table.columns] for row in rows)
            info = zipfile.ZipInfo(f"{table.name}.csv", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.getvalue().encode())
    return buffer.getvalue()


def as_fhir(user: User, made_at: datetime) -> bytes:
    """The FHIR R4 Bundle, refused if it breaks our own conformance checks (as ``bounceback fhir`` does)."""
    bundle = member_bundle(user, made_at)
    found = problems(bundle)
    if found:
        raise ValueError("the FHIR export does not conform: " + "; ".join(found))
    return json.dumps(bundle, ensure_ascii=False, indent=1).encode()

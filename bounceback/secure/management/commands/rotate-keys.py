"""``bounceback rotate-keys [--check] [--batch-size N]``: re-encrypt every encrypted column under the newest key.

Reads the stored tokens themselves (never the text), in batches by primary key, each batch in its own
transaction; a token already under the newest key is left alone, so a second run changes nothing. Each write
is a compare-and-set on the old token, so a value a member changed meanwhile (already under the newest key)
is never overwritten. One audit entry per run, with counts only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from bounceback.audit.record import record
from bounceback.secure import crypto
from bounceback.secure.fields import EncryptedTextField, encrypted_fields


@dataclass
class Tally:
    rotated: int = 0
    current: int = 0
    changed_meanwhile: int = 0
    failed: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.rotated += other.rotated
        self.current += other.current
        self.changed_meanwhile += other.changed_meanwhile
        self.failed += other.failed


def _names(model: type[models.Model], column: EncryptedTextField) -> tuple[str, str, str]:
    """The quoted table, primary-key column and encrypted column (from the model's own metadata)."""
    quote = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None and pk.column and column.column
    return quote(model._meta.db_table), quote(pk.column), quote(column.column)


def _batches(model: type[models.Model], column: EncryptedTextField, size: int) -> Any:
    """(primary key, token) rows holding a token, in primary-key order, ``size`` at a time."""
    table, pk, col = _names(model, column)
    # Identifiers come from the model's own metadata, quoted; values are parameters.
    select = f"SELECT {pk}, {col} FROM {table} WHERE {col} IS NOT NULL AND {col} <> ''"  # noqa: S608
    last: Any = None
    while True:
        with connection.cursor() as cursor:
            if last is None:
                cursor.execute(f"{select} ORDER BY {pk} LIMIT %s", [size])
            else:
                cursor.execute(f"{select} AND {pk} > %s ORDER BY {pk} LIMIT %s", [last, size])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def rotate_column(model: type[models.Model], column: EncryptedTextField, size: int, *, check: bool) -> Tally:
    table, pk, col = _names(model, column)
    update = f"UPDATE {table} SET {col} = %s WHERE {pk} = %s AND {col} = %s"  # noqa: S608
    where = column.where()
    tally = Tally()
    for rows in _batches(model, column, size):
        with transaction.atomic():
            for key, token in rows:
                if crypto.is_current(token):
                    tally.current += 1
                    continue
                try:
                    fresh = crypto.rotate(token, where)
                except crypto.UndecryptableError:
                    tally.failed.append(f"{where} row {key}")
                    continue
                if check:
                    tally.rotated += 1
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(update, [fresh, key, token])
                    if cursor.rowcount == 1:
                        tally.rotated += 1
                    else:
                        tally.changed_meanwhile += 1
    return tally


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column (e.g. check-in journal notes) under the newest key of "
        "BOUNCEBACK_ENCRYPTION_KEYS, in batches. Values already under the newest key are left alone, so it can "
        "be run again safely. With --check nothing is changed, and the command exits with status 1 while any "
        "value still needs an older key. Exits with status 1 when a value cannot be decrypted with any key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="report only; exit 1 if anything needs rotating"
        )
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        check = bool(options["check"])
        size = int(options["batch_size"])
        if not 1 <= size <= 100_000:
            raise CommandError("--batch-size must be a whole number from 1 to 100000")
        total = Tally()
        for model, column in encrypted_fields():
            tally = rotate_column(model, column, size, check=check)
            total.add(tally)
            verb = "need re-encrypting" if check else "re-encrypted"
            self.stdout.write(
                f"{column.where()}: {tally.rotated} {verb}, {tally.current} already under the newest key, "
                f"{len(tally.failed)} undecryptable"
                + (f", {tally.changed_meanwhile} changed meanwhile" if tally.changed_meanwhile else "")
            )
        counts = f"rotated={total.rotated} current={total.current} failed={len(total.failed)}"
        record(None, "keys.check" if check else "keys.rotate", "encryption", counts)
        for failure in total.failed:
            self.stderr.write(f"cannot decrypt: {failure}")
        if total.failed:
            raise CommandError(
                f"{len(total.failed)} values cannot be decrypted with any key in BOUNCEBACK_ENCRYPTION_KEYS: put "
                "back the key they were encrypted with (after the newest one) and run rotate-keys again"
            )
        if check and total.rotated:
            raise CommandError(
                f"{total.rotated} values are still encrypted under an older key: run rotate-keys"
            )
        done = "need re-encrypting" if check else "re-encrypted"
        self.stdout.write(f"{total.rotated} values {done}; {total.current} already under the newest key.")

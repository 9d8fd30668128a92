"""Free text is encrypted at rest: the raw column holds no plain text, rotation moves every value to the newest
key (idempotent, in batches, audited with counts only), and a value whose key was removed fails loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase, override_settings

from bounceback.audit.models import AuditEvent
from bounceback.secure import crypto
from bounceback.secure.fields import EncryptedTextField, encrypted_fields
from bounceback.test import make_user
from bounceback.tests.test_settings import run_manage
from bounceback.tracking.actions import save_checkin
from bounceback.tracking.models import CheckIn

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()
NOTE = "I told nobody, but today I felt hopeless at work. Ünïcode ✓ and a second line:\nstill here."
NOON = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)


def raw_notes() -> list[str]:
    """The journal column as the database holds it, read past Django's field."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM tracking_checkin ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate-keys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@time_machine.travel(NOON, tick=False)
class AtRestTest(TestCase):
    def test_the_raw_journal_column_holds_no_plain_text_and_decrypts(self) -> None:
        alice = make_user("alice")
        save_checkin(alice, date(2026, 6, 3), {"note": NOTE})
        save_checkin(alice, date(2026, 6, 2), {"note": NOTE})
        tokens = raw_notes()
        self.assertEqual(len(tokens), 2)
        for token in tokens:
            for fragment in ("hopeless", "told nobody", "Ünïcode", "still here", NOTE[:10]):
                self.assertNotIn(fragment, token)
            self.assertTrue(token.startswith("gAAAAA"), "a Fernet token")
            self.assertEqual(crypto.decrypt(token), NOTE)
        self.assertNotEqual(tokens[0], tokens[1], "the same text encrypts differently every time")
        self.assertEqual([c.note for c in CheckIn.objects.order_by("id")], [NOTE, NOTE])

    def test_an_empty_note_is_stored_empty(self) -> None:
        save_checkin(make_user("alice"), date(2026, 6, 3), {"mood": 4})
        self.assertEqual(raw_notes(), [""])
        self.assertEqual(CheckIn.objects.get().note, "")

    def test_the_database_cannot_be_asked_about_the_text(self) -> None:
        save_checkin(make_user("alice"), date(2026, 6, 3), {"note": NOTE})
        for lookup in ({"note": NOTE}, {"note__contains": "hopeless"}, {"note__icontains": "x"}):
            with pytest.raises(FieldError, match=r"tracking\.CheckIn\.note is encrypted"):
                list(CheckIn.objects.filter(**lookup))
        self.assertEqual(CheckIn.objects.exclude(note="").count(), 1)

    def test_it_finds_every_encrypted_column(self) -> None:
        found = [(m._meta.label, f.name) for m, f in encrypted_fields()]
        self.assertIn(("tracking.CheckIn", "note"), found)
        self.assertTrue(all(isinstance(f, EncryptedTextField) for _m, f in encrypted_fields()))


@time_machine.travel(NOON, tick=False)
class RotationTest(TestCase):
    def write_under_old_key(self, count: int) -> None:
        with override_settings(BOUNCEBACK_ENCRYPTION_KEYS=[OLD]):
            for n in range(count):
                save_checkin(make_user(f"m{n}"), date(2026, 6, 3), {"note": f"{NOTE} {n}"})

    def test_it_re_encrypts_every_value_under_the_newest_key_in_batches_and_is_idempotent(self) -> None:
        self.write_under_old_key(5)
        with override_settings(BOUNCEBACK_ENCRYPTION_KEYS=[NEW, OLD]):
            save_checkin(make_user("fresh"), date(2026, 6, 3), {"note": "written after the new key"})
            before = raw_notes()
            with pytest.raises(CommandError, match="5 values are still encrypted under an older key"):
                rotate("--check")
            self.assertEqual(raw_notes(), before, "--check changes nothing")
            output = rotate("--batch-size", "2")
            self.assertIn("tracking.CheckIn.note: 5 re-encrypted, 1 already under the newest key", output)
            after = raw_notes()
            self.assertEqual(after[5], before[5], "a value already under the newest key is left alone")
            self.assertTrue(all(a != b for a, b in zip(after[:5], before[:5], strict=True)))
            self.assertIn("0 re-encrypted, 6 already under the newest key", rotate())
            self.assertEqual(raw_notes(), after, "a second run changes nothing")
            rotate("--check")
        with override_settings(BOUNCEBACK_ENCRYPTION_KEYS=[NEW]):  # the old key removed after rotation
            self.assertEqual(
                sorted(c.note for c in CheckIn.objects.all()),
                sorted([*(f"{NOTE} {n}" for n in range(5)), "written after the new key"]),
            )
        events = AuditEvent.objects.filter(target_type="encryption").order_by("id")
        self.assertEqual(
            [(e.action, e.actor_kind, e.target_id) for e in events],
            [
                ("keys.check", "system", "rotated=5 current=1 failed=0"),
                ("keys.rotate", "system", "rotated=5 current=1 failed=0"),
                ("keys.rotate", "system", "rotated=0 current=6 failed=0"),
                ("keys.check", "system", "rotated=0 current=6 failed=0"),
            ],
        )

    def test_a_value_under_a_removed_key_fails_loudly_never_as_garbage(self) -> None:
        self.write_under_old_key(1)
        with override_settings(BOUNCEBACK_ENCRYPTION_KEYS=[NEW]):
            with pytest.raises(crypto.UndecryptableError) as error:
                CheckIn.objects.get()
            message = str(error.value)
            self.assertIn("tracking.CheckIn.note cannot be decrypted with any key", message)
            self.assertIn("bounceback rotate-keys", message)
            self.assertNotIn("gAAAAA", message)
            with pytest.raises(crypto.UndecryptableError):
                list(CheckIn.objects.values_list("note", flat=True))
            err = StringIO()
            with pytest.raises(CommandError, match="1 values cannot be decrypted with any key"):
                call_command("rotate-keys", stdout=StringIO(), stderr=err)
            self.assertIn("cannot decrypt: tracking.CheckIn.note row", err.getvalue())
            self.assertEqual(
                AuditEvent.objects.get(action="keys.rotate").target_id, "rotated=0 current=0 failed=1"
            )
        with override_settings(BOUNCEBACK_ENCRYPTION_KEYS=[NEW, OLD]):  # the old key put back: all is well
            rotate()
        with override_settings(BOUNCEBACK_ENCRYPTION_KEYS=[NEW]):
            self.assertEqual(CheckIn.objects.get().note, f"{NOTE} 0")

    def test_an_altered_token_fails_loudly(self) -> None:
        save_checkin(make_user("alice"), date(2026, 6, 3), {"note": NOTE})
        token = raw_notes()[0]
        with connection.cursor() as cursor:
            cursor.execute("UPDATE tracking_checkin SET note = %s", [token[:-6] + "AAAAAA"])
        with pytest.raises(crypto.UndecryptableError):
            CheckIn.objects.get()
        with connection.cursor() as cursor:
            cursor.execute("UPDATE tracking_checkin SET note = %s", ["plain text that was never encrypted"])
        with pytest.raises(crypto.UndecryptableError):
            CheckIn.objects.get()

    def test_the_development_key_is_used_when_none_is_set_and_is_not_derived_from_the_secret_key(
        self,
    ) -> None:
        self.assertEqual(settings.BOUNCEBACK_ENCRYPTION_KEYS, [settings.DEV_ENCRYPTION_KEY])
        self.assertNotIn(settings.SECRET_KEY, settings.DEV_ENCRYPTION_KEY)


def test_production_refuses_to_start_without_encryption_keys_or_with_the_development_key() -> None:
    base = {
        "BOUNCEBACK_ENV": "production",
        "SECRET_KEY": "k3y-" + "x7Qp9vR2mZ4tL8wN1bC6dF0gH5jK3sA7eU2iO9yT4rE1qW6pL8zX",
        "ALLOWED_HOSTS": "bb.example",
    }
    missing = run_manage("check", **base)
    assert missing.returncode != 0
    assert "BOUNCEBACK_ENCRYPTION_KEYS (or BOUNCEBACK_ENCRYPTION_KEYS_FILE) must be set" in missing.stderr
    development = run_manage(
        "check", **base, BOUNCEBACK_ENCRYPTION_KEYS=f"{NEW},{settings.DEV_ENCRYPTION_KEY}"
    )
    assert development.returncode != 0
    assert "must not contain the development key" in development.stderr
    good = run_manage("check", **base, BOUNCEBACK_ENCRYPTION_KEYS=f"{NEW},{OLD}")
    assert good.returncode == 0, good.stderr


def test_it_names_a_malformed_key_by_position_without_printing_it() -> None:
    result = run_manage("check", BOUNCEBACK_ENCRYPTION_KEYS=f"{NEW}, not-a-key-at-all")
    assert result.returncode != 0
    assert "key(s) number 2 are not Fernet keys" in result.stderr
    assert "not-a-key-at-all" not in result.stderr


def test_it_reads_the_keys_from_a_file(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"{NEW}\n{OLD}\n")
    probe = "from django.conf import settings; print(','.join(settings.BOUNCEBACK_ENCRYPTION_KEYS))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOUNCEBACK_ENCRYPTION_KEYS")}
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "manage.py", "shell", "-c", probe],
        cwd=Path(__file__).resolve().parents[3],
        env={**env, "BOUNCEBACK_ENCRYPTION_KEYS_FILE": str(keys), "BOUNCEBACK_ENV": "development"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"{NEW},{OLD}"

"""A safety plan's entries are encrypted at rest, and ``bounceback rotate-keys`` finds and re-encrypts them."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings

from bounceback.safetyplan import actions
from bounceback.safetyplan.models import SafetyPlanEntry
from bounceback.secure.fields import encrypted_fields
from bounceback.test import make_user

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def raw_entries() -> list[tuple[str, str]]:
    """The text and phone columns as the database holds them, read past Django's fields."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT text, phone FROM safetyplan_safetyplanentry ORDER BY id")
        return [(text, phone) for text, phone in cursor.fetchall()]


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate-keys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class SafetyPlanEncryptionTest(TestCase):
    def test_rotate_keys_finds_the_safety_plan_columns(self) -> None:
        found = [(m._meta.label, f.name) for m, f in encrypted_fields()]
        self.assertIn(("safetyplan.SafetyPlanEntry", "text"), found)
        self.assertIn(("safetyplan.SafetyPlanEntry", "phone"), found)

    def test_the_database_cannot_be_asked_about_the_text(self) -> None:
        actions.add_entry(make_user("alice"), "ask_for_help", "Maya, my sister", "555 0100")
        for lookup in (
            {"text": "Maya, my sister"},
            {"text__icontains": "maya"},
            {"phone__startswith": "555"},
        ):
            with pytest.raises(FieldError, match=r"safetyplan\.SafetyPlanEntry\.(text|phone) is encrypted"):
                list(SafetyPlanEntry.objects.filter(**lookup))
        self.assertEqual(SafetyPlanEntry.objects.exclude(phone="").count(), 1)

    def test_rotate_keys_re_encrypts_every_entry_under_the_newest_key(self) -> None:
        with override_settings(BOUNCEBACK_ENCRYPTION_KEYS=[OLD]):
            for n in range(3):
                actions.add_entry(make_user(f"m{n}"), "professionals", f"Dr Okafor {n}", f"020 7946 095{n}")
            actions.add_entry(make_user("m3"), "warning_signs", "Not sleeping")  # no number: stored empty
        before = raw_entries()
        self.assertTrue(all(text.startswith("gAAAAA") for text, _phone in before))
        with override_settings(BOUNCEBACK_ENCRYPTION_KEYS=[NEW, OLD]):
            output = rotate()
            self.assertIn(
                "safetyplan.SafetyPlanEntry.text: 4 re-encrypted, 0 already under the newest key", output
            )
            self.assertIn(
                "safetyplan.SafetyPlanEntry.phone: 3 re-encrypted, 0 already under the newest key", output
            )
            after = raw_entries()
            self.assertTrue(all(a != b for a, b in zip(after[:3], before[:3], strict=True)))
            self.assertEqual(after[3][1], "", "an empty number stays empty")
            self.assertIn("safetyplan.SafetyPlanEntry.text: 0 re-encrypted, 4 already", rotate())
            rotate("--check")
        with override_settings(BOUNCEBACK_ENCRYPTION_KEYS=[NEW]):  # the old key removed after rotation
            self.assertEqual(
                sorted((e.text, e.phone) for e in SafetyPlanEntry.objects.all()),
                [*((f"Dr Okafor {n}", f"020 7946 095{n}") for n in range(3)), ("Not sleeping", "")],
            )

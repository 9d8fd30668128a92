"""Passwords are hashed with argon2 outside the test run."""

from __future__ import annotations

from pathlib import Path

from django.test import TestCase


class PasswordHashingTest(TestCase):
    def test_it_hashes_passwords_with_argon2_outside_tests(self) -> None:
        from bounceback import settings as project_settings

        # The test run swaps in a fast hasher; the configured default for every other environment is argon2.
        source = Path(project_settings.__file__).read_text()
        self.assertIn('"django.contrib.auth.hashers.Argon2PasswordHasher",\n    "django', source)
        from django.contrib.auth.hashers import Argon2PasswordHasher

        self.assertTrue(
            Argon2PasswordHasher().encode("a long passphrase", "somesaltvalue12").startswith("argon2$")
        )

"""Create the demo accounts for local use (refused in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bounceback.accounts.models import Role, User

DEMO_ACCOUNTS = (
    ("member@demo.bounceback.test", "demo-member", "Demo", "Member", Role.MEMBER, "bounce-back-member"),
    (
        "clinician@demo.bounceback.test",
        "demo-clinician",
        "Demo",
        "Clinician",
        Role.CLINICIAN,
        "bounce-back-clinician",
    ),
)


class Command(BaseCommand):
    help = "Create (or reset) the demo member and demo clinician, and print their logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo creates accounts with published passwords; it never runs in production."
            )
        for email, username, first, last, role, password in DEMO_ACCOUNTS:
            user, _created = User.objects.update_or_create(
                email=email,
                defaults={
                    "username": username,
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "country": "US",
                },
            )
            user.set_password(password)
            user.save()
            self.stdout.write(f"  {role.label:<10} {email:<32} password: {password}")

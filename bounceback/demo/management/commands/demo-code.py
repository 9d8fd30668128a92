"""``bounceback demo-code EMAIL``: the current two-factor code of a demo staff account (never in production).

The demo's clinicians and administrator sign in with two-factor codes like everyone on staff; their TOTP secret
is published with the demo (it is printed by ``make run``), and this prints the code an authenticator app would
show now, so trying the demo needs no phone.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bounceback.accounts.models import User

DEMO_DOMAIN = "@demo.bounceback.test"


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return str(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo staff account (demo data only; never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="a demo account's address, e.g. clinician@demo.bounceback.test")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo-code is for the demo only; it never runs in production.")
        email = str(options["email"]).strip().lower()
        if not email.endswith(DEMO_DOMAIN):
            raise CommandError(f"Only demo accounts (…{DEMO_DOMAIN}) have a published two-factor secret.")
        user = User.objects.filter(email__iexact=email).first()
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first() if user else None
        if totp is None:
            raise CommandError(
                f"No demo account with two-factor sign-in at {email}: run `make run` (seed_demo) first."
            )
        self.stdout.write(current_code(get_adapter().decrypt(totp.data["secret"])))

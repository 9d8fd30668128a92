"""Create the demo accounts for local use, with a completed check-up for the demo member (never in production).

Every write goes through the apps' actions, as for any other command: accounts.actions for the accounts (with
their addresses confirmed) and their onboarding, checkups.actions for the check-up (including moving it three
days into the past). Running it again resets the accounts' names, roles and passwords; it does not onboard
them again or add a second check-up.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bounceback.accounts import actions as accounts
from bounceback.accounts.consent import CONSENT_VERSION
from bounceback.accounts.models import Role, User
from bounceback.checkups import actions as checkups
from bounceback.checkups.models import CheckUp

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

# A person a few months after losing their job: low resilience, moderate depression symptoms, mild anxiety,
# little support, lonely, not very active. No thoughts of self-harm.
DEMO_ANSWERS = {
    **{f"brs_{n}": v for n, v in enumerate((2, 4, 3, 4, 2, 4), start=1)},
    **{f"phq9_{n}": v for n, v in enumerate((2, 2, 2, 2, 1, 1, 1, 1, 0, 1), start=1)},
    **{f"gad7_{n}": v for n, v in enumerate((2, 1, 1, 1, 1, 1, 0), start=1)},
    "pcptsd5_exposure": 0,
    **{f"osss3_{n}": v for n, v in enumerate((2, 3, 3), start=1)},
    **{f"ucla3_{n}": v for n, v in enumerate((2, 2, 2), start=1)},
    "evs_days": 2,
    "evs_minutes": 20,
    **{f"swls_{n}": v for n, v in enumerate((3, 3, 3, 4, 3), start=1)},
}


class Command(BaseCommand):
    help = "Create (or reset) the demo member and demo clinician, and print their logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo creates accounts with published passwords; it never runs in production."
            )
        for email, username, first, last, role, password in DEMO_ACCOUNTS:
            user, _created = accounts.set_up_account(
                email=email, username=username, first_name=first, last_name=last, role=role, password=password
            )
            if user.consent_version != CONSENT_VERSION:
                # Onboarding is the member's own act (audited in their name): once, not on every run.
                accounts.complete_onboarding(
                    user, adult=True, consented=True, country="US", time_zone="America/New_York"
                )
            self.stdout.write(f"  {role.label:<10} {email:<32} password: {password}")
            if role == Role.MEMBER and not CheckUp.objects.filter(owner=user).exists():
                self._demo_checkup(user)

    def _demo_checkup(self, user: User) -> None:
        checkup, _secret = checkups.start_checkup(actor=user, context=["job_loss", "money"], country="US")
        for item_id, value in DEMO_ANSWERS.items():
            checkups.save_answer(checkup, item_id, value, actor=user)
        if not checkups.complete_if_done(checkup, actor=user):
            raise CommandError("the demo answers do not complete the check-up")
        started = timezone.now() - timedelta(days=3)
        checkups.backdate_for_demo(checkup, started_at=started, completed_at=started + timedelta(minutes=9))

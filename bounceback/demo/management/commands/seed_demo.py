"""Create the demo accounts for local use, with three months of history for the demo member (never in production).

Every write goes through the apps' actions, as for any other command: accounts.actions for the accounts (with
their addresses confirmed) and their onboarding, checkups.actions for six fortnightly check-ups (each moved into
the past, the latest three days ago) and tracking.actions for 90 days of daily check-ins. Running it again
resets the accounts' names, roles and passwords; it does not onboard them again, nor add a check-up or a
check-in once the member has any.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bounceback.accounts import actions as accounts
from bounceback.accounts.consent import CONSENT_VERSION
from bounceback.accounts.models import Role, User
from bounceback.checkups import actions as checkups
from bounceback.checkups.models import CheckUp
from bounceback.tracking.actions import local_today, save_checkin, zone_of
from bounceback.tracking.models import CheckIn

from ... import care

DEMO_ACCOUNTS = (
    ("member@demo.bounceback.test", "demo-member", "Demo", "Member", Role.MEMBER, "bounce-back-member"),
)
"""The member with three months of history (in care with the demo clinic: ``demo/care.py`` adds the clinic,
its staff and the other members)."""


def _answers(
    brs: tuple[int, ...],
    phq9: tuple[int, ...],
    gad7: tuple[int, ...],
    osss3: tuple[int, int, int],
    ucla3: tuple[int, int, int],
    evs: tuple[int, int],
    swls: tuple[int, ...],
) -> dict[str, int]:
    """One check-up's answers in the stepped battery's order (each PHQ-2 and GAD-2 at 3 or more, so the full PHQ-9
    and GAD-7 are asked; item 9 always 0)."""
    return {
        **{f"brs_{n}": v for n, v in enumerate(brs, start=1)},
        **{f"phq9_{n}": v for n, v in enumerate((*phq9, 0, 1), start=1)},
        **{f"gad7_{n}": v for n, v in enumerate(gad7, start=1)},
        "pcptsd5_exposure": 0,
        **{f"osss3_{n}": v for n, v in enumerate(osss3, start=1)},
        **{f"ucla3_{n}": v for n, v in enumerate(ucla3, start=1)},
        "evs_days": evs[0],
        "evs_minutes": evs[1],
        **{f"swls_{n}": v for n, v in enumerate(swls, start=1)},
    }


# A person in the months after losing their job, checking in every two weeks, oldest first. At the start: low
# resilience, moderately severe depression symptoms (PHQ-9 16), moderate anxiety (GAD-7 12), poor support,
# lonely, hardly active. Between the second and third check-ups the PHQ-9 falls by 5 and the GAD-7 by 4, both
# reliable changes; by the sixth: PHQ-9 7 (mild), GAD-7 5, BRS 3.83, 150 minutes of exercise a week. Over the
# whole time the PHQ-9 (16 to 7), GAD-7, BRS, OSSS-3 and SWLS all improve reliably. No thoughts of self-harm.
DEMO_CHECKUPS = (
    _answers(
        (2, 4, 3, 4, 2, 4),
        (3, 2, 2, 2, 2, 2, 2, 1),
        (2, 2, 2, 2, 2, 1, 1),
        (2, 2, 3),
        (3, 2, 2),
        (1, 30),
        (3, 3, 3, 4, 3),
    ),
    _answers(
        (2, 4, 3, 3, 2, 4),
        (3, 2, 2, 2, 2, 2, 1, 1),
        (2, 2, 2, 2, 1, 1, 1),
        (2, 3, 3),
        (2, 2, 2),
        (2, 30),
        (3, 3, 4, 4, 3),
    ),
    _answers(
        (3, 3, 3, 3, 3, 3),
        (2, 2, 1, 1, 1, 1, 1, 1),
        (2, 1, 1, 1, 1, 1, 0),
        (3, 3, 3),
        (2, 2, 1),
        (3, 30),
        (4, 4, 4, 4, 3),
    ),
    _answers(
        (3, 3, 4, 3, 3, 3),
        (2, 1, 1, 1, 1, 1, 1, 1),
        (2, 1, 1, 1, 1, 0, 0),
        (3, 3, 4),
        (1, 2, 2),
        (3, 40),
        (4, 4, 4, 5, 4),
    ),
    _answers(
        (4, 3, 4, 3, 3, 2),
        (2, 1, 1, 1, 1, 1, 1, 0),
        (2, 1, 1, 1, 0, 0, 0),
        (3, 4, 4),
        (1, 1, 2),
        (4, 35),
        (5, 4, 5, 5, 4),
    ),
    _answers(
        (4, 2, 4, 3, 4, 2),
        (2, 1, 1, 1, 1, 1, 0, 0),
        (2, 1, 1, 1, 0, 0, 0),
        (3, 4, 4),
        (1, 1, 2),
        (5, 30),
        (5, 5, 5, 5, 4),
    ),
)
DEMO_CHECKUP_EVERY_DAYS = 14
DEMO_LATEST_DAYS_AGO = 3
DEMO_CHECKIN_DAYS = 90
"""Daily check-ins on the 90 days before today (a few skipped, as in life)."""


def demo_checkin(day_number: int, rng: random.Random) -> dict[str, object] | None:
    """Day ``day_number`` (0 = the first of the 90) of the demo member's check-ins, or None for a skipped day.

    Mood drifts up from about 4 to about 7 as the check-ups improve, and is a little higher on days with exercise,
    time with someone who matters, or a full night's sleep, so the progress page has something to show."""
    share = day_number / (DEMO_CHECKIN_DAYS - 1)
    if rng.random() < 0.15:
        return None
    exercised = rng.random() < 0.25 + 0.45 * share
    connected = rng.random() < 0.35 + 0.3 * share
    practised = rng.random() < 0.3 + 0.3 * share
    sleep = Decimal(
        rng.choice((5, 5.5, 6, 6.5, 7, 7, 7.5, 8) if share < 0.5 else (6, 6.5, 7, 7, 7.5, 7.5, 8, 8.5))
    )
    mood = 4 + 3 * share + (1.0 if exercised else 0) + (0.7 if connected else 0) + (0.5 if sleep >= 7 else 0)
    return {
        "mood": max(0, min(10, round(mood - 1 + rng.gauss(0, 1)))),
        "sleep_hours": sleep.quantize(Decimal("0.1")),
        "sleep_quality": max(1, min(5, round(float(sleep) - 4 + rng.gauss(0, 0.7)))),
        "exercise_minutes": rng.choice((20, 30, 30, 40, 45)) if exercised else 0,
        "mindfulness_minutes": rng.choice((5, 10, 10, 15)) if practised else 0,
        "connected": connected,
    }


class Command(BaseCommand):
    help = "Create (or reset) the demo member, the demo clinic with its staff and members, and print their logins."

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
            self.stdout.write(f"  {'Member in care':<32} {email:<34} password: {password}")
            if role == Role.MEMBER and not CheckUp.objects.filter(owner=user).exists():
                self._demo_checkups(user)
            if role == Role.MEMBER and not CheckIn.objects.filter(owner=user).exists():
                self._demo_checkins(user)
            if role == Role.MEMBER:
                care.seed_care(user)
        for what, email, password in care.logins():
            self.stdout.write(f"  {what:<32} {email:<34} password: {password}")
        self.stdout.write(
            f"  Staff sign in with two-factor codes: add the demo secret {care.DEMO_TOTP_SECRET} to an authenticator "
            "app, or run `.venv/bin/bounceback demo-code EMAIL` for the current code."
        )

    def _demo_checkups(self, user: User) -> None:
        now = timezone.now()
        for n, answers in enumerate(DEMO_CHECKUPS):
            checkup, _secret = checkups.start_checkup(actor=user, context=["job_loss", "money"], country="US")
            for item_id, value in answers.items():
                checkups.save_answer(checkup, item_id, value, actor=user)
            if not checkups.complete_if_done(checkup, actor=user):
                raise CommandError("the demo answers do not complete the check-up")
            days_ago = DEMO_LATEST_DAYS_AGO + DEMO_CHECKUP_EVERY_DAYS * (len(DEMO_CHECKUPS) - 1 - n)
            started = now - timedelta(days=days_ago)
            checkups.backdate_for_demo(
                checkup, started_at=started, completed_at=started + timedelta(minutes=9)
            )

    def _demo_checkins(self, user: User) -> None:
        rng = random.Random(90)  # noqa: S311 - demo data, not security
        today = local_today(user)
        zone = zone_of(user)
        for n in range(DEMO_CHECKIN_DAYS):
            day = today - timedelta(days=DEMO_CHECKIN_DAYS - n)
            answers = demo_checkin(n, rng)
            if answers is not None:
                evening = datetime.combine(day, time(20, 0), tzinfo=zone)
                save_checkin(user, day, answers, now=evening)

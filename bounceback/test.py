"""Shared test builders: named people, check-ups answered through the real actions, and jobs raced in threads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import time, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.utils import timezone

from bounceback.accounts.models import Role, User
from bounceback.care.models import CareRelationship, Share
from bounceback.checkups import actions
from bounceback.checkups.access import SESSION_KEY
from bounceback.checkups.models import CheckUp
from bounceback.clinics.models import Clinic, ClinicianProfile, Staff, StaffRole, WeeklyHours

PASSWORD = "a long and unusual passphrase 42"  # noqa: S105 - test accounts only


def make_user(name: str, role: str = Role.MEMBER) -> User:
    """An account whose address is confirmed (as after following the link in the confirmation email)."""
    user = User.objects.create_user(
        username=name, email=f"{name}@example.org", password=PASSWORD, role=role, country="US"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def enable_two_factor(user: User) -> None:
    """Give a clinician or operator a TOTP authenticator, as after setting up two-factor sign-in."""
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "test"})


def member_checkup(user: User, answers: Mapping[str, int] | None = None) -> CheckUp:
    checkup, _secret = actions.start_checkup(actor=user, context=[], country=user.country or "US")
    for item_id, value in (answers or {}).items():
        actions.save_answer(checkup, item_id, value, actor=user)
    return checkup


def visitor_checkup(client: Client, answers: Mapping[str, int] | None = None) -> CheckUp:
    """Start a check-up as a visitor through the page, as a browser would, and answer it via the actions."""
    response = client.post("/checkup/", {"context": ["loss"]})
    assert response.status_code == 302, response
    public_id = response["Location"].split("/")[2]  # /checkup/<public id>/p/<step>/
    checkup = CheckUp.objects.get(public_id=public_id)
    for item_id, value in (answers or {}).items():
        actions.save_answer(checkup, item_id, value, actor=None)
    return checkup


def visitor_secret(client: Client, checkup: CheckUp) -> str:
    return str(client.session[SESSION_KEY][str(checkup.public_id)])


CALM_ANSWERS: dict[str, int] = {
    **{f"brs_{n}": 4 if n % 2 else 2 for n in range(1, 7)},
    "phq9_1": 0,
    "phq9_2": 1,
    "phq9_9": 0,
    "gad7_1": 1,
    "gad7_2": 0,
    "pcptsd5_exposure": 0,
    "osss3_1": 3,
    "osss3_2": 4,
    "osss3_3": 3,
    "ucla3_1": 1,
    "ucla3_2": 1,
    "ucla3_3": 2,
    "evs_days": 3,
    "evs_minutes": 45,
    **{f"swls_{n}": 5 for n in range(1, 6)},
}
"""A complete check-up on the shortest path, with no safety flags."""


# Care: a clinic, its staff and care relationships (issue 10). Builders write rows directly, as a finished
# invitation, profile set-up or booking would leave them; tests of those journeys go through the actions.

WORKING_WEEK = [(weekday, time(9), time(17)) for weekday in range(5)]
"""Monday to Friday, 09:00 to 17:00 in the clinician's zone."""


def make_clinic(
    name: str = "Riverside Counselling", time_zone: str = "America/New_York", country: str = "US"
) -> Clinic:
    return Clinic.objects.create(
        name=name,
        time_zone=time_zone,
        country=country,
        on_call_name="On-call clinician",
        on_call_phone="+1 555 0100",
        on_call_email="oncall@example.org",
        phone="+1 555 0101",
    )


def make_clinician(
    name: str,
    clinic: Clinic,
    *,
    regions: tuple[str, ...] = ("US-NY",),
    time_zone: str = "America/New_York",
    hours: list[tuple[int, time, time]] | None = None,
    two_factor: bool = True,
) -> User:
    """A clinician of the clinic with a profile, weekly hours (default Monday to Friday 09:00–17:00 local) and,
    unless told otherwise, two-factor sign-in set up."""
    user = make_user(name, role=Role.CLINICIAN)
    user.time_zone = time_zone
    user.save(update_fields=["time_zone"])
    Staff.objects.create(user=user, clinic=clinic, role=StaffRole.CLINICIAN)
    ClinicianProfile.objects.create(
        user=user,
        display_name=f"{name.title()} Example",
        credentials="LCSW",
        regions=list(regions),
        languages=["English"],
        modalities=["video", "messaging"],
        bio="Works with people through loss and change.",
        time_zone=time_zone,
    )
    for weekday, start, end in WORKING_WEEK if hours is None else hours:
        WeeklyHours.objects.create(clinician=user, weekday=weekday, start=start, end=end)
    if two_factor:
        enable_two_factor(user)
    return user


def make_clinic_admin(name: str, clinic: Clinic, *, two_factor: bool = True) -> User:
    user = make_user(name, role=Role.OPERATOR)
    Staff.objects.create(user=user, clinic=clinic, role=StaffRole.ADMIN)
    if two_factor:
        enable_two_factor(user)
    return user


def start_care(
    member: User,
    clinician: User,
    kinds: tuple[str, ...] = ("results", "checkins", "safety_plan"),
    days: int = 30,
) -> tuple[CareRelationship, Share]:
    """A care relationship the member agreed to, sharing these kinds for this many days."""
    relationship = CareRelationship.objects.create(
        member=member, clinician=clinician, clinic=Staff.objects.get(user=clinician).clinic
    )
    share = Share.objects.create(
        relationship=relationship,
        until=timezone.now() + timedelta(days=days),
        **{kind: True for kind in kinds},
    )
    return relationship, share


def race(jobs: Sequence[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Runs the jobs in threads released at the same moment, each on its own database connection: what they
    returned and what they raised (in the order they finished)."""
    results: list[object] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def run(job: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            results.append(job())
        except BaseException as exc:  # collected and asserted on in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors

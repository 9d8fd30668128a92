"""The demo clinic (issue 10): Riverside Counselling, two clinicians with profiles and weekly hours in two time
zones, an administrator, the clinicians' two-factor sign-in with a published demo secret, who is on call; the
demo member in care with a booked video visit, what they share and a message thread; a second member not in
care; a third member in care whose recent answer raised a safety alert nobody has acknowledged yet.

Every write goes through the apps' actions (invitations accepted, profiles and diaries saved, visits booked,
messages sent, answers saved), as anyone's would. Running it again adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, time, timedelta
from zoneinfo import ZoneInfo

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test.utils import override_settings
from django.utils import timezone

from bounceback.accounts import actions as accounts
from bounceback.accounts.consent import CONSENT_VERSION
from bounceback.accounts.models import Role, User
from bounceback.alerts import actions as alerts
from bounceback.care import actions as care
from bounceback.care.access import active_relationship
from bounceback.checkups import actions as checkups
from bounceback.checkups.models import CheckUp
from bounceback.clinics import actions as clinics
from bounceback.clinics.models import Clinic, Staff, StaffRole
from bounceback.messaging import actions as messaging
from bounceback.messaging.models import Thread
from bounceback.visits import actions as visits
from bounceback.visits.access import free_slots
from bounceback.visits.models import Appointment

CLINIC = "Riverside Counselling"
QUIET = "django.core.mail.backends.dummy.EmailBackend"
DEMO_TOTP_SECRET = "BOUNCEBACKDEMOSTAFFTWOFACTOR2345"  # noqa: S105 - published demo secret (base32), never in production
"""The demo staff's shared two-factor secret: add it to an authenticator app, or run `bounceback demo-code`."""


@dataclass(frozen=True)
class DemoStaff:
    email: str
    first: str
    last: str
    role: str
    password: str
    credentials: str = ""
    regions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    bio: str = ""
    time_zone: str = "America/New_York"
    hours: tuple[tuple[int, time, time], ...] = ()


STAFF = (
    DemoStaff(
        "clinician@demo.bounceback.test",
        "Maya",
        "Chen",
        StaffRole.CLINICIAN,
        "quiet-river-4821",
        credentials="PsyD",
        regions=("US-NJ", "US-NY"),
        languages=("English", "Mandarin"),
        bio="Clinical psychologist. I work with adults through job loss, grief and big changes, using "
        "cognitive behavioural therapy and a lot of plain talk.",
        hours=tuple((day, time(9), time(17)) for day in range(5)),
    ),
    DemoStaff(
        "clinician2@demo.bounceback.test",
        "Jordan",
        "Rivera",
        StaffRole.CLINICIAN,
        "steady-oak-3907",
        credentials="LCSW",
        regions=("US-CA", "US-NY"),
        languages=("English", "Spanish"),
        bio="Licensed clinical social worker in Los Angeles. Money worries, family strain and anxiety; "
        "evening times for people who work days.",
        time_zone="America/Los_Angeles",
        hours=tuple((day, time(10), time(18)) for day in range(4)),
    ),
    DemoStaff("admin@demo.bounceback.test", "Sam", "Okafor", StaffRole.ADMIN, "clear-sky-5312"),
)


@dataclass(frozen=True)
class DemoMember:
    email: str
    username: str
    first: str
    last: str
    password: str


SECOND_MEMBER = DemoMember(
    "member2@demo.bounceback.test", "demo-member2", "Jamie", "Demo", "bounce-back-member2"
)
FLAGGED_MEMBER = DemoMember(
    "member3@demo.bounceback.test", "demo-member3", "Riley", "Demo", "bounce-back-member3"
)


def logins() -> list[tuple[str, str, str]]:
    """(what, email, password) of the demo's care accounts, for printing."""
    rows = [
        (
            f"{s.first} {s.last}, {'clinician' if s.role == StaffRole.CLINICIAN else 'clinic admin'}",
            s.email,
            s.password,
        )
        for s in STAFF
    ]
    rows.append(("Member not in care", SECOND_MEMBER.email, SECOND_MEMBER.password))
    rows.append(("Member with an alert", FLAGGED_MEMBER.email, FLAGGED_MEMBER.password))
    return rows


def seed_clinic() -> Clinic:
    clinic = Clinic.objects.filter(name=CLINIC).first()
    if clinic is None:
        clinic = clinics.create_clinic(
            None,
            clinics.ClinicSettings(
                name=CLINIC,
                time_zone="America/New_York",
                country="US",
                on_call_name="Jordan Rivera",
                on_call_phone="+1 555 0100",
                on_call_email="clinician2@demo.bounceback.test",
                phone="+1 555 0101",
            ),
        )
    return clinic


def _two_factor(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


def seed_staff(clinic: Clinic, person: DemoStaff) -> User:
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        with override_settings(EMAIL_BACKEND=QUIET):  # accepted at once: nobody needs the invitation email
            _invitation, token = clinics.invite(None, clinic, person.email, person.role)
        user = clinics.accept_invitation(
            token, first_name=person.first, last_name=person.last, password=person.password
        )
    elif not Staff.objects.filter(user=user).exists():
        with override_settings(EMAIL_BACKEND=QUIET):
            _invitation, token = clinics.invite(None, clinic, person.email, person.role)
        clinics.accept_invitation_as(user, token)
    role = Role.CLINICIAN if person.role == StaffRole.CLINICIAN else Role.OPERATOR
    user, _created = accounts.set_up_account(
        email=person.email,
        username=user.username,
        first_name=person.first,
        last_name=person.last,
        role=role,
        password=person.password,
    )
    if user.consent_version != CONSENT_VERSION:
        accounts.complete_onboarding(
            user, adult=True, consented=True, country="US", time_zone=person.time_zone
        )
    _two_factor(user)
    if person.role == StaffRole.CLINICIAN:
        clinics.save_profile(
            user,
            clinics.Profile(
                display_name=f"{person.first} {person.last}",
                credentials=person.credentials,
                regions=person.regions,
                languages=person.languages,
                modalities=("video", "messaging"),
                bio=person.bio,
                response_hours=24,
                accepting=True,
            ),
        )
        _save_week(user, person)
    return user


def seed_member(person: DemoMember, region: str) -> User:
    user, _created = accounts.set_up_account(
        email=person.email,
        username=person.username,
        first_name=person.first,
        last_name=person.last,
        role=Role.MEMBER,
        password=person.password,
    )
    if user.consent_version != CONSENT_VERSION:
        accounts.complete_onboarding(
            user, adult=True, consented=True, country="US", time_zone="America/New_York"
        )
    if user.region != region:
        clinics.choose_region(user, "US", region)
    return user


def seed_visit_and_thread(member: User, clinician: User) -> None:
    """A first visit booked at the clinician's first free time at least a day ahead, sharing results, check-ins
    and the safety plan for 30 days, and a short exchange of messages."""
    if member.region != "US-NY":
        clinics.choose_region(member, "US", "US-NY")
    now = timezone.now()
    if not Appointment.objects.filter(member=member, clinician=clinician).exists():
        profile = clinician.clinician_profile
        slot = next(s for s in free_slots(profile, now) if s.starts_at >= now + timedelta(days=1))
        visits.book_visit(
            member,
            clinician,
            slot.starts_at,
            reason="Since losing my job I have trouble sleeping and keep worrying about money.",
            share_kinds=("results", "checkins", "safety_plan"),
            share_last_day=(now + timedelta(days=30)).date(),
            agree=True,
        )
    relationship = active_relationship(member, clinician)
    assert relationship is not None
    if not Thread.objects.filter(relationship=relationship).exists():
        thread = messaging.start_thread(
            member,
            relationship,
            "Before our first visit",
            "Hello, I booked a video visit. Is there anything I should prepare beforehand?",
        )
        messaging.send_message(
            clinician,
            thread,
            "Thank you for writing. Nothing to prepare: come as you are. If you like, note two or three things that "
            "have been hardest lately. I have your check-up results and will look at them before we meet.",
        )


FLAG_ANSWERS = {
    **{f"brs_{n}": 2 if n % 2 else 4 for n in range(1, 7)},
    **{f"phq9_{n}": 2 for n in range(1, 9)},
    "phq9_9": 1,
    "asq_1": 1,
    "asq_2": 0,
    "asq_3": 0,
    "asq_4": 0,
    "asq_5": 0,
}
"""A recent, unfinished re-assessment: moderately severe symptoms and thoughts of being better off dead on
several days; the ASQ positive but not acute (a non-acute alert, open 24 hours before it goes to on-call)."""


def seed_flagged_member(clinic: Clinic, clinician: User) -> User:
    member = seed_member(FLAGGED_MEMBER, "US-NY")
    if active_relationship(member, clinician) is None:
        relationship = care.agree_to_care(member, clinician)
        care.share_with(
            member, relationship, ("results", "checkins"), (timezone.now() + timedelta(days=60)).date()
        )
    if not CheckUp.objects.filter(owner=member).exists():
        checkup, _secret = checkups.start_checkup(actor=member, context=["illness"], country="US")
        for item_id, value in FLAG_ANSWERS.items():
            checkups.save_answer(checkup, item_id, value, actor=member)
    return member


VISIT_SOON_MINUTES = 5
"""The demo's "now" visit starts this many minutes (rounded up to five) after `make run`: its video room, open
from 10 minutes before the start, is open at once for the two-browser walk-through."""


def seed_visit_soon(member: User, clinician: User, person: DemoStaff) -> Appointment | None:
    """A video visit starting a few minutes from now, unless one is already open or about to be.

    Booked through ``book_visit`` like any other: for that moment only, the clinician's diary offers just that
    slot today (no minimum notice), then it is put back as it was. None when the slot would run past midnight
    in the clinician's zone."""
    now = timezone.now()
    soon = Appointment.objects.filter(
        member=member,
        clinician=clinician,
        status="booked",
        ends_at__gt=now,
        starts_at__lte=now + timedelta(hours=1),
    )
    if soon.exists():
        return None
    diary = _diary(person, min_notice_hours=0)
    local = (now + timedelta(minutes=VISIT_SOON_MINUTES)).astimezone(ZoneInfo(diary.time_zone))
    start = local.replace(second=0, microsecond=0) + timedelta(minutes=-local.minute % 5)
    end = start + timedelta(minutes=diary.slot_minutes + diary.buffer_minutes)
    if end.date() != start.date():
        return None
    clinics.save_diary(clinician, diary, {(start.weekday(), 0): (start.time(), end.time())})
    try:
        visit = visits.book_visit(
            member,
            clinician,
            start.astimezone(UTC),
            reason="A short check-in by video.",
            share_kinds=("results",),
            share_last_day=(now + timedelta(days=30)).date(),
            agree=True,
        )
    finally:
        _save_week(clinician, person)
    return visit


def _diary(person: DemoStaff, *, min_notice_hours: int = 12) -> clinics.Diary:
    """A demo clinician's booking settings: 50-minute visits with 10 minutes between, booked from 12 hours (unless
    told otherwise) to four weeks ahead, cancelled up to a day before."""
    return clinics.Diary(
        time_zone=person.time_zone,
        slot_minutes=50,
        buffer_minutes=10,
        min_notice_hours=min_notice_hours,
        horizon_days=28,
        cancel_cutoff_hours=24,
    )


def _save_week(user: User, person: DemoStaff) -> None:
    week = {(day, n): (start, end) for n, (day, start, end) in enumerate(person.hours)}
    clinics.save_diary(user, _diary(person), week)


def seed_care(demo_member: User) -> None:
    clinic = seed_clinic()
    staff = [seed_staff(clinic, person) for person in STAFF]
    maya, jordan = staff[0], staff[1]
    alerts.set_on_call(None, clinic, jordan)
    seed_member(SECOND_MEMBER, "US-NY")
    seed_visit_and_thread(demo_member, maya)
    seed_visit_soon(demo_member, maya, STAFF[0])
    seed_flagged_member(clinic, maya)

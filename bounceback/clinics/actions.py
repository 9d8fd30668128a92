"""Every write to clinics, their staff, invitations and clinicians' diaries: one function each, owning its
transaction and its audit entry (fixed verbs, public ids, never what was typed).

Views, the ``bounceback create-clinic`` command and tests call these. Checks that need only the values (a
meeting address, a time zone, weekly hours) are made here too, so every caller gets the same refusals as a
``ClinicError`` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from bounceback.accounts.actions import TIME_ZONES
from bounceback.accounts.models import Role, User
from bounceback.audit.record import record
from bounceback.safety.crisis import is_choice

from . import regions, tokens
from .hours import Typed, check_week
from .models import Clinic, ClinicianProfile, Invitation, Modality, Staff, StaffRole, TimeOff, WeeklyHours


class ClinicError(ValueError):
    """A write that cannot be made, with a message that says what was wrong and which field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class WeekError(ClinicError):
    """Weekly hours with problems: every one, by weekday and block."""

    def __init__(self, problems: list[tuple[int, int, str]]) -> None:
        self.problems = problems
        super().__init__("hours", " ".join(message for _d, _b, message in problems))


ROLE_OF_STAFF = {StaffRole.CLINICIAN: Role.CLINICIAN, StaffRole.ADMIN: Role.OPERATOR}
"""The account's role for each place in a clinic: an administrator is an operator."""

INVITATION_SUBJECT = "Your invitation to Bounceback"
INVITATION_BODY = """Hello,

You have been invited to join a clinic on Bounceback. To accept, open this link and choose a password:

{link}

The link works once and expires on {expires} (UTC). You will set up two-factor sign-in straight after.

If you were not expecting this, you can ignore this email.
"""
"""Fixed words and the link: never a member's data, nor who sent it."""


# --- Clinics --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClinicSettings:
    name: str
    time_zone: str
    country: str
    on_call_name: str = ""
    on_call_phone: str = ""
    on_call_email: str = ""
    phone: str = ""
    acute_alert_minutes: int = 60
    non_acute_alert_minutes: int = 24 * 60
    on_call_around_the_clock: bool = False
    external_meeting_url: str = ""


ROOM_MARK = "bb-room-name"


def check_meeting_url(url: str) -> str:
    """An external meeting address: empty, or https with ``{room}`` where each visit's room name goes."""
    url = url.strip()
    if not url:
        return ""
    marked = url.replace("{room}", ROOM_MARK)
    parts = urlsplit(marked)
    if parts.scheme != "https" or not parts.hostname:
        raise ClinicError(
            "external_meeting_url", "The meeting address must start with https:// and name a host."
        )
    if url.count("{room}") != 1 or re.search(r"[{}]", marked):
        raise ClinicError(
            "external_meeting_url", "Put {room} once in the address, where each visit's room name goes."
        )
    if ROOM_MARK in parts.netloc:
        raise ClinicError("external_meeting_url", "Put {room} in the path or query, not in the host name.")
    if re.search(r"[\s<>\"']", url):
        raise ClinicError("external_meeting_url", "The meeting address cannot contain spaces, quotes or < >.")
    return url


def _check_settings(values: ClinicSettings) -> dict[str, Any]:
    name = values.name.strip()
    if not name:
        raise ClinicError("name", "Give the clinic a name.")
    if values.time_zone not in TIME_ZONES:
        raise ClinicError("time_zone", "Choose a time zone from the list.")
    if not is_choice(values.country):
        raise ClinicError("country", "Choose a country from the list.")
    for field in ("acute_alert_minutes", "non_acute_alert_minutes"):
        if not 1 <= getattr(values, field) <= 7 * 24 * 60:
            raise ClinicError(field, "Give a number of minutes from 1 to 10080 (a week).")
    return {
        "name": name,
        "time_zone": values.time_zone,
        "country": values.country,
        "on_call_name": values.on_call_name.strip(),
        "on_call_phone": values.on_call_phone.strip(),
        "on_call_email": values.on_call_email.strip(),
        "phone": values.phone.strip(),
        "acute_alert_minutes": values.acute_alert_minutes,
        "non_acute_alert_minutes": values.non_acute_alert_minutes,
        "on_call_around_the_clock": values.on_call_around_the_clock,
        "external_meeting_url": check_meeting_url(values.external_meeting_url),
    }


@transaction.atomic
def create_clinic(actor: User | None, values: ClinicSettings) -> Clinic:
    """A new clinic (an operator's command: ``actor`` None is the system)."""
    clinic = Clinic.objects.create(**_check_settings(values))
    record(actor, "clinic.create", "clinic", str(clinic.public_id))
    return clinic


@transaction.atomic
def update_clinic(admin: User, clinic: Clinic, values: ClinicSettings) -> Clinic:
    """The clinic's settings, by one of its administrators (``access.clinic_of_admin`` checked that)."""
    _require_admin(admin, clinic)
    for field, value in _check_settings(values).items():
        setattr(clinic, field, value)
    clinic.save()
    record(admin, "clinic.update", "clinic", str(clinic.public_id))
    return clinic


def _require_admin(admin: User, clinic: Clinic) -> Staff:
    staff = (
        Staff.objects.select_for_update()
        .filter(user_id=admin.pk, clinic_id=clinic.pk, role=StaffRole.ADMIN, active=True)
        .first()
    )
    if staff is None:
        raise ClinicError("clinic", "Only an administrator of this clinic can do that.")
    return staff


@transaction.atomic
def set_staff_active(admin: User, staff: Staff, active: bool) -> Staff:
    """Activate or deactivate someone of the admin's clinic. A deactivated clinician cannot be booked, is not
    listed, and reaches no member data (every care access function checks ``Staff.active``). Nobody
    deactivates themselves: a clinic always keeps the administrator who could undo it. Both rows are locked in
    one order, so two administrators deactivating each other at once leave one of them active."""
    if staff.user_id == admin.pk:
        raise ClinicError("active", "You cannot deactivate yourself. Ask another administrator.")
    rows = {
        s.user_id: s
        for s in Staff.objects.select_for_update()
        .filter(clinic_id=staff.clinic_id, user_id__in=[admin.pk, staff.user_id])
        .order_by("pk")
    }
    mine, theirs = rows.get(admin.pk), rows.get(staff.user_id)
    if mine is None or theirs is None or mine.role != StaffRole.ADMIN or not mine.active:
        raise ClinicError("clinic", "Only an administrator of this clinic can do that.")
    if theirs.active != active:
        theirs.active = active
        theirs.save(update_fields=["active"])
        user = User.objects.get(pk=theirs.user_id)
        verb = "clinic.staff.activate" if active else "clinic.staff.deactivate"
        record(admin, verb, "user", str(user.public_id))
    return theirs


# --- Invitations ----------------------------------------------------------------------------------------------


def invitation_link(token: str) -> str:
    return f"{settings.BOUNCEBACK_SITE_URL}/invite/{token}/"


@transaction.atomic
def invite(
    actor: User | None,
    clinic: Clinic,
    email: str,
    role: str = StaffRole.CLINICIAN,
    *,
    days: int | None = None,
) -> tuple[Invitation, str]:
    """A one-time link for someone to join the clinic as a clinician or administrator, emailed to them once
    the transaction commits. Returns the invitation and its token (shown to the command's operator; only the
    token's SHA-256 is stored). An earlier open invitation of the same address to the clinic is withdrawn, so
    one link at a time works. ``actor`` None is an operator's command."""
    if actor is not None:
        _require_admin(actor, clinic)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ClinicError("email", "Give an email address like name@example.org.") from None
    if role not in StaffRole.values:
        raise ClinicError("role", "Choose clinician or administrator.")
    if Staff.objects.filter(user__email__iexact=email).exists():
        raise ClinicError(
            "email", "This address already belongs to someone working for a clinic on Bounceback."
        )
    now = timezone.now()
    for earlier in Invitation.objects.select_for_update().filter(
        clinic=clinic, email__iexact=email, accepted_at=None, withdrawn_at=None
    ):
        earlier.withdrawn_at = now
        earlier.save(update_fields=["withdrawn_at"])
        record(actor, "clinic.invitation.withdraw", "invitation", str(earlier.public_id))
    token = tokens.new_token()
    invitation = Invitation.objects.create(
        clinic=clinic,
        email=email,
        role=role,
        token_digest=tokens.digest(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=days or settings.BOUNCEBACK_INVITATION_DAYS),
    )
    record(actor, "clinic.invitation.create", "invitation", str(invitation.public_id))
    body = INVITATION_BODY.format(
        link=invitation_link(token), expires=f"{invitation.expires_at:%Y-%m-%d %H:%M}"
    )
    transaction.on_commit(lambda: send_mail(INVITATION_SUBJECT, body, None, [email]))
    return invitation, token


@transaction.atomic
def withdraw_invitation(admin: User, invitation: Invitation) -> Invitation:
    _require_admin(admin, invitation.clinic)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is None and invitation.withdrawn_at is None:
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])
        record(admin, "clinic.invitation.withdraw", "invitation", str(invitation.public_id))
    return invitation


class InvitationState:
    OPEN = "open"
    USED = "used"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


def state_of(invitation: Invitation | None) -> str:
    if invitation is None:
        return InvitationState.UNKNOWN
    if invitation.accepted_at is not None:
        return InvitationState.USED
    if invitation.withdrawn_at is not None:
        return InvitationState.WITHDRAWN
    if invitation.expires_at <= timezone.now():
        return InvitationState.EXPIRED
    return InvitationState.OPEN


def _open_invitation(token: str) -> Invitation:
    """The invitation behind a token, locked until the transaction ends, or a ClinicError saying plainly why
    the link no longer works (and nothing else)."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("clinic")
        .filter(token_digest=tokens.digest(token))
        .first()
        if tokens.looks_like_token(token)
        else None
    )
    state = state_of(invitation)
    if state != InvitationState.OPEN or invitation is None:
        raise ClinicError("token", STATE_MESSAGES[state])
    return invitation


STATE_MESSAGES = {
    InvitationState.USED: "This invitation has already been used. Each link works once.",
    InvitationState.WITHDRAWN: "This invitation was withdrawn.",
    InvitationState.EXPIRED: "This invitation has expired. Ask the clinic for a new one.",
    InvitationState.UNKNOWN: "This invitation link does not work. Check that it was copied in full.",
}


def _join(user: User, invitation: Invitation, display_name: str) -> Staff:
    staff = Staff.objects.create(user=user, clinic=invitation.clinic, role=invitation.role)
    if invitation.role == StaffRole.CLINICIAN:
        ClinicianProfile.objects.get_or_create(
            user=user,
            defaults={"display_name": display_name, "time_zone": invitation.clinic.time_zone},
        )
    now = timezone.now()
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(user, "clinic.invitation.accept", "invitation", str(invitation.public_id))
    return staff


def accept_invitation(token: str, *, first_name: str, last_name: str, password: str) -> User:
    """A new account from an open invitation: the role its place in the clinic gives, the invited address
    confirmed (the link reached it), the staff row and, for a clinician, an empty profile. Durable and run
    under the invitation's row lock: two accepts of one link make one account; the second is refused.

    The password is checked by allauth's validators (hashed with Argon2); names are required."""
    first_name, last_name = first_name.strip(), last_name.strip()
    if not first_name:
        raise ClinicError("first_name", "Give your first name.")
    if not last_name:
        raise ClinicError("last_name", "Give your last name.")
    try:
        with transaction.atomic(durable=True):
            invitation = _open_invitation(token)
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ClinicError("email", "An account with this address exists: sign in to accept.")
            user = User(
                email=invitation.email,
                first_name=first_name,
                last_name=last_name,
                role=ROLE_OF_STAFF[StaffRole(invitation.role)],
                time_zone=invitation.clinic.time_zone,
                country=invitation.clinic.country,
            )
            try:
                get_adapter().clean_password(password, user=user)
            except ValidationError as exc:
                raise ClinicError("password1", " ".join(exc.messages)) from None
            user.username = get_adapter().generate_unique_username(
                [first_name, last_name, invitation.email, "staff"]
            )
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(
                user=user, email=invitation.email.lower(), verified=True, primary=True
            )
            record(user, "account.create", "user", str(user.public_id))
            _join(user, invitation, f"{first_name} {last_name}")
    except IntegrityError:
        # Another request made the account (or accepted the link) between our check and our insert.
        raise ClinicError("token", STATE_MESSAGES[InvitationState.USED]) from None
    return user


def accept_invitation_as(user: User, token: str) -> Staff:
    """An open invitation accepted by the signed-in account it was sent to (someone who already had an account:
    a second one is never made). The account takes the role its place in the clinic gives."""
    with transaction.atomic(durable=True):
        invitation = _open_invitation(token)
        if user.email.lower() != invitation.email.lower():
            raise ClinicError("token", "This invitation was sent to another address. Sign in with that one.")
        if Staff.objects.filter(user_id=user.pk).exists():
            raise ClinicError("token", "This account already works for a clinic on Bounceback.")
        user.role = ROLE_OF_STAFF[StaffRole(invitation.role)]
        user.save(update_fields=["role"])
        record(user, "account.role.write", "user", str(user.public_id))
        name = f"{user.first_name} {user.last_name}".strip() or user.email.split("@")[0]
        return _join(user, invitation, name)


# --- Clinician profile and diary --------------------------------------------------------------------------


LANGUAGE = re.compile(r"[^\W\d_][^\W\d_ '()-]*(?:[ '()-]+[^\W\d_]+)*\)?", re.UNICODE)


def parse_languages(text: str) -> list[str]:
    """Language names, comma-separated, as members will read them (at most 12, each up to 40 characters)."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    if len(names) > 12:
        raise ClinicError("languages", "List at most 12 languages.")
    for name in names:
        if len(name) > 40 or not LANGUAGE.fullmatch(name):
            raise ClinicError("languages", "Write language names in letters, separated by commas.")
    return list(dict.fromkeys(names))


@dataclass(frozen=True)
class Profile:
    display_name: str
    credentials: str
    regions: Sequence[str]
    languages: Sequence[str]
    modalities: Sequence[str]
    bio: str
    response_hours: int
    accepting: bool


@transaction.atomic
def save_profile(clinician: User, values: Profile) -> ClinicianProfile:
    """What members see when choosing a clinician. ``access.profile_of`` checked the clinician is active."""
    display_name = values.display_name.strip()
    if not display_name:
        raise ClinicError("display_name", "Give the name members will see.")
    unknown = [r for r in values.regions if not regions.is_region(r)]
    if unknown:
        raise ClinicError("regions", "Choose regions from the list.")
    if any(m not in Modality.values for m in values.modalities):
        raise ClinicError("modalities", "Choose video visits, secure messaging or both.")
    if len(values.bio) > 1200:
        raise ClinicError("bio", "Keep the introduction to 1,200 characters.")
    if not 1 <= values.response_hours <= 14 * 24:
        raise ClinicError("response_hours", "Give a number of hours from 1 to 336 (two weeks).")
    profile, _created = ClinicianProfile.objects.select_for_update().get_or_create(
        user=clinician, defaults={"display_name": display_name, "time_zone": clinician.time_zone}
    )
    profile.display_name = display_name
    profile.credentials = values.credentials.strip()
    profile.regions = sorted(set(values.regions))
    profile.languages = list(values.languages)
    profile.modalities = [m for m in Modality.values if m in values.modalities]
    profile.bio = values.bio.strip()
    profile.response_hours = values.response_hours
    profile.accepting = values.accepting
    profile.save()
    record(clinician, "clinician.profile.write", "user", str(clinician.public_id))
    return profile


DIARY_LIMITS = {
    "slot_minutes": (10, 240, "minutes"),
    "buffer_minutes": (0, 120, "minutes"),
    "min_notice_hours": (0, 14 * 24, "hours"),
    "horizon_days": (1, 365, "days"),
    "cancel_cutoff_hours": (0, 14 * 24, "hours"),
}


@dataclass(frozen=True)
class Diary:
    time_zone: str
    slot_minutes: int
    buffer_minutes: int
    min_notice_hours: int
    horizon_days: int
    cancel_cutoff_hours: int


@transaction.atomic
def save_diary(clinician: User, values: Diary, week: Typed) -> ClinicianProfile:
    """The diary's settings and the weekly hours, replaced together (visits already booked stay booked).
    Every problem with the hours is refused at once, by weekday and block (``WeekError``)."""
    if values.time_zone not in TIME_ZONES:
        raise ClinicError("time_zone", "Choose a time zone from the list.")
    for field, (low, high, unit) in DIARY_LIMITS.items():
        if not low <= getattr(values, field) <= high:
            raise ClinicError(field, f"Give a number of {unit} from {low} to {high}.")
    blocks, problems = check_week(week)
    if problems:
        raise WeekError([(p.weekday, p.block, p.message) for p in problems])
    profile = ClinicianProfile.objects.select_for_update().filter(user_id=clinician.pk).first()
    if profile is None:
        raise ClinicError("time_zone", "Set up your profile first.")
    for field in ("time_zone", *DIARY_LIMITS):
        setattr(profile, field, getattr(values, field))
    profile.save()
    WeeklyHours.objects.filter(clinician_id=clinician.pk).delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(clinician=clinician, weekday=b.weekday, start=b.start, end=b.end) for b in blocks
    )
    record(clinician, "clinician.diary.write", "user", str(clinician.public_id))
    return profile


@transaction.atomic
def add_time_off(clinician: User, first_day: date, last_day: date) -> TimeOff:
    """Whole local days (inclusive) without visits. Visits already booked in them stay booked."""
    if last_day < first_day:
        raise ClinicError("last_day", "The last day must be on or after the first day.")
    if (last_day - first_day).days > 366:
        raise ClinicError("last_day", "Time off can last up to a year at a time.")
    time_off = TimeOff.objects.create(clinician=clinician, first_day=first_day, last_day=last_day)
    record(clinician, "clinician.time_off.create", "time_off", str(time_off.public_id))
    return time_off


@transaction.atomic
def remove_time_off(clinician: User, time_off: TimeOff) -> None:
    if time_off.clinician_id != clinician.pk:
        raise ClinicError("time_off", "That is not your time off.")
    public_id = str(time_off.public_id)
    time_off.delete()
    record(clinician, "clinician.time_off.delete", "time_off", public_id)


# --- Members: where they live --------------------------------------------------------------------------------


@transaction.atomic
def choose_region(member: User, country: str, region: str) -> User:
    """The member's country (crisis lines) and state, province or nation (who may treat them: clinicians are
    licensed by region). The region must be in the country; empty means not said."""
    if not is_choice(country):
        raise ClinicError("country", "Choose a country from the list.")
    if region and region not in regions.regions_of(country):
        raise ClinicError("region", "Choose a place in the country you chose.")
    member.country = country
    member.region = region
    member.save(update_fields=["country", "region"])
    record(member, "account.region.write", "user", str(member.public_id))
    return member

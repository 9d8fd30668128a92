"""Every write to an account: one function each, owning its transaction and its audit entry.

Forms, allauth's sign-up and commands call these; nothing else writes a user's onboarding or role. Audit entries
name the user by their opaque public id, never the sequential primary key, and never hold what was chosen.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from bounceback.audit.record import record
from bounceback.safety.crisis import is_choice

from .consent import CONSENT_VERSION
from .models import Role, User

TIME_ZONES = frozenset(available_timezones() - {"localtime"})


class AccountError(ValueError):
    """A write that cannot be made, with a message that says what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def complete_onboarding(user: User, *, adult: bool, consented: bool, country: str, time_zone: str) -> None:
    """Record that the person confirmed they are an adult and consented (to the current consent text), and
    the country (for crisis resources) and time zone they chose. The person is the actor.

    Durable: consent is committed when this returns, never rolled back with some enclosing write.
    """
    if not adult:
        raise AccountError("adult", "Bounceback accounts are for adults.")
    if not consented:
        raise AccountError("consent", "an account needs consent to how answers are stored.")
    if not is_choice(country):
        raise AccountError("country", f"country: {country!r} is not one of the choices.")
    if time_zone not in TIME_ZONES:
        raise AccountError("time_zone", f"time_zone: {time_zone!r} is not an IANA time zone.")
    with transaction.atomic(durable=True):
        now = timezone.now()
        user.country = country
        user.time_zone = time_zone
        user.adult_confirmed_at = now
        user.consented_at = now
        user.consent_version = CONSENT_VERSION
        user.save(
            update_fields=["country", "time_zone", "adult_confirmed_at", "consented_at", "consent_version"]
        )
        record(user, "account.onboard", "user", str(user.public_id))


def change_time_zone(user: User, time_zone: str) -> None:
    """The member's own time zone (their local days and reminder times follow it)."""
    if time_zone not in TIME_ZONES:
        raise AccountError("time_zone", f"time_zone: {time_zone!r} is not an IANA time zone.")
    with transaction.atomic():
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
        record(user, "account.time_zone.write", "user", str(user.public_id))


def set_up_account(
    *, email: str, username: str, first_name: str, last_name: str, role: Role, password: str
) -> tuple[User, bool]:
    """Create an account, or reset the one with this email (names, role, password), on an operator's
    behalf: the actor is the system. Returns the user and whether it was created.

    The operator vouches for the address, so it is marked confirmed: the person signs in without the
    confirmation email every member's own sign-up needs."""
    if role not in Role.values:
        raise AccountError("role", f"role: {role!r} is not one of {', '.join(Role.values)}.")
    with transaction.atomic(durable=True):
        user, created = User.objects.update_or_create(
            email=email,
            defaults={"username": username, "first_name": first_name, "last_name": last_name, "role": role},
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email.lower(), defaults={"verified": True, "primary": True}
        )
        record(None, "account.create" if created else "account.reset", "user", str(user.public_id))
    return user, created

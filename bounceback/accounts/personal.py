"""What the accounts app (and the sign-in libraries it configures) keeps about a person: its part of the
member's export and of the account deletion (``bounceback/datarights/registry.py`` describes this module)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q

from .models import User

ACCOUNT_COLUMNS = (
    "public_id",
    "email",
    "username",
    "first_name",
    "last_name",
    "role",
    "country",
    "time_zone",
    "date_joined",
    "last_login",
    "adult_confirmed_at",
    "consented_at",
    "consent_version",
)
EMAIL_COLUMNS = ("email", "verified", "primary")
TWO_FACTOR_COLUMNS = ("type", "created_at", "last_used_at")
DEVICE_COLUMNS = ("created_at", "last_seen_at", "ip", "user_agent")
SIGN_IN_COLUMNS = ("attempt_time", "logout_time", "ip_address", "user_agent")


def _account(user: User) -> Iterable[dict[str, object]]:
    return list(User.objects.filter(pk=user.pk).values(*ACCOUNT_COLUMNS))


def _emails(user: User) -> Iterable[dict[str, object]]:
    return list(
        EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email").values(*EMAIL_COLUMNS)
    )


def _two_factor(user: User) -> Iterable[dict[str, object]]:
    """Which kinds of second factor are set up, and when: never their secrets or recovery codes."""
    return list(
        Authenticator.objects.filter(user_id=user.pk).order_by("created_at").values(*TWO_FACTOR_COLUMNS)
    )


def _devices(user: User) -> Iterable[dict[str, object]]:
    return list(UserSession.objects.filter(user_id=user.pk).order_by("created_at").values(*DEVICE_COLUMNS))


def _names(user: User) -> list[str]:
    """What the sign-in lockout may have recorded for this account: its addresses (lower-cased, as
    ``accounts.lockout.account_key`` records them) and its username."""
    emails = {user.email, *EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)}
    return sorted({e.lower() for e in emails if e} | ({user.username} if user.username else set()))


def _recorded_for(user: User) -> Q:
    """The sign-in lockout's rows naming this account (never empty: an account always has an email)."""
    query = Q(pk__in=[])
    for name in _names(user):
        query |= Q(username__iexact=name)
    return query


def _sign_ins(user: User) -> Iterable[dict[str, object]]:
    """Successful sign-ins (and when they ended): the member's own. Failed ones are not exported (below)."""
    return list(
        AccessLog.objects.filter(_recorded_for(user)).order_by("attempt_time").values(*SIGN_IN_COLUMNS)
    )


TABLES = (
    ("account", User, ACCOUNT_COLUMNS, _account),
    ("email_addresses", EmailAddress, EMAIL_COLUMNS, _emails),
    ("two_factor", Authenticator, TWO_FACTOR_COLUMNS, _two_factor),
    ("signed_in_devices", UserSession, DEVICE_COLUMNS, _devices),
    ("sign_ins", AccessLog, SIGN_IN_COLUMNS, _sign_ins),
)

NOT_EXPORTED = {
    EmailConfirmation: "a pending confirmation link's key: a secret for the link, not something about the person",
    LogEntry: "the admin site's change log: an operator's own entries name other people's records",
    User.groups.through: "staff permission groups: the account's role is in the account table",
    User.user_permissions.through: "staff permissions: the account's role is in the account table",
    AccessAttempt: "failed sign-ins typed with the address: anyone can type an address, so the network "
    "addresses and browsers recorded may be someone else's",
    AccessFailureLog: "failed sign-ins typed with the address (as above)",
    AccessAttemptExpiration: "when a failed-sign-in count expires (as above)",
    Session: "the session store: signed keys, not something about the person",
}

ERASED = (
    User,
    User.groups.through,
    User.user_permissions.through,
    EmailAddress,
    EmailConfirmation,
    Authenticator,
    UserSession,
    Session,
    LogEntry,
    AccessLog,
    AccessAttempt,
    AccessAttemptExpiration,
    AccessFailureLog,
)


def erase(user: User) -> dict[str, int]:
    """Sign the person out everywhere, delete what the sign-in lockout recorded under their address, the
    admin log's entries about the account, and the user itself: its email addresses, two-factor
    authenticators, signed-in devices, permissions and admin log entries go with it (cascade)."""
    deleted: Counter[str] = Counter()
    for device in UserSession.objects.filter(user_id=user.pk):
        device.end()  # deletes the session from the session store, then the device row
        deleted[Session._meta.label] += 1
        deleted[UserSession._meta.label] += 1
    recorded = _recorded_for(user)
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        deleted.update(model.objects.filter(recorded).delete()[1])  # AccessAttemptExpiration cascades
    about = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    )
    deleted.update(about.delete()[1])
    deleted.update(User.objects.filter(pk=user.pk).delete()[1])
    return dict(deleted)

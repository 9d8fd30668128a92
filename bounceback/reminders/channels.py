"""What a reminder says, by channel. Nothing in a reminder tells anyone what it is about (hazard H18): no
instrument, score, band or result, in the subject, the body, the headers or the links; the same words for
everyone. The link leads to the member's due check-up, behind sign-in.

Email carries a one-click unsubscribe (RFC 8058): ``List-Unsubscribe`` with an https address holding a signed
token (the member's opaque public id, signed with the site's key), and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``; a POST to that address turns reminder emails off, with no sign-in and no CSRF
token (the signature is the proof).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from bounceback.accounts.models import User

from .models import Outbox

if TYPE_CHECKING:
    from .notices import Notice

SUBJECT = "Your Bounceback check-in reminder"
UNSUBSCRIBE_SALT = "bounceback.reminders.unsubscribe"
BODY = """Hello,

It is time for your next Bounceback check-in. It takes a few minutes.

Start it here (you may be asked to sign in):
{due}

You get this email because reminders are on in your Bounceback account.
Change when they come, or turn them off: {settings}
Stop reminder emails with one click: {unsubscribe}
"""


def absolute(path: str) -> str:
    return f"{settings.BOUNCEBACK_SITE_URL}{path}"


def unsubscribe_token(member: User) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(member.public_id))


def member_of_token(token: str) -> str | None:
    """The public id a genuine token was made for, or None for a forged or damaged one."""
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def unsubscribe_url(member: User) -> str:
    return absolute(reverse("bb-reminders-unsubscribe", args=[unsubscribe_token(member)]))


def reminder_email(row: Outbox, member: User, connection: BaseEmailBackend | None = None) -> EmailMessage:
    unsubscribe = unsubscribe_url(member)
    host = urlsplit(settings.BOUNCEBACK_SITE_URL).hostname or "bounceback"
    return EmailMessage(
        subject=SUBJECT,
        body=BODY.format(
            due=absolute(reverse("bb-due-checkup")),
            settings=absolute(reverse("bb-reminders")),
            unsubscribe=unsubscribe,
        ),
        to=[member.email],
        connection=connection,
        headers={
            "Message-ID": f"<reminder.{row.public_id}@{host}>",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


NOTICE_BODY = """Hello,

{body}

Open Bounceback to see it (you may be asked to sign in):
{link}

This message says nothing about your health or what it concerns, on purpose. You get it because you use
Bounceback.
"""


def notice_email(
    row: Outbox, recipient: User, notice: Notice, connection: BaseEmailBackend | None = None
) -> EmailMessage:
    """A notice by email: the notice's fixed words and a link, nothing else (hazard H18)."""
    host = urlsplit(settings.BOUNCEBACK_SITE_URL).hostname or "bounceback"
    return EmailMessage(
        subject=notice.subject,
        body=NOTICE_BODY.format(body=notice.body, link=absolute(notice.path)),
        to=[recipient.email],
        connection=connection,
        headers={"Message-ID": f"<notice.{row.public_id}@{host}>", "Auto-Submitted": "auto-generated"},
    )

"""Web Push: checking a browser's subscription, the neutral payload, and sending it with pywebpush (VAPID).

What the push service (the browser maker's server) sees: the endpoint it issued, our VAPID public key and contact
(``BOUNCEBACK_VAPID_SUBJECT``), the time, a TTL and an urgency, and an opaque body encrypted for the browser
(aes128gcm, RFC 8291). What the body says is the same for everyone and carries no health data (hazard H18): that a
check-in is waiting, and the link to ``/checkup/due/``, behind sign-in.

A 404 or 410 from the push service means the browser dropped the subscription: it is deleted. Any other failure
raises :class:`PushFailed`, and the outbox retries with its back-off.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.urls import reverse
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

TITLE = "Bounceback"
BODY = "Time for your Bounceback check-in"
TAG = "bounceback-reminder"
TTL_SECONDS = 60 * 60 * 24
"""A reminder not delivered within a day (the device was off) is dropped by the push service: a day-old nudge
is the next one's job."""
URGENCY = "normal"
TIMEOUT_SECONDS = 10
MAX_ENDPOINT = 2048
MAX_BODY = 4096
GONE = {404, 410}


class SubscriptionError(ValueError):
    """A posted subscription we refuse, with a message safe to show (never the value)."""


class PushFailed(Exception):
    """The push service did not take the message (retried with back-off). ``kind`` names the failure only."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(kind)


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str


def enabled() -> bool:
    return bool(settings.BOUNCEBACK_WEB_PUSH)


def digest(endpoint: str) -> str:
    return hashlib.sha256(endpoint.encode()).hexdigest()


def _b64(value: object, what: str, length: int) -> bytes:
    if not isinstance(value, str) or not 0 < len(value) <= 2 * length or not value.isascii():
        raise SubscriptionError(f"The subscription's {what} is missing or malformed.")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise SubscriptionError(f"The subscription's {what} is missing or malformed.") from None
    if len(raw) != length:
        raise SubscriptionError(f"The subscription's {what} is missing or malformed.")
    return raw


def check_endpoint(value: object) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ENDPOINT or not value.isascii():
        raise SubscriptionError("The subscription's endpoint is missing or too long.")
    if any(c.isspace() or ord(c) < 32 for c in value):
        raise SubscriptionError("The subscription's endpoint is not a valid address.")
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise SubscriptionError("The subscription's endpoint is not a valid address.") from None
    loopback = settings.BOUNCEBACK_PUSH_ALLOW_LOOPBACK and parts.scheme == "http" and host == "127.0.0.1"
    if not host or parts.username or parts.password or not (parts.scheme == "https" or loopback):
        raise SubscriptionError("The subscription's endpoint must be an https address.")
    return value


def parse_subscription(data: object) -> Subscription:
    """The browser's ``PushSubscription.toJSON()``: ``{"endpoint": …, "keys": {"p256dh": …, "auth": …}}``."""
    if not isinstance(data, dict):
        raise SubscriptionError("Send the subscription as a JSON object.")
    endpoint = check_endpoint(data.get("endpoint"))
    keys = data.get("keys")
    if not isinstance(keys, dict):
        raise SubscriptionError("The subscription's keys are missing.")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    point = _b64(p256dh, "p256dh key", 65)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        raise SubscriptionError("The subscription's p256dh key is missing or malformed.") from None
    _b64(auth, "auth secret", 16)
    assert isinstance(p256dh, str) and isinstance(auth, str)
    return Subscription(endpoint, p256dh, auth)


def parse_body(body: bytes) -> Any:
    """JSON from a request body, bounded; SubscriptionError for anything else."""
    if len(body) > MAX_BODY:
        raise SubscriptionError("The subscription is too long.")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SubscriptionError("Send the subscription as a JSON object.") from None


def payload(body: str = BODY, url: str = "", tag: str = TAG) -> str:
    """Fixed words (the same for everyone), and where the notification leads (a path on this site)."""
    return json.dumps({"title": TITLE, "body": body, "url": url or reverse("bb-due-checkup"), "tag": tag})


def _vapid() -> Vapid:
    private = settings.BOUNCEBACK_VAPID_PRIVATE_KEY
    if "-----BEGIN" in private:
        return Vapid.from_pem(private.encode())
    return Vapid.from_string(private)


def send(subscription: Subscription, data: str | None = None) -> bool:
    """Push the reminder to one browser. True when delivered, False when the browser is gone (404/410);
    PushFailed for anything else."""
    try:
        webpush(
            {
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=payload() if data is None else data,
            vapid_private_key=_vapid(),
            vapid_claims={"sub": settings.BOUNCEBACK_VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            headers={"Urgency": URGENCY, "Topic": TAG},
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            return False
        raise PushFailed(f"PushService{status}" if status else "WebPushException") from None
    except requests.RequestException as error:
        raise PushFailed(type(error).__name__) from None
    return True

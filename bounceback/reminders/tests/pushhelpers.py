"""Shared by the Web Push tests: a VAPID key pair for the site, a browser's subscription keys, and a real push
service on loopback (http.server in a thread) that keeps what it receives and answers with a chosen status."""

from __future__ import annotations

import base64
import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import override_settings


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


SITE_KEY = ec.generate_private_key(ec.SECP256R1())
VAPID_PUBLIC = b64url(public_point(SITE_KEY))
VAPID_PRIVATE = b64url(SITE_KEY.private_numbers().private_value.to_bytes(32, "big"))
SUBJECT = "mailto:operators@bounceback.example"


def vapid_settings(**extra: Any) -> override_settings:
    return override_settings(
        BOUNCEBACK_VAPID_PUBLIC_KEY=VAPID_PUBLIC,
        BOUNCEBACK_VAPID_PRIVATE_KEY=VAPID_PRIVATE,
        BOUNCEBACK_VAPID_SUBJECT=SUBJECT,
        BOUNCEBACK_WEB_PUSH=True,
        **extra,
    )


@dataclass
class Browser:
    """A browser's side of a subscription: its P-256 key pair and 16-byte auth secret."""

    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    secret: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self, endpoint: str) -> dict[str, Any]:
        return {
            "endpoint": endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(public_point(self.key)), "auth": b64url(self.secret)},
        }


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class PushService:
    """What the push service received, and the status it answers with (per path, or for all)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.status = 201
        self.status_for: dict[str, int] = {}
        self.port = 0

    def endpoint(self, token: str) -> str:
        return f"http://127.0.0.1:{self.port}/push/{token}"


@contextmanager
def push_service() -> Iterator[PushService]:
    service = PushService()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            service.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            status = service.status_for.get(self.path, service.status)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        with contextlib.suppress(OSError):
            server.server_close()

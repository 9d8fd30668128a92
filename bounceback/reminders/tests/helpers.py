"""Shared by the reminder tests: a real SMTP server on loopback (aiosmtpd) that keeps what it accepts and can
hold a session at a chosen step, and members with a schedule."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from bounceback.accounts.models import User
from bounceback.reminders.models import ReminderSettings
from bounceback.test import make_user


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Mailbox:
    """aiosmtpd's handler: stores each message it accepts (250 after DATA). ``hold`` = "DATA" keeps a session
    waiting before the server accepts (then refuses it: never stored); "QUIT" keeps it waiting after."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.hold: str | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.port = 0

    async def _held(self, step: str) -> bool:
        if self.hold != step:
            return False
        self.holding.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 120)
        return True

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if await self._held("DATA"):
            return "451 4.3.0 Not accepted"
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 2.0.0 Accepted"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        await self._held("QUIT")
        return "221 2.0.0 Bye"


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, Controller]]:
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box, controller
    finally:
        box.release.set()
        with contextlib.suppress(AssertionError, RuntimeError):  # already stopped by the test
            controller.stop()


def smtp_settings(port: int) -> override_settings:
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=5,
    )


def member(
    name: str,
    *,
    zone: str = "UTC",
    joined: datetime,
    at: time | None = None,
    quiet: tuple[time, time] | None = None,
    **choices: Any,
) -> User:
    """A member with a confirmed address who signed up at ``joined``, with these reminder choices (if any)."""
    user = make_user(name)
    user.time_zone = zone
    user.date_joined = joined
    user.save(update_fields=["time_zone", "date_joined"])
    if at is not None or quiet is not None or choices:
        fields: dict[str, Any] = dict(choices)
        if at is not None:
            fields["at"] = at
        if quiet is not None:
            fields["quiet_start"], fields["quiet_end"] = quiet
        ReminderSettings.objects.create(member=user, **fields)
    return user


def run_queued() -> list[str]:
    """Run the queued tasks as ``db_worker`` does, in this process."""
    outcomes = []
    while (queued := DBTaskResult.objects.ready().first()) is not None:
        queued.claim("test-worker")
        value = queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
        queued.set_successful(value)
        outcomes.append(str(value))
    return outcomes

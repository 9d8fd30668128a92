"""``bounceback audit verify [--anchor SEQUENCE:HASH …]`` and ``bounceback audit export [--member EMAIL|PUBLIC_ID]
[--since DATE] [--until DATE] [--format csv|json]`` (docs/operators.md, "Audit trail").

verify recomputes the hash chain (``bounceback/audit/chain.py``): it prints "audit chain intact: N entries" and
the last hash, and exits 0, or names the first broken link and exits 1. It records nothing.

export writes the entries of one member, or of a period, or both, to standard output: ids, verbs and hashes,
never content. It records one entry (``audit.export``, by the system).
"""

from __future__ import annotations

import re
import uuid
from argparse import ArgumentParser
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bounceback.audit import export
from bounceback.audit.record import record
from bounceback.audit.verify import verify

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def _anchor(text: str) -> tuple[int, str]:
    found = ANCHOR.match(text.strip().lower())
    if found is None:
        raise CommandError(f"--anchor {text!r}: write SEQUENCE:HASH, e.g. 120:<64 hexadecimal digits>")
    return int(found[1]), found[2]


def _day(text: str | None, option: str, *, end: bool) -> datetime | None:
    """A date is a whole UTC day (--until includes it); a date and time needs its offset."""
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime.combine(day + timedelta(days=1) if end else day, time(), tzinfo=UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} {text!r}: write a date (2026-03-01) or a date and time with an offset"
        ) from None
    if moment.tzinfo is None:
        raise CommandError(
            f"{option} {text!r}: a date and time needs an offset, e.g. 2026-03-01T09:30:00+00:00"
        )
    return moment


def _member(text: str) -> tuple[int | None, str]:
    """(account number or None, public id) of a member named by email or public id; a deleted account's trail
    is found by its public id (its email is gone)."""
    users = get_user_model().objects
    try:
        public_id = str(uuid.UUID(text))
    except ValueError:
        if "@" not in text:
            raise CommandError(f"--member {text!r}: give an email address or a public id") from None
        user = users.filter(email__iexact=text).first()
        if user is None:
            raise CommandError(
                f"--member {text!r}: no account with that email (a deleted account's entries are found by its "
                "public id)"
            ) from None
        return user.pk, str(getattr(user, "public_id", ""))
    user = users.filter(public_id=public_id).first()
    return (user.pk if user is not None else None), public_id


class Command(BaseCommand):
    help = "Check the audit trail's hash chain (verify), or export entries for a member or a period (export)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        v = actions.add_parser("verify", help="recompute the hash chain; exit 1 naming the first broken link")
        v.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQUENCE:HASH",
            help="an entry's hash kept elsewhere (from an earlier verify); may be repeated",
        )
        e = actions.add_parser("export", help="write entries as CSV or JSON to standard output")
        e.add_argument("--member", metavar="EMAIL|PUBLIC_ID", help="entries by or about this member")
        e.add_argument("--since", metavar="DATE", help="from this UTC day (or date and time with offset)")
        e.add_argument("--until", metavar="DATE", help="up to the end of this UTC day (inclusive)")
        e.add_argument("--format", choices=export.FORMATS, default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify([_anchor(a) for a in options["anchor"]])
        else:
            self.export(options)

    def verify(self, anchors: list[tuple[int, str]]) -> None:
        result = verify(anchors=dict(anchors))
        if result.broken is not None:
            raise CommandError(
                f"audit chain broken at {result.broken} ({result.count} entries before it are intact)"
            )
        self.stdout.write(f"audit chain intact: {result.count} entries")
        if result.count:
            self.stdout.write(f"last entry: {result.count}:{result.last_hash}")

    def export(self, options: dict[str, Any]) -> None:
        member_pk, public_id = _member(str(options["member"]).strip()) if options["member"] else (None, "")
        since = _day(options["since"], "--since", end=False)
        until = _day(options["until"], "--until", end=True)
        if since is not None and until is not None and since >= until:
            raise CommandError("--since must come before --until")
        rows = export.entries(member_pk=member_pk, member_public_id=public_id, since=since, until=until)
        self.stdout.ending = ""  # the writer ends its own lines
        count = export.write(rows, options["format"], self.stdout)
        self.stdout.ending = "\n"
        period = f"{options['since'] or ''}..{options['until'] or ''}"
        record(None, "audit.export", "user" if public_id else "audit", public_id or period)
        self.stderr.write(f"{count} entries")

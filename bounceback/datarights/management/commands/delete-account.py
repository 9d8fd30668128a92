"""``bounceback delete-account EMAIL --yes``: delete an account and everything it holds, for an operator.

Asks nothing: without ``--yes`` it refuses and changes nothing. The same action as the member's own page
(``datarights.actions.delete_account``), by the system: one audit entry (``account.delete``, the account's public
id), and the counts of what was deleted printed (never content).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bounceback.accounts.models import User
from bounceback.datarights.actions import delete_account


class Command(BaseCommand):
    help = "Delete an account and all of its data (check-ups, answers, results, safety events, check-ins, …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the account's email address")
        parser.add_argument(
            "--yes", action="store_true", help="really delete (required: the command asks nothing)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"no account with the email {email!r}")
        if not options["yes"]:
            raise CommandError(
                f"this deletes the account {user.public_id} and all of its data, for good; "
                "nothing was changed. Run again with --yes to delete it."
            )
        deleted = delete_account(user, actor=None)
        self.stdout.write(f"Deleted the account {deleted.public_id}:")
        for label, count in deleted.rows.items():
            self.stdout.write(f"  {label}: {count}")

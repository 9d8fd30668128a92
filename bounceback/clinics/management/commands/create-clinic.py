"""``bounceback create-clinic --name … --time-zone … --country US --admin-email …``: a new clinic and the
invitation of its first administrator, for an operator at the shell.

The same actions as the pages (``clinics.actions.create_clinic`` and ``invite``), by the system: audited as
``clinic.create`` and ``clinic.invitation.create``. The invitation is emailed, and its link is printed once
(only its SHA-256 is stored, so it cannot be shown again: invite again for a new one).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from bounceback.clinics import actions
from bounceback.clinics.models import StaffRole


class Command(BaseCommand):
    help = "Create a clinic and invite its first administrator (the link is emailed and printed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="the clinic's name")
        parser.add_argument("--time-zone", required=True, help="IANA time zone, e.g. America/New_York")
        parser.add_argument(
            "--country", required=True, help="ISO 3166-1 alpha-2 code: US, CA or GB (ZZ other)"
        )
        parser.add_argument("--admin-email", required=True, help="the first administrator's email address")
        parser.add_argument("--phone", default="", help="the clinic's phone number (optional)")

    def handle(self, *args: Any, **options: Any) -> None:
        values = actions.ClinicSettings(
            name=options["name"],
            time_zone=options["time_zone"],
            country=str(options["country"]).upper(),
            phone=options["phone"],
        )
        try:
            with transaction.atomic():
                clinic = actions.create_clinic(None, values)
                invitation, token = actions.invite(None, clinic, options["admin_email"], StaffRole.ADMIN)
        except actions.ClinicError as exc:
            raise CommandError(f"{exc.field.replace('_', '-')}: {exc}") from None
        self.stdout.write(f"Created the clinic {clinic.name} ({clinic.public_id}).")
        self.stdout.write(
            f"Invited {invitation.email} as its administrator; the link works once, until "
            f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC:"
        )
        self.stdout.write(actions.invitation_link(token))

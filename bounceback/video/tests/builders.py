"""A booked visit between a member and a clinician, for the video tests (rows written directly, as a booking
leaves them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.test import Client

from bounceback.accounts.models import User
from bounceback.test import make_clinic, make_clinician, make_user, start_care
from bounceback.visits.models import Appointment


@dataclass
class Visit:
    member: User
    clinician: User
    appointment: Appointment

    @property
    def room_url(self) -> str:
        return f"/visits/{self.appointment.public_id}/room/"


def book(starts_at: datetime, *, minutes: int = 50, prefix: str = "") -> Visit:
    clinic = make_clinic()
    clinician = make_clinician(f"{prefix}carol", clinic)
    member = make_user(f"{prefix}mona")
    member.first_name, member.last_name, member.time_zone = "Mona", "Member", "America/New_York"
    member.save(update_fields=["first_name", "last_name", "time_zone"])
    relationship, share = start_care(member, clinician)
    appointment = Appointment.objects.create(
        relationship=relationship,
        member=member,
        clinician=clinician,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        share=share,
    )
    return Visit(member, clinician, appointment)


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client

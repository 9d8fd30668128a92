"""People for the messaging tests: a clinic, a clinician with a member in care, and the people who must not
read their messages."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from bounceback.accounts.models import User
from bounceback.care.models import CareRelationship
from bounceback.test import make_clinic, make_clinic_admin, make_clinician, make_user, start_care


@dataclass
class People:
    alice: User
    """A member in care with Dana."""
    dana: User
    """Alice's clinician (Dana Example, replies within 2 days)."""
    care: CareRelationship
    bob: User
    """Another member, in care with Erin."""
    erin: User
    """Another clinician of the same clinic."""
    olga: User
    """The clinic's administrator."""
    nora: User
    """A member not in care."""


def people() -> People:
    clinic = make_clinic()
    alice, bob, nora = make_user("alice"), make_user("bob"), make_user("nora")
    alice.first_name, alice.last_name = "Alice", "Member"
    alice.save(update_fields=["first_name", "last_name"])
    dana = make_clinician("dana", clinic)
    erin = make_clinician("erin", clinic)
    care, _ = start_care(alice, dana)
    start_care(bob, erin)
    return People(alice, dana, care, bob, erin, make_clinic_admin("olga", clinic), nora)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client

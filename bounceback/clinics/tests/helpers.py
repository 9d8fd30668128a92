"""Shared by the clinics app's page tests: a signed-in client, a clinician signed in, and whether a page sent a
visitor to sign in."""

from __future__ import annotations

from django.http import HttpResponseBase
from django.test import Client, TestCase

from bounceback.accounts.models import User
from bounceback.test import make_clinic, make_clinician


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def asks_to_sign_in(response: HttpResponseBase) -> bool:
    return str(response["Location"]).startswith("/accounts/login/")


class ClinicianSignedInTest(TestCase):
    """Carl, a clinician of a clinic, signed in."""

    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.carl = make_clinician("carl", self.clinic)
        self.client = signed_in(self.carl)

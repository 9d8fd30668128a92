"""Where signing in leads, by role: members to their check-ups, clinicians to their dashboard, clinic
administrators to the clinic page; a ?next= address still wins."""

from __future__ import annotations

from django.test import RequestFactory, TestCase

from bounceback.accounts.adapter import AccountAdapter
from bounceback.accounts.models import Role
from bounceback.test import make_clinic, make_clinic_admin, make_clinician, make_user


class LandingTest(TestCase):
    def landing(self, user: object) -> str:
        request = RequestFactory().get("/")
        request.user = user  # type: ignore[assignment]
        return str(AccountAdapter(request).get_login_redirect_url(request))

    def test_each_role_lands_on_its_home(self) -> None:
        clinic = make_clinic()
        self.assertEqual(self.landing(make_user("alice")), "/me/")
        self.assertEqual(self.landing(make_clinician("bob", clinic)), "/clinician/")
        self.assertEqual(self.landing(make_clinic_admin("ada", clinic)), "/clinic/")
        self.assertEqual(self.landing(make_user("rita", role=Role.RESEARCHER)), "/me/")

"""Until they set up two-factor sign-in, clinicians and operators reach only the set-up, sign-out and the
public pages: nothing that changes or shows their account."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.test import Client, TestCase

from bounceback.accounts.models import Role
from bounceback.test import PASSWORD, enable_two_factor, make_user

ACTIVATE = "/accounts/2fa/totp/activate/"
ACCOUNT_PAGES = (
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/password/set/",
    "/accounts/sessions/",
    "/accounts/2fa/",
    "/accounts/2fa/recovery-codes/",
    "/accounts/2fa/recovery-codes/generate/",
    "/me/",
    "/checkup/",
    "/practice/",
    "/admin/",
)
PUBLIC_PAGES = ("/", "/help/", "/instruments/", "/evidence/")


class TwoFactorGateTest(TestCase):
    def signed_in(self, role: str = Role.CLINICIAN) -> Client:
        client = Client()
        client.post("/accounts/login/", {"login": "bob@example.org", "password": PASSWORD})
        self.assertIn("_auth_user_id", client.session)
        return client

    def setUp(self) -> None:
        self.bob = make_user("bob", role=Role.CLINICIAN)

    def test_account_pages_send_them_to_set_up_two_factor(self) -> None:
        client = self.signed_in()
        for url in ACCOUNT_PAGES:
            for method in (client.get, client.post):
                response = method(url)
                self.assertRedirects(response, ACTIVATE, fetch_redirect_response=False, msg_prefix=url)

    def test_they_cannot_add_an_email_address_or_change_the_password(self) -> None:
        client = self.signed_in()
        client.post("/accounts/email/", {"action_add": "", "email": "mallory@example.org"})
        new = "another long passphrase 43"
        client.post(
            "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
        )
        self.assertFalse(EmailAddress.objects.filter(email="mallory@example.org").exists())
        self.bob.refresh_from_db()
        self.assertTrue(self.bob.check_password(PASSWORD))

    def test_they_reach_the_set_up_sign_out_and_public_pages(self) -> None:
        client = self.signed_in()
        # allauth asks for the password again before setting up an authenticator: that page is reachable too.
        response = client.get(ACTIVATE, follow=True)
        self.assertEqual(
            response.redirect_chain, [(f"/accounts/reauthenticate/?next={ACTIVATE.replace('/', '%2F')}", 302)]
        )
        confirmed = client.post(response.redirect_chain[0][0], {"password": PASSWORD}, follow=True)
        self.assertEqual(confirmed.redirect_chain[-1][0], ACTIVATE)
        self.assertContains(confirmed, "Authenticator")
        for url in PUBLIC_PAGES:
            self.assertEqual(client.get(url).status_code, 200, url)
        self.assertEqual(client.get("/accounts/logout/").status_code, 200)
        client.post("/accounts/logout/")
        self.assertNotIn("_auth_user_id", client.session)

    def test_an_operator_is_held_too(self) -> None:
        make_user("olga", role=Role.OPERATOR)
        client = Client()
        client.post("/accounts/login/", {"login": "olga@example.org", "password": PASSWORD})
        self.assertRedirects(client.get("/accounts/email/"), ACTIVATE, fetch_redirect_response=False)

    def test_after_set_up_the_account_pages_open(self) -> None:
        enable_two_factor(self.bob)
        client = Client()
        client.force_login(self.bob)
        for url in ("/accounts/email/", "/accounts/sessions/", "/accounts/password/change/", "/me/"):
            self.assertEqual(client.get(url).status_code, 200, url)

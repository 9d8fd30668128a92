"""Security keys and passkeys (WebAuthn) as an extra second factor: added after the authenticator app, used to
sign in instead of a code, under the strict CSP (allauth's scripts are static files; its data are JSON blocks).
A forged credential is a wrong code, never an error page."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client, TestCase
from playwright.sync_api import Page

from bounceback.accounts.models import Role
from bounceback.front.tests.test_e2e import axe_violations
from bounceback.test import PASSWORD, make_user

ADD = "/accounts/2fa/webauthn/add/"
FORGED = (
    "9" * 4301,
    "-1",
    "1e309",
    "null",
    "[]",
    '"text"',
    "{}",
    '{"id": 1}',
    '{"type": "public-key", "id": "AAAA", "rawId": "AAAA", "response": {}}',
    '{"id": "AAAA", "rawId": "AAAA", "response": {"clientDataJSON": 1, "attestationObject": []}}',
    "<script>alert(1)</script>",
)


class ForgedCredentialTest(TestCase):
    def test_a_forged_credential_is_refused_never_an_error(self) -> None:
        mia = make_user("mia")
        client = Client(raise_request_exception=False)
        client.post("/accounts/login/", {"login": mia.email, "password": PASSWORD})
        client.post(f"/accounts/reauthenticate/?next={ADD}", {"password": PASSWORD})
        self.assertEqual(client.get(ADD).status_code, 200)
        for value in FORGED:
            response = client.post(ADD, {"name": "key", "credential": value})
            self.assertLess(response.status_code, 500, value[:40])
            self.assertNotIn(b"<script>alert(1)", response.content)
        self.assertFalse(Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).exists())

    def test_a_clinician_adds_a_key_only_after_the_authenticator_app(self) -> None:
        make_user("bob", role=Role.CLINICIAN)
        client = Client()
        client.post("/accounts/login/", {"login": "bob@example.org", "password": PASSWORD})
        for url in (ADD, "/accounts/2fa/webauthn/"):
            response = client.get(url)
            self.assertRedirects(response, "/accounts/2fa/totp/activate/", fetch_redirect_response=False)


def code_for(secret: str) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_clinician_adds_a_security_key_and_signs_in_with_it(live_server: Any, page: Page) -> None:
    bob = make_user("bob", role=Role.CLINICIAN)
    secret = generate_totp_secret()
    TOTP.activate(bob, secret)
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    def sign_in(with_key: bool) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(bob.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/accounts/2fa/authenticate/")
        if with_key:
            page.get_by_role("button", name="Use a security key").click()
        else:
            page.locator("input[name=code]").fill(code_for(secret))
            page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/clinician/")  # a clinician lands on their dashboard

    sign_in(with_key=False)
    page.goto(f"{live_server.url}{ADD}")
    if "/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(f"**{ADD}")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: ADD not in url)
    assert Authenticator.objects.filter(user=bob, type=Authenticator.Type.WEBAUTHN).count() == 1

    page.goto(f"{live_server.url}/accounts/logout/")
    page.get_by_role("button", name="Sign out").click()
    sign_in(with_key=True)
    assert violations == []

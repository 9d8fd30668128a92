"""A clinician signing in is taken to set up two-factor sign-in, on an accessible page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bounceback.accounts.models import Role
from bounceback.checkups.tests.test_e2e import assert_accessible, sign_in_demo_member
from bounceback.test import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_sends_a_clinician_to_two_factor_set_up(live_server: Any, page: Page) -> None:
    make_user("bob", role=Role.CLINICIAN)  # a clinician who has not set up two-factor sign-in yet
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "bob@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/me/")
    # allauth asks for the password again before adding an authenticator.
    assert "/accounts/reauthenticate/" in page.url
    assert_accessible(page, "19-clinician-reauthenticate")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    expect(page.locator("h1")).to_contain_text("Authenticator")
    assert_accessible(page, "20-clinician-two-factor")


@pytest.mark.parametrize(
    "url", ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/sessions/"]
)
def test_it_keeps_the_account_pages_accessible(live_server: Any, page: Page, url: str) -> None:
    sign_in_demo_member(live_server, page)
    page.goto(live_server.url + url)
    assert_accessible(page, "21-account" + url.replace("/", "-").rstrip("-"))

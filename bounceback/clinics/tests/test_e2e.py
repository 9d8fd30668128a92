"""In headless Chromium on a 360-px screen: someone accepts an invitation, is taken straight to two-factor set-up,
sets it up, sees their recovery codes and reaches their profile and diary; an administrator signs in with two
factors and reaches the clinic page. Each page passes axe-core and needs no sideways scrolling. Screenshots
land in test-artifacts/."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from playwright.sync_api import Page

from bounceback.accounts.models import User
from bounceback.clinics import actions
from bounceback.clinics.models import Staff
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.test import PASSWORD, make_clinic, make_clinic_admin, make_user
from conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "quiet harbour lantern 58"


def code_for(secret: str) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


def check(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert not has_horizontal_scroll(page), name
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"clinics-{name}-360px.png"), full_page=True)


def test_an_invitation_leads_to_two_factor_set_up_then_the_profile(live_server: Any, page: Page) -> None:
    clinic = make_clinic()
    admin = make_clinic_admin("ada", clinic)
    _invitation, token = actions.invite(admin, clinic, "nadia@example.org")
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/invite/{token}/")
    check(page, "invitation")
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("The password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    page.wait_for_url("**/accounts/2fa/totp/activate/")
    check(page, "totp-activate")
    page.goto(f"{live_server.url}/clinician/profile/")
    page.wait_for_url("**/accounts/2fa/totp/activate/")  # nothing else before two-factor sign-in
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(code_for(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert page.locator("main").inner_text().count("\n") > 5, "the recovery codes are shown"

    page.goto(f"{live_server.url}/clinician/profile/")
    assert page.locator("h1").inner_text() == "Your profile"
    assert page.get_by_label("Your name as members see it").input_value() == "Nadia Okafor"
    check(page, "profile")
    page.get_by_text("United States").click()
    page.get_by_label("New York").check()
    page.get_by_label("Video visits").check()
    page.get_by_role("button", name="Save your profile").click()
    page.wait_for_url("**/clinician/profile/")
    assert "Saved your profile." in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/clinician/availability/")
    check(page, "availability")
    page.get_by_label("Monday, block 1, start").fill("09:00")
    page.get_by_label("Monday, block 1, end").fill("12:00")
    page.get_by_label("Monday, block 2, start").fill("11:00")
    page.get_by_label("Monday, block 2, end").fill("15:00")
    page.get_by_role("button", name="Save hours and settings").click()
    assert "Monday: blocks 1 and 2 overlap." in page.locator(".error-summary").inner_text()
    check(page, "availability-errors")

    user = User.objects.get(email="nadia@example.org")
    assert Staff.objects.get(user=user).clinic == clinic


def test_an_administrator_reaches_the_clinic_page_with_two_factors(live_server: Any, page: Page) -> None:
    clinic = make_clinic()
    admin = make_clinic_admin("ada", clinic, two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    actions.invite(admin, clinic, "nadia@example.org")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.locator("input[name=code]").fill(code_for(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/clinic/")  # an administrator lands on the clinic page
    assert page.locator("h1").inner_text() == "Riverside Counselling"
    assert "nadia@example.org" in page.locator("main").inner_text()
    check(page, "clinic")


def test_a_member_chooses_where_they_live_and_a_used_link_says_so(live_server: Any, page: Page) -> None:
    clinic = make_clinic()
    admin = make_clinic_admin("ada", clinic)
    invitation, token = actions.invite(admin, clinic, "nadia@example.org")
    actions.withdraw_invitation(admin, invitation)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/invite/{token}/")
    assert "withdrawn" in page.locator("main").inner_text()
    check(page, "invitation-withdrawn")

    mia = make_user("mia")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(mia.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/me/")
    page.get_by_role("link", name="Where you live").click()
    page.wait_for_url("**/me/region/")
    check(page, "region")
    page.get_by_label("State, province or nation").select_option("US-VT")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/me/region/")
    mia.refresh_from_db()
    assert mia.region == "US-VT"

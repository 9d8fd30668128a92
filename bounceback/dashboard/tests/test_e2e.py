"""The dashboard in headless Chromium: the clinician's caseload (an open alert, trend lines, a reliable
worsening), assigning a measure, the member reading who asked and why, and the clinic's outcomes, each with
axe-core (0 violations) on a desktop window and at 360 px without sideways scrolling. Screenshots go to
test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from bounceback.accounts.models import User
from bounceback.care.tests.test_e2e import browser_as
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.test import make_clinic, make_clinic_admin, make_clinician, start_care
from conftest import ARTIFACTS

from .test_views import alert, history, named

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def check(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert not has_horizontal_scroll(page), name
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


@pytest.fixture
def people() -> tuple[User, User, User]:
    clinic = make_clinic()
    maya = make_clinician("maya", clinic)
    admin = make_clinic_admin("admin", clinic)
    alice = named("alice", "Alice", "Example")
    bea = named("bea", "Bea", "Example")
    start_care(alice, maya)
    start_care(bea, maya, kinds=("checkins",))
    history(alice, {"phq9": [6, 8, 15], "gad7": [9, 9], "brs": [3.0, 3.5]})
    alert(bea, clinic, "acute_suicide_risk")
    return maya, alice, admin


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
def test_it_passes_axe_and_fits_the_screen(
    live_server: Any, browser: Browser, people: tuple[User, User, User], viewport: ViewportSize
) -> None:
    maya, alice, admin = people
    size = "360px" if viewport == PHONE else "desktop"
    clinician = browser_as(browser, live_server, maya, viewport).new_page()
    clinician.goto(live_server.url + "/clinician/")
    expect(clinician.locator("h1")).to_have_text("Dashboard")
    expect(clinician.locator(".card h2").first).to_have_text("Bea Example")  # the open alert first
    check(clinician, f"caseload-{size}")
    clinician.goto(live_server.url + "/clinician/?show=deteriorating")
    check(clinician, f"caseload-filtered-{size}")

    clinician.goto(live_server.url + f"/clinician/assign/{alice.public_id}/")
    check(clinician, f"assign-{size}")
    clinician.get_by_label("PHQ-9").check()
    clinician.get_by_label("Why (the member sees this)").fill("To follow your mood between our visits")
    clinician.get_by_role("button", name="Assign").click()
    expect(clinician.get_by_text("Assigned.")).to_be_visible()
    check(clinician, f"assigned-{size}")

    member = browser_as(browser, live_server, alice, viewport).new_page()
    member.goto(live_server.url + "/reminders/")
    expect(member.get_by_text("Maya Example asked you to answer the PHQ-9 every 14 days")).to_be_visible()
    check(member, f"member-reminders-{size}")

    office = browser_as(browser, live_server, admin, viewport).new_page()
    office.goto(live_server.url + "/clinic/outcomes/")
    expect(office.locator("h1")).to_have_text("Outcomes at Riverside Counselling")
    check(office, f"outcomes-{size}")

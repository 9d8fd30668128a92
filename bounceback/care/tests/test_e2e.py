"""The care pages in headless Chromium: the member's sharing page and access log, and the clinician's page of a
member's shared data, with axe-core (0 violations) on a desktop window and at 360 px without sideways scrolling;
the member stops a share in one browser and the clinician's next page in another is gone (test T15).
Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from bounceback.accounts.models import User
from bounceback.checkups import actions as checkups
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.safetyplan import actions as safetyplan
from bounceback.safetyplan.steps import WARNING_SIGNS
from bounceback.test import CALM_ANSWERS, make_clinic, make_clinician, make_user, member_checkup, start_care
from bounceback.tracking.actions import local_today, save_checkin
from conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def browser_as(browser: Browser, live_server: Any, user: User, viewport: ViewportSize) -> BrowserContext:
    """A browser signed in as this person: a test client's session cookie (for a clinician, as after signing
    in with the second factor, which the middleware only asks to have been set up)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    context.add_cookies(
        [{"name": k, "value": v.value, "url": live_server.url} for k, v in client.cookies.items()]
    )
    return context


def check(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert not has_horizontal_scroll(page), name
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"care-{name}.png"), full_page=True)


@pytest.fixture
def people() -> tuple[User, User, str, str]:
    clinic = make_clinic()
    bob = make_clinician("bob", clinic)
    alice = make_user("alice")
    alice.first_name, alice.last_name, alice.time_zone = "Alice", "Member", "America/Los_Angeles"
    alice.save()
    relationship, _share = start_care(alice, bob)
    checkups.complete_if_done(member_checkup(alice, CALM_ANSWERS), actor=alice)
    save_checkin(alice, local_today(alice), {"mood": 7, "sleep_hours": 7})
    safetyplan.save_plan(alice, additions=[safetyplan.Addition(WARNING_SIGNS, "Skipping meals")])
    return alice, bob, f"/care/{relationship.public_id}/", f"/clinician/members/{alice.public_id}/"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
def test_it_passes_axe_and_fits_the_screen(
    live_server: Any, browser: Browser, people: tuple[User, User, str, str], viewport: ViewportSize
) -> None:
    alice, bob, sharing, member_page = people
    size = "360px" if viewport == PHONE else "desktop"
    clinician = browser_as(browser, live_server, bob, viewport).new_page()
    clinician.goto(live_server.url + member_page)
    expect(clinician.locator("h1")).to_have_text("Alice Member")
    check(clinician, f"member-{size}")
    clinician.goto(live_server.url + "/clinician/members/")
    check(clinician, f"my-members-{size}")

    member = browser_as(browser, live_server, alice, viewport).new_page()
    member.goto(live_server.url + "/care/")
    check(member, f"my-care-{size}")
    member.goto(live_server.url + sharing)
    expect(member.locator("h1")).to_have_text("Sharing with Bob Example")
    check(member, f"sharing-{size}")
    member.get_by_role("button", name="Share").click()  # nothing chosen: the error names the field
    expect(member.locator(".error-summary")).to_contain_text("Choose at least one thing to share.")
    check(member, f"sharing-error-{size}")
    member.goto(live_server.url + "/care/access-log/")
    expect(member.locator("table tbody tr")).to_have_count(3)
    check(member, f"access-log-{size}")
    member.goto(live_server.url + sharing + "end/")
    check(member, f"end-{size}")


def test_it_stops_showing_a_stopped_share_on_the_clinicians_next_page(
    live_server: Any, browser: Browser, people: tuple[User, User, str, str]
) -> None:
    alice, bob, sharing, member_page = people
    clinician = browser_as(browser, live_server, bob, DESKTOP).new_page()
    clinician.goto(live_server.url + member_page)
    expect(clinician.get_by_text("Skipping meals")).to_be_visible()

    member = browser_as(browser, live_server, alice, DESKTOP).new_page()
    member.goto(live_server.url + sharing)
    member.get_by_role("button", name="Stop sharing this now").click()
    expect(member.locator(".messages")).to_contain_text("Stopped. Bob Example can no longer see your")
    check(member, "sharing-stopped")

    clinician.reload()
    expect(clinician.locator("h1")).to_have_text("We could not find that page")
    clinician.goto(live_server.url + "/clinician/members/")
    expect(clinician.get_by_text("Nothing shared at the moment.")).to_be_visible()

"""Finding care and booking in headless Chromium: a member in London finds a New York clinician, books the first
free time from the directory with the form, and sees the visit; every page and its error state passes axe-core
and fits a 360-px screen. Screenshots go to test-artifacts/ (hazards H22, H25)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from bounceback.accounts.models import User
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.test import make_clinic, make_clinician, make_user
from bounceback.visits.models import Appointment
from conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server: Any, user: User) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def check(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"care-{name}.png"), full_page=True)


def test_a_member_finds_a_clinician_and_books_on_a_small_screen(live_server: Any, page: Page) -> None:
    clinician = make_clinician("casey", make_clinic())
    alice = make_user("alice")
    alice.region = "US-NY"
    alice.time_zone = "Europe/London"
    alice.save(update_fields=["region", "time_zone"])
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server, alice)

    page.goto(live_server.url + "/care/find/")
    expect(page.get_by_role("heading", name="Find care")).to_be_visible()
    expect(page.get_by_text("If you are in danger now")).to_be_visible()
    assert not has_horizontal_scroll(page)
    check(page, "find")

    page.goto(live_server.url + f"/care/clinicians/{clinician.public_id}/")
    assert not has_horizontal_scroll(page)
    check(page, "clinician")

    page.goto(live_server.url + "/care/find/")
    page.locator(".slot-list a").first.click()
    expect(page.get_by_role("heading", name="Book a visit with Casey Example")).to_be_visible()
    assert not has_horizontal_scroll(page)
    check(page, "book")

    page.get_by_label("What would you like to talk about? (optional)").fill("Sleep")
    page.get_by_label("Check-up results and progress").check()
    page.get_by_role("button", name="Book this visit").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert not has_horizontal_scroll(page)
    check(page, "book-error")

    page.get_by_label("I agree to start care with this clinician").check()
    page.get_by_role("button", name="Book this visit").click()
    expect(page.get_by_role("heading", name="Visit with Casey Example")).to_be_visible()
    expect(page.get_by_text("Your time zone: Europe/London")).to_be_visible()
    assert Appointment.objects.count() == 1
    assert not has_horizontal_scroll(page)
    check(page, "visit")

    page.goto(live_server.url + "/visits/")
    assert not has_horizontal_scroll(page)
    check(page, "visits")

    page.context.clear_cookies()
    sign_in(page, live_server, clinician)
    page.goto(live_server.url + f"/visits/{Appointment.objects.get().public_id}/")
    expect(page.get_by_text("Your time zone: America/New_York")).to_be_visible()
    assert not has_horizontal_scroll(page)
    check(page, "visit-clinician")

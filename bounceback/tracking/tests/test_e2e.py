"""The daily check-in in headless Chromium on a 360×640 phone: a member fills it in by keyboard alone, each
answer autosaved as given, axe-clean with and without errors; screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from bounceback.checkups.tests.test_e2e import tab_until
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.test import PASSWORD, make_user
from bounceback.tracking.models import CheckIn
from conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

JOURNAL = "Long day. Called Sam in the evening, which helped."


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"checkin-{name}.png"), full_page=True)


def saved(page: Page, name: str) -> None:
    expect(page.locator(f"#status-{name}")).to_have_text("Saved", timeout=5000)


def test_a_member_checks_in_by_keyboard_on_a_phone(live_server: Any, page: Page) -> None:
    make_user("alice")
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("My check-ups")

    page.goto(live_server.url + "/checkin/")
    expect(page.locator("h1")).to_have_text("Daily check-in")
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    shoot(page, "01-empty-360px")
    page.screenshot(path=str(ARTIFACTS / "checkin-01-first-screen-360x640.png"))
    heights = page.eval_on_selector_all(
        ".scale-row .choice", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    widths = page.eval_on_selector_all(
        ".scale-row .choice", "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert len(heights) == 11 and min(heights) >= 44 and min(widths) >= 44, (heights, widths)

    tab_until(page, "el.name === 'mood'")  # the group's first answer takes the focus
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#mood-7")).to_be_checked()
    saved(page, "mood")

    tab_until(page, "el.name === 'sleep_hours'")
    page.keyboard.type("7.5")
    tab_until(page, "el.name === 'sleep_quality'")
    saved(page, "sleep_hours")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#sleep_quality-4")).to_be_checked()
    tab_until(page, "el.name === 'exercise_minutes'")
    page.keyboard.type("30")
    tab_until(page, "el.name === 'mindfulness_minutes'")
    page.keyboard.type("10")
    tab_until(page, "el.name === 'connected'")
    page.keyboard.press("Space")
    expect(page.locator("#connected-yes")).to_be_checked()
    tab_until(page, "el.name === 'note'")
    page.keyboard.type(JOURNAL)
    for name in ("sleep_quality", "exercise_minutes", "mindfulness_minutes", "connected"):
        saved(page, name)
    shoot(page, "02-answered-360px")

    checkin = CheckIn.objects.get()
    assert (checkin.mood, str(checkin.sleep_hours), checkin.sleep_quality) == (7, "7.5", 4)
    assert (checkin.exercise_minutes, checkin.mindfulness_minutes, checkin.connected) == (30, 10, True)

    tab_until(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Save'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Saved your check-in for")
    expect(page.locator("#in-note")).to_have_value(JOURNAL)
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    shoot(page, "03-saved-360px")
    assert CheckIn.objects.get().note == JOURNAL
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM tracking_checkin")
        (raw,) = cursor.fetchone()
    assert "Sam" not in raw and raw.startswith("gAAAAA")

    # A mistyped number: named at the field and in the summary (focused), the rest kept; still axe-clean.
    page.fill("#in-exercise_minutes", "lots")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#err-exercise_minutes")).to_contain_text(
        "Minutes of exercise: please enter a whole number"
    )
    assert axe_violations(page) == []
    shoot(page, "04-error-360px")
    assert CheckIn.objects.get().exercise_minutes == 30

"""The safety plan in headless Chromium on a 360×640 phone: reached from "Get help now", made by keyboard alone
(Add, Enter, an autosaved change, Remove), axe-clean with and without errors, and its print layout; screenshots
go to test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from bounceback.checkups.tests.test_e2e import tab_until
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.safetyplan.models import SafetyPlanEntry
from bounceback.test import CALM_ANSWERS, PASSWORD, make_user, member_checkup
from conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SIGN = "Staying in bed past noon"


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"safetyplan-{name}.png"), full_page=True)


def button(text: str) -> str:
    return f"el.tagName === 'BUTTON' && el.textContent.trim().startsWith({text!r})"


def test_a_member_makes_a_safety_plan_by_keyboard_on_a_phone(live_server: Any, page: Page) -> None:
    make_user("alice")
    page.set_viewport_size({"width": 360, "height": 640})
    # From "Get help now", signed out: the link asks to sign in, then opens the plan.
    page.goto(live_server.url + "/help/")
    page.get_by_role("link", name="My safety plan").click()
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/safety-plan/")
    page.fill("#id_login", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("My safety plan")

    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "safetyplan-01-first-screen-360x640.png"))
    shoot(page, "01-empty-360px")
    # The crisis lines are on the first screen.
    call = page.locator(".plan-help-now a[href='tel:988']")
    expect(call).to_be_visible()
    assert call.bounding_box()["y"] + call.bounding_box()["height"] <= 640  # type: ignore[index]

    # Step 1 by keyboard: type, Tab to Add, Enter.
    tab_until(page, "el.id === 'new-warning_signs-text'")
    page.keyboard.type(SIGN)
    expect(page.locator("#status-new-warning_signs")).to_have_text("Not added yet: press Add.")
    tab_until(page, button("Add"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("added an entry")
    assert page.evaluate("() => location.hash") == "#step-warning_signs"

    # Step 4: a person and their number, then Add.
    tab_until(page, "el.id === 'new-ask_for_help-text'")
    page.keyboard.type("Maya, my sister")
    page.keyboard.press("Tab")
    page.keyboard.type("+1 555 010 0199")
    tab_until(page, button("Add"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("a[href='tel:+15550100199']")).to_be_visible()

    # Step 2: Enter in the box adds it too (the form's default button saves; it never removes).
    tab_until(page, "el.id === 'new-on_my_own-text'")
    page.keyboard.type("Walk to the river and back")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("added an entry")
    assert SafetyPlanEntry.objects.count() == 3

    # An entry changed in place is autosaved.
    sign = SafetyPlanEntry.objects.get(step="warning_signs")
    page.focus(f"#e-{sign.public_id}-text")
    page.keyboard.press("End")
    page.keyboard.type(" and skipping meals")
    page.keyboard.press("Tab")
    expect(page.locator(f"#status-{sign.public_id}")).to_have_text("Saved", timeout=5000)
    sign.refresh_from_db()
    assert sign.text == SIGN + " and skipping meals"

    page.reload()
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    shoot(page, "02-filled-360px")
    with connection.cursor() as cursor:
        cursor.execute("SELECT text, phone FROM safetyplan_safetyplanentry")
        raw = cursor.fetchall()
    assert all("Maya" not in text and "0199" not in phone for text, phone in raw)

    # A number that is not one: named at the field and in the summary (focused), still axe-clean.
    page.fill("#new-professionals-text", "Dr Okafor")
    page.fill("#new-professionals-phone", "call me")
    with page.expect_navigation():
        page.get_by_role("button", name="Add to Professional help I can reach").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#err-new-professionals-phone")).to_contain_text(
        "Professional help I can reach, add a professional or service, phone number: please use digits"
    )
    expect(page.locator("#new-professionals-text")).to_have_value("Dr Okafor")
    assert axe_violations(page) == []
    shoot(page, "03-error-360px")

    # Remove by keyboard (a fresh page: the refused one still holds the number that is not one).
    page.goto(live_server.url + "/help/")
    page.goto(live_server.url + "/safety-plan/#step-on_my_own")
    tab_until(page, button("Remove") + " && el.value !== ''")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("removed an entry")
    assert SafetyPlanEntry.objects.count() == 2

    # The print layout: the plan as text with the crisis lines, no form.
    page.emulate_media(media="print")
    expect(page.locator(".print-safety-plan")).to_be_visible()
    expect(page.locator(".safety-steps")).to_be_hidden()
    expect(page.locator(".print-safety-plan")).to_contain_text("Maya, my sister: +1 555 010 0199")
    expect(page.locator(".print-safety-plan")).to_contain_text("988 Suicide & Crisis Lifeline: call 988")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    shoot(page, "04-print")


def test_the_results_of_a_flagged_check_up_offer_the_plan_on_a_phone(live_server: Any, page: Page) -> None:
    alice = make_user("alice")
    checkup = member_checkup(alice, CALM_ANSWERS | {"phq9_9": 1})
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/checkup/{checkup.public_id}/results/")
    offer = page.locator(".safety-plan-offer")
    expect(offer).to_be_visible()
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    offer.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "safetyplan-05-offered-on-results-360x640.png"))
    page.get_by_role("link", name="Make or open my safety plan").click()
    expect(page.locator("h1")).to_have_text("My safety plan")

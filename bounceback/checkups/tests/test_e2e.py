"""The member's journey in headless Chromium: a visitor completes the check-up by keyboard, meets the crisis
panel the moment item 9 is answered, resumes after closing the browser, signs up and keeps everything; a
member signs in and sees past results. axe-core checks every page and state; screenshots go to
test-artifacts/ (hazards H04, H16, H25)."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bounceback.accounts.models import User
from bounceback.checkups.models import CheckUp
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.test import PASSWORD
from conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KEYBOARD_LIMIT = 120


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)


def assert_accessible(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    shoot(page, name)


def tab_until(page: Page, condition: str) -> None:
    """Press Tab until `condition` (a JS expression about document.activeElement) holds."""
    for _ in range(KEYBOARD_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({condition}); }}"):
            return
    raise AssertionError(f"never reached by keyboard: {condition}")


def choose_by_keyboard(page: Page, item_id: str, option: int) -> None:
    """Tab into a radio group and select its option number `option` (1-based) with the arrow keys."""
    tab_until(page, f"el.name === '{item_id}'")
    first_checked = page.evaluate("() => document.activeElement.checked")
    current = (
        int(
            page.evaluate(
                f"() => [...document.getElementsByName('{item_id}')].indexOf(document.activeElement)"
            )
        )
        + 1
    )
    if current == option and not first_checked:
        page.keyboard.press("Space")
    for _ in range(option - current):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f"#{item_id}-{option}")).to_be_checked()


def next_by_keyboard(page: Page) -> None:
    tab_until(page, "el.tagName === 'BUTTON' && el.value === 'next'")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def answer_page(page: Page, choices: dict[str, int]) -> None:
    for item_id, option in choices.items():
        choose_by_keyboard(page, item_id, option)
    next_by_keyboard(page)


def sign_in_demo_member(live_server: Any, page: Page) -> None:
    call_command("seed_demo", stdout=StringIO())
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "member@demo.bounceback.test")
    page.fill("#id_password", "bounce-back-member")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("My check-ups")


def questions_on(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "fieldset.question[id^='q-']", "els => els.map(e => e.id.slice(2))"
    )
    return ids


def test_it_takes_a_visitor_through_the_whole_check_up_by_keyboard(live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/checkup/")
    assert_accessible(page, "01-start")
    tab_until(page, "el.id === 'context-job_loss'")
    page.keyboard.press("Space")
    tab_until(page, "el.tagName === 'BUTTON' && el.type === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert questions_on(page) == [f"brs_{n}" for n in range(1, 7)]
    assert_accessible(page, "02-brs")
    answer_page(page, {f"brs_{n}": 3 for n in range(1, 7)})

    assert questions_on(page) == ["phq9_1", "phq9_2"]
    answer_page(page, {"phq9_1": 3, "phq9_2": 3})  # PHQ-2 = 4: the rest of the PHQ-9 follows

    assert questions_on(page)[0] == "phq9_3"
    for n in range(3, 9):
        choose_by_keyboard(page, f"phq9_{n}", 2)
    expect(page.locator("#crisis-heading")).to_have_count(0)
    choose_by_keyboard(page, "phq9_9", 2)  # "Several days": the crisis panel appears now, not at the end
    expect(page.locator("#crisis-heading")).to_be_visible()
    expect(page.locator("#crisis-heading")).to_be_focused()
    expect(page.locator("#crisis-panel a[href='tel:988']")).to_be_visible()
    assert_accessible(page, "03-crisis-panel")
    choose_by_keyboard(page, "phq9_10", 2)
    next_by_keyboard(page)

    assert questions_on(page) == ["asq_1", "asq_2", "asq_3", "asq_4"]
    expect(page.locator("#crisis-heading")).to_be_visible()
    assert_accessible(page, "04-asq")
    answer_page(page, {"asq_1": 2, "asq_2": 1, "asq_3": 1, "asq_4": 1})
    assert questions_on(page) == ["asq_5"]
    answer_page(page, {"asq_5": 1})

    expect(page.locator("h1")).to_have_text("Before you go on")
    assert_accessible(page, "05-safety-gate")
    tab_until(page, "el.textContent.includes('I am safe right now')")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert questions_on(page) == ["gad7_1", "gad7_2"]
    answer_page(page, {"gad7_1": 2, "gad7_2": 2})  # GAD-2 = 2: no step-up
    assert questions_on(page) == ["pcptsd5_exposure"]
    answer_page(page, {"pcptsd5_exposure": 1})  # No
    answer_page(page, {"osss3_1": 3, "osss3_2": 4, "osss3_3": 3})
    answer_page(page, {"ucla3_1": 1, "ucla3_2": 2, "ucla3_3": 1})
    assert questions_on(page) == ["evs_days"]
    answer_page(page, {"evs_days": 4})  # 3 days
    assert questions_on(page) == ["evs_minutes"]
    tab_until(page, "el.name === 'evs_minutes'")
    page.keyboard.type("45")
    assert_accessible(page, "06-evs-minutes")
    next_by_keyboard(page)
    answer_page(page, {f"swls_{n}": 5 for n in range(1, 6)})

    expect(page.locator("h1")).to_have_text("Your results")
    expect(page.locator(".crisis-panel")).to_be_visible()
    expect(page.get_by_role("heading", name="We recommend talking to a professional")).to_be_visible()
    expect(page.locator("#r-phq9 + .score")).to_have_text("Score 11 · Moderate")
    assert_accessible(page, "07-results")
    page.get_by_role("link", name="See your resilience plan").click()
    expect(page.locator(".plan-item h2").first).to_have_text(
        "Talk to a professional about thoughts of death or of hurting yourself"
    )
    assert_accessible(page, "08-plan")

    # Sign up at the end: every answer moves into the new account.
    page.go_back()
    page.get_by_role("link", name="Create an account").click()
    assert_accessible(page, "09-signup")
    page.fill("#id_email", "visitor@example.org")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_adult_0")
    page.check("#id_consent")
    page.get_by_role("button", name="Create my account").click()
    # The same page whether or not the address has an account (nothing reveals who uses Bounceback); the
    # confirmation link signs the new member in and returns them to their results.
    expect(page.locator("h1")).to_have_text("Check your email")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", str(mail.outbox[-1].body))
    assert link, "the confirmation email carries its link"
    page.goto(live_server.url + link.group(1))
    confirm = page.get_by_role("button", name="Confirm")
    if confirm.count():
        confirm.click()
    expect(page.locator("h1")).to_have_text("Your results")
    user = User.objects.get(email="visitor@example.org")
    checkup = CheckUp.objects.get(owner=user)
    assert checkup.answers.count() == 6 + 10 + 5 + 2 + 1 + 3 + 3 + 2 + 5
    assert checkup.is_complete
    page.goto(live_server.url + "/me/")
    expect(page.get_by_role("link", name="Results")).to_be_visible()
    assert_accessible(page, "10-my-check-ups")


def test_it_resumes_after_the_browser_is_closed_with_nothing_lost(live_server: Any, browser: Browser) -> None:
    context: BrowserContext = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + "/checkup/")
    page.get_by_role("button", name="Start the check-up").click()
    for n in range(1, 7):
        page.check(f"#brs_{n}-4")
    page.get_by_role("button", name="Next").click()
    page.check("#phq9_1-3")  # autosaved the moment it is given; Next is never pressed
    expect(page.locator("#status-phq9_1")).to_have_text("Saved")
    state = context.storage_state()
    context.close()

    reopened = browser.new_context(storage_state=state)
    page = reopened.new_page()
    page.goto(live_server.url + "/checkup/")
    expect(page.get_by_text("You have a check-up in progress")).to_be_visible()
    page.get_by_role("link", name="Continue where you left off").click()
    assert questions_on(page) == ["phq9_1", "phq9_2"]
    expect(page.locator("#phq9_1-3")).to_be_checked()
    page.get_by_role("button", name="Back").click()
    for n in range(1, 7):
        expect(page.locator(f"#brs_{n}-4")).to_be_checked()
    shoot(page, "11-resumed")
    reopened.close()


def test_it_says_not_saved_when_offline_and_saves_on_next(live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/checkup/")
    page.get_by_role("button", name="Start the check-up").click()
    page.wait_for_function("() => window.htmx !== undefined")
    page.context.set_offline(True)
    page.check("#brs_1-2")
    expect(page.locator("#status-brs_1")).to_contain_text("Not saved", timeout=15_000)
    shoot(page, "12-offline")
    page.context.set_offline(False)
    for n in range(2, 7):
        page.check(f"#brs_{n}-2")
    page.get_by_role("button", name="Next").click()
    assert questions_on(page) == ["phq9_1", "phq9_2"]
    checkup = CheckUp.objects.get()
    assert checkup.answer_map() == {f"brs_{n}": 2 for n in range(1, 7)}


def test_it_shows_errors_linked_to_their_questions(live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/checkup/")
    page.get_by_role("button", name="Start the check-up").click()
    page.check("#brs_1-5")
    page.get_by_role("button", name="Next").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary li")).to_have_count(5)
    assert_accessible(page, "13-errors")
    page.locator(".error-summary a").first.click()
    assert page.url.endswith("#q-brs_2")
    expect(page.locator("#brs_1-5")).to_be_checked()


def test_it_shows_the_crisis_panel_without_javascript(live_server: Any, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    reach_item9_alone(page, live_server, javascript=False)
    page.check("#phq9_9-4")
    page.get_by_role("button", name="Next").click()
    compact = page.locator(".crisis-compact").bounding_box()
    question = page.locator("#q-asq_1").bounding_box()
    assert compact is not None and question is not None and compact["y"] < question["y"], (
        "call and text first"
    )
    expect(page.locator(".crisis-compact a[href='tel:988']")).to_be_visible()
    expect(page.locator("#crisis-heading")).to_be_attached()  # the full panel follows the ASQ's questions
    shoot(page, "14-no-javascript-crisis")
    context.close()


def test_it_shows_a_member_their_past_results(live_server: Any, page: Page) -> None:
    call_command("seed_demo", stdout=StringIO())
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page, "15-sign-in")
    page.fill("#id_login", "member@demo.bounceback.test")
    page.fill("#id_password", "bounce-back-member")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("My check-ups")
    page.get_by_role("link", name="Results").first.click()  # the newest of the demo's check-ups
    expect(page.get_by_text("Score 7 · Mild")).to_be_visible()
    assert_accessible(page, "16-member-results")
    page.set_viewport_size({"width": 360, "height": 740})
    assert not has_horizontal_scroll(page)
    shoot(page, "17-member-results-360px")


def test_it_runs_the_mindfulness_timer_and_records_the_minutes(live_server: Any, page: Page) -> None:
    sign_in_demo_member(live_server, page)
    page.clock.install()
    page.goto(live_server.url + "/practice/")
    assert_accessible(page, "18-timer")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(60_000)
    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#timer-display")).to_have_text("4:00")
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(241_000)
    expect(page.locator("#timer-record")).to_have_text("Recorded 5 minutes.")
    expect(page.locator("#minutes-done")).to_have_text("5")


@pytest.mark.parametrize("width", [360, 640])
def test_it_fits_small_screens_and_200_percent_zoom(live_server: Any, page: Page, width: int) -> None:
    """640 px is a 1280-px window at 200% zoom."""
    page.set_viewport_size({"width": width, "height": 800})
    sign_in_demo_member(live_server, page)
    page.get_by_role("link", name="Results").first.click()  # the newest of the demo's check-ups
    assert not has_horizontal_scroll(page)
    page.get_by_role("link", name="See your resilience plan").click()
    assert not has_horizontal_scroll(page)
    page.goto(live_server.url + "/checkup/")
    page.locator("form[action='/checkup/'] button[type=submit]").click()
    assert not has_horizontal_scroll(page)
    for n in range(1, 7):
        page.check(f"#brs_{n}-3")
    page.get_by_role("button", name="Next").click()
    page.check("#phq9_1-1")
    page.check("#phq9_2-1")
    page.get_by_role("button", name="Next").click()
    page.check("#phq9_9-3")
    expect(page.locator("#crisis-heading")).to_be_visible()
    assert not has_horizontal_scroll(page)
    shoot(page, f"22-crisis-panel-{width}px")


def test_it_shows_nothing_personal_after_sign_out_and_back(live_server: Any, page: Page) -> None:
    """A shared device: after signing out, the back button must not bring the results back (H14)."""
    sign_in_demo_member(live_server, page)
    page.get_by_role("link", name="Results").first.click()  # the newest of the demo's check-ups
    expect(page.locator("h1")).to_have_text("Your results")
    page.goto(live_server.url + "/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()
    with page.expect_navigation():
        page.evaluate("history.go(-2)")
    page.wait_for_load_state()
    assert page.url.endswith("/results/")
    expect(page.locator("h1")).to_have_text("We could not find that page")
    assert "Score 7" not in page.content()


def reach_item9_alone(page: Page, live_server: Any, *, javascript: bool = True) -> None:
    page.goto(live_server.url + "/checkup/")
    page.get_by_role("button", name="Start the check-up").click()
    for n in range(1, 7):
        page.check(f"#brs_{n}-3")
    page.get_by_role("button", name="Next").click()
    page.check("#phq9_1-1")
    page.check("#phq9_2-1")
    page.get_by_role("button", name="Next").click()
    assert questions_on(page) == ["phq9_9"]
    if javascript:
        page.wait_for_function("() => window.htmx !== undefined")


def on_first_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None, selector
    return bool(box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"])


@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
def test_it_brings_the_crisis_panel_to_a_phone_at_the_question_just_answered(
    live_server: Any, browser: Browser, offline: bool
) -> None:
    """Issue 8, phone item 1: on a 360-px phone, online or offline, answering item 9 above 0 shows the panel
    right below that question at once, moves focus to it, and puts the call and text links on screen."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = context.new_page()
    reach_item9_alone(page, live_server)
    context.set_offline(offline)
    page.locator("label[for='phq9_9-2']").tap()
    heading = page.locator("#crisis-heading")
    expect(heading).to_be_focused(timeout=2_000)
    question = page.locator("#q-phq9_9").bounding_box()
    panel = page.locator("#crisis-panel").bounding_box()
    assert question is not None and panel is not None
    assert panel["y"] >= question["y"] + question["height"] - 1, "the panel follows the question answered"
    assert on_first_screen(page, "#crisis-heading")
    assert on_first_screen(page, "#crisis-panel a[href='tel:988']")
    assert on_first_screen(page, "#crisis-panel a[href^='sms:988']")
    if not offline:
        expect(page.locator("#status-phq9_9")).to_have_text("Saved")
        expect(heading).to_be_focused()  # the saved answer's response does not take the focus away
        assert on_first_screen(page, "#crisis-heading")
    shoot(page, f"15-phone-crisis-{'offline' if offline else 'online'}")
    assert axe_violations(page) == []
    context.close()


def test_the_browsers_back_and_forward_buttons_move_between_pages_and_keep_answers(
    live_server: Any, page: Page
) -> None:
    """Issue 8, phone item 3: each page has its own address and history entry."""
    page.goto(live_server.url + "/checkup/")
    page.get_by_role("button", name="Start the check-up").click()
    for n in range(1, 7):
        page.check(f"#brs_{n}-2")
    page.get_by_role("button", name="Next").click()
    assert questions_on(page) == ["phq9_1", "phq9_2"]
    page.check("#phq9_1-3")
    expect(page.locator("#status-phq9_1")).to_have_text("Saved")
    page.go_back()
    assert questions_on(page) == [f"brs_{n}" for n in range(1, 7)]
    for n in range(1, 7):
        expect(page.locator(f"#brs_{n}-2")).to_be_checked()
    page.go_forward()
    assert questions_on(page) == ["phq9_1", "phq9_2"]
    expect(page.locator("#phq9_1-3")).to_be_checked()
    assert not re.search(r"brs|phq|step", page.url), page.url

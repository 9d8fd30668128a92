"""The demo member's progress in headless Chromium at 360 px and 1280 px: axe-clean, nothing scrolls sideways,
every chart an image with a name and a description, the reliable improvement marked by a shape, the tables open;
and the results page's comparison with the earlier check-ups. Screenshots go to test-artifacts/."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"progress-{name}.png"), full_page=True)


def sign_in_demo_member(live_server: Any, page: Page) -> None:
    call_command("seed_demo", stdout=StringIO())
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "member@demo.bounceback.test")
    page.fill("#id_password", "bounce-back-member")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("My check-ups")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_demo_members_progress_is_readable_and_accessible(
    live_server: Any, page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 800})
    sign_in_demo_member(live_server, page)
    page.get_by_role("link", name="Progress").click()
    expect(page.locator("h1")).to_have_text("Your progress")

    charts = page.locator("svg.chart[role=img]")
    assert charts.count() >= 10  # eight questionnaires and five check-in charts
    for n in range(charts.count()):
        chart = charts.nth(n)
        title, desc = chart.get_attribute("aria-labelledby"), chart.get_attribute("aria-describedby")
        assert (
            title
            and desc
            and page.locator(f"#{title}").count() == 1
            and page.locator(f"#{desc}").count() == 1
        )
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    phq9 = page.locator("svg[aria-labelledby=chart-phq9-title]")
    expect(phq9.locator(".mark-improved")).to_have_count(
        1
    )  # 15 -> 10, between the second and third check-ups
    expect(page.get_by_text("A change of 5 points or more is reliable")).to_be_visible()
    summary = page.locator(".progress-summary", has_text="First 16 (Moderately severe)")
    expect(summary).to_contain_text("Overall: down 9 points: a reliable improvement.")
    expect(page.get_by_role("heading", name="What went together with your mood")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    shoot(page, f"01-demo-{width}px")

    page.get_by_text("PHQ-9 results as a table").click()
    table = page.locator("details[open] table").first
    expect(table).to_contain_text("Down 5 points: a reliable improvement")
    page.get_by_text("Week by week as a table").click()
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    shoot(page, f"02-tables-open-{width}px")


def test_the_results_page_compares_with_the_earlier_check_ups(live_server: Any, page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in_demo_member(live_server, page)
    page.get_by_role("link", name="Results").first.click()
    section = page.locator(".since-last")
    expect(section).to_contain_text("Since your earlier check-ups")
    expect(section.locator("tr", has_text="PHQ-9")).to_contain_text(
        "Down 1 point: within the range of chance"
    )
    assert not has_horizontal_scroll(page)
    assert axe_violations(page) == []
    shoot(page, "03-results-since-last-360px")
    section.get_by_role("link", name="See your progress over time").click()
    expect(page.locator("h1")).to_have_text("Your progress")

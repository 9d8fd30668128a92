"""Browser tests in headless Chromium: every public page passes axe-core, fits a 360-px screen and 200% zoom,
and works by keyboard. Screenshots land in test-artifacts/ for a person to look at."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from bounceback.instruments import INSTRUMENTS
from conftest import ARTIFACTS, AXE_PATH

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "help": "/help/",
    "young-people": "/help/young-people/",
    "catalogue": "/instruments/",
    "evidence": "/evidence/",
    "password-reset": "/accounts/password/reset/",
    "privacy": "/privacy/",
    "terms": "/terms/",
    "about": "/about/",
    "practice": "/practice/",
    "checkup-start": "/checkup/",
    "not-found": "/no-such-page/",
} | {f"instrument-{i}": f"/instruments/{i}/" for i in INSTRUMENTS}
WCAG = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}"


def axe_violations(page: Page) -> list[tuple[str, str, int]]:
    page.add_script_tag(path=str(AXE_PATH))
    result: dict[str, Any] = page.evaluate(f"() => axe.run(document, {WCAG})")
    return [(v["id"], v["impact"], len(v["nodes"])) for v in result["violations"]]


def has_horizontal_scroll(page: Page) -> bool:
    return bool(
        page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("name", PAGES)
def test_it_passes_axe_on_every_page(live_server: Any, page: Page, name: str) -> None:
    page.goto(live_server.url + PAGES[name])
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("name", ["home", "help", "catalogue", "instrument-phq9", "instrument-pcptsd5"])
def test_it_fits_a_small_screen_and_200_percent_zoom(live_server: Any, page: Page, name: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + PAGES[name])
    assert not has_horizontal_scroll(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-360px.png"), full_page=True)
    # 200% zoom of a 1280-px window lays out like a 640-px one at double size.
    page.set_viewport_size({"width": 640, "height": 400})
    page.goto(live_server.url + PAGES[name])
    assert not has_horizontal_scroll(page)


def test_it_reaches_get_help_now_by_keyboard(live_server: Any, page: Page) -> None:
    page.goto(live_server.url + "/instruments/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Skip to main content"
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Get help now":
            break
    else:
        pytest.fail("Get help now is not reachable within the first tab stops")
    page.keyboard.press("Enter")
    page.wait_for_url("**/help/")
    assert page.locator("h1").inner_text() == "Get help now"
    assert page.locator('a[href="tel:988"]').count() == 1

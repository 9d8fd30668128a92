"""What a person on a phone meets, in headless Chromium: no page the crawl reaches scrolls sideways at 360 px,
buttons and answers are big enough to tap, the results print without the site's furniture but with the crisis
lines and the not-a-diagnosis note, and the mindfulness timer counts in words that agree with their numbers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from bounceback.checkups import actions
from bounceback.front.tests.test_crawl import crawl
from bounceback.test import CALM_ANSWERS, PASSWORD, make_user, member_checkup
from conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}
MEMBER_START = ["/", "/me/", "/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]
EXTRA_PAGES = ["/no-such-page/"]
"""Pages no link leads to that a person still meets."""
TAP = 44
"""The smallest height and width, in CSS pixels, of a button or an answer."""


def signed_in_client(name: str) -> Client:
    """A member with a finished check-up and one in progress, signed in through the sign-in form."""
    member = make_user(name)
    done = member_checkup(member, CALM_ANSWERS)
    actions.complete_if_done(done, actor=member)
    member_checkup(member, {"brs_1": 2})
    client = Client()
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302, response
    return client


def browser_as(browser: Browser, live_server: Any, client: Client | None) -> BrowserContext:
    context = browser.new_context(viewport=PHONE)
    if client is not None:
        cookies = [{"name": k, "value": v.value, "url": live_server.url} for k, v in client.cookies.items()]
        context.add_cookies(cookies)  # type: ignore[arg-type]
    return context


def html_pages(client: Client, start: list[str]) -> list[str]:
    seen = crawl(client, start)
    pages = []
    for url in [*seen, *EXTRA_PAGES]:
        response = client.get(url)
        if "text/html" in response.get("Content-Type", ""):
            pages.append(url)
    return pages


def too_wide(context: BrowserContext, live_server: Any, urls: list[str]) -> dict[str, int]:
    page = context.new_page()
    wide = {}
    for url in urls:
        page.goto(live_server.url + url)
        width = int(page.evaluate("() => document.documentElement.scrollWidth"))
        if width > PHONE["width"]:
            wide[url] = width
    page.close()
    return wide


def test_no_page_a_visitor_reaches_scrolls_sideways_on_a_360px_phone(
    live_server: Any, browser: Browser
) -> None:
    visitor = Client()
    # A check-up in progress, so that its pages are among those reached.
    visitor.post("/checkup/", {"context": ["loss"]})
    urls = html_pages(visitor, ["/", "/me/", "/accounts/signup/", "/accounts/password/reset/"])
    assert "/evidence/" in urls and "/privacy/" in urls
    assert any(u.startswith("/checkup/") and u != "/checkup/" for u in urls), urls
    context = browser_as(browser, live_server, visitor)
    assert too_wide(context, live_server, urls) == {}, "pages wider than 360 px (page: its width)"
    context.close()


def test_no_page_a_member_reaches_scrolls_sideways_on_a_360px_phone(
    live_server: Any, browser: Browser
) -> None:
    member = signed_in_client("alice")
    urls = html_pages(member, MEMBER_START)
    assert any(u.endswith("/results/") for u in urls) and any(u.endswith("/plan/") for u in urls)
    assert "/accounts/sessions/" in urls
    context = browser_as(browser, live_server, member)
    assert too_wide(context, live_server, urls) == {}, "pages wider than 360 px (page: its width)"
    context.close()


def small_targets(page: Page, selector: str) -> list[str]:
    """Visible elements matching `selector` smaller than TAP in either direction, as 'text (w×h)'."""
    found: list[str] = page.eval_on_selector_all(
        selector,
        f"""els => els.filter(e => e.offsetParent !== null).map(e => {{
            const r = e.getBoundingClientRect();
            return [e.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40), Math.round(r.width), Math.round(r.height)];
        }}).filter(([, w, h]) => w < {TAP} || h < {TAP}).map(([t, w, h]) => `${{t}} (${{w}}×${{h}})`)""",
    )
    return found


def test_buttons_and_answers_are_at_least_44px(live_server: Any, browser: Browser) -> None:
    member = signed_in_client("bea")
    context = browser_as(browser, live_server, member)
    page = context.new_page()
    page.goto(live_server.url + "/me/")
    results = page.get_by_role("link", name="Results").get_attribute("href")
    continue_url = page.get_by_role("link", name="Continue").get_attribute("href")
    assert results and continue_url
    targets = ".button, main button, .help-now, .nav a, .choice, summary, .footer-links a"
    for url in [
        "/",
        "/checkup/",
        continue_url,
        results,
        results.replace("/results/", "/plan/"),
        "/help/",
        "/practice/",
        "/privacy/",
    ]:
        page.goto(live_server.url + url)
        assert small_targets(page, targets) == [], url
    context.close()


def test_the_results_print_with_crisis_lines_and_the_caveat_and_without_the_furniture(
    live_server: Any, browser: Browser
) -> None:
    member = signed_in_client("cleo")
    context = browser_as(browser, live_server, member)
    page = context.new_page()
    page.goto(live_server.url + "/me/")
    results = page.get_by_role("link", name="Results").get_attribute("href")
    assert results
    page.goto(live_server.url + results)
    quiet = page.locator(".result details", has_text="What you can do:").first
    expect(quiet).to_have_count(1)
    expect(quiet.get_by_text("What you can do:")).to_be_hidden()  # folded on screen
    expect(page.locator(".print-crisis")).to_be_hidden()

    page.emulate_media(media="print")
    for hidden in (".site-header nav", ".help-now", ".footer-links", ".actions", ".skip-link"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_text("Not a diagnosis.")).to_be_visible()
    expect(page.locator(".print-crisis")).to_be_visible()
    expect(page.locator(".print-crisis")).to_contain_text("call 988")
    expect(page.locator(".print-crisis")).to_contain_text("call 911")
    expect(page.locator(".site-footer")).to_contain_text("If you are in danger right now, call 911")
    expect(quiet.get_by_text("What you can do:")).to_be_visible()  # unfolded on paper
    ARTIFACTS.mkdir(exist_ok=True)
    for paper in ("A4", "Letter"):
        page.pdf(path=str(ARTIFACTS / f"results-print-{paper}.pdf"), format=paper)
    context.close()


def test_the_timer_says_1_minute_and_a_visitor_hears_about_signing_in_once(
    live_server: Any, page: Page
) -> None:
    page.set_viewport_size(PHONE)
    page.clock.install()
    page.goto(live_server.url + "/practice/")
    page.get_by_role("button", name="Start").click()
    page.clock.run_for(240_000)
    expect(page.locator("#timer-status")).to_have_text("1 minute left.")
    page.clock.run_for(61_000)
    expect(page.locator("#timer-status")).to_have_text("Time is up. Well done.")
    expect(page.locator("#timer-record")).to_have_text("")
    assert page.locator("main").inner_text().count("to keep a record of your practice") == 1

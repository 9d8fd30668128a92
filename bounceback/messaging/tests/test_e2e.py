"""Messaging in headless Chromium on a 360 px phone: a member writes to their clinician, the clinician (a second
browser) reads and replies, the member sees the reply and the unread mark. axe-core finds no violation on the
message box, a conversation and the compose page; nothing scrolls sideways (hazards H18, H28)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bounceback.accounts.models import User
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.messaging import actions
from conftest import ARTIFACTS

from .helpers import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def browser_for(browser: Browser, live_server: Any, user: User) -> BrowserContext:
    """A browser signed in as this person (the session of a test client; the clinician has two-factor set up)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # type: ignore[arg-type]
    cookies = [{"name": k, "value": v.value, "url": live_server.url} for k, v in client.cookies.items()]
    context.add_cookies(cookies)  # type: ignore[arg-type]
    return context


def checked(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert not has_horizontal_scroll(page), name
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"messaging-{name}.png"), full_page=True)


def test_it_carries_a_conversation_between_two_browsers(live_server: Any, browser: Browser) -> None:
    p = people()
    member = browser_for(browser, live_server, p.alice).new_page()
    member.goto(live_server.url + "/messages/")
    expect(member.get_by_text("No messages yet.")).to_be_visible()
    checked(member, "empty-box")
    member.get_by_role("link", name="Write a new message").click()
    expect(member.get_by_text("Dana Example usually replies within 2 days.")).to_be_visible()
    expect(member.get_by_text("Messages are not watched around the clock")).to_be_visible()
    expect(member.locator("a[href='tel:988']").first).to_be_visible()
    checked(member, "compose")
    member.get_by_label("Subject").fill("Before our next visit")
    member.get_by_label("Your message").fill("Could we talk about sleep next time?")
    member.get_by_role("button", name="Send").click()
    expect(member.locator("h1")).to_have_text("Before our next visit")
    expect(member.get_by_text("Could we talk about sleep next time?")).to_be_visible()
    checked(member, "thread")

    clinician = browser_for(browser, live_server, p.dana).new_page()
    clinician.goto(live_server.url + "/messages/")
    expect(clinician.locator("nav .count")).to_have_text("(1 unread)")
    expect(clinician.locator(".msg-unread")).to_have_count(1)
    checked(clinician, "clinician-box")
    clinician.get_by_role("link", name="Before our next visit").click()
    expect(clinician.get_by_text("Could we talk about sleep next time?")).to_be_visible()
    expect(clinician.locator("nav .count")).to_have_count(0)  # read on view
    checked(clinician, "clinician-thread")
    clinician.get_by_label("Your message").fill("Yes, let's start there on Tuesday.")
    clinician.get_by_role("button", name="Send reply").click()
    expect(clinician.get_by_text("Yes, let's start there on Tuesday.")).to_be_visible()

    member.goto(live_server.url + "/messages/")
    expect(member.locator("nav .count")).to_have_text("(1 unread)")
    expect(member.locator(".msg-unread")).to_contain_text("New message")
    checked(member, "box-unread")
    member.get_by_role("link", name="Before our next visit").click()
    expect(member.get_by_text("Yes, let's start there on Tuesday.")).to_be_visible()
    expect(member.locator("nav .count")).to_have_count(0)


def test_the_clinic_s_waiting_list_is_accessible(live_server: Any, browser: Browser) -> None:
    p = people()
    actions.start_thread(p.alice, p.care, "Hello", "Hello", now=timezone.now() - timedelta(days=3))
    admin = browser_for(browser, live_server, p.olga).new_page()
    admin.goto(live_server.url + "/messages/waiting/")
    expect(admin.get_by_role("cell", name="Dana Example")).to_be_visible()
    checked(admin, "waiting")

"""In headless Chromium: the reminders page's notifications button. It asks permission only when pressed;
refused, the page says how to change it and nothing is registered or stored; allowed, the service worker
registers from /sw.js with the whole site as its scope. A browser without PushManager never sees the button and
is told it can't. (A real subscription needs the browser maker's push service, which the tests cannot reach; the
delivery itself is proven against a loopback push service in test_push.py.)"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bounceback.front.tests.test_e2e import axe_violations
from bounceback.reminders.models import PushSubscription
from bounceback.test import PASSWORD

from .helpers import member
from .pushhelpers import vapid_settings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server: Any) -> None:
    member("alice", joined=datetime(2026, 3, 1, tzinfo=UTC))
    page.goto(live_server.url + "/accounts/login/?next=/reminders/")
    page.fill("#id_login", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Reminders")


def test_the_button_registers_the_service_worker_and_asks_only_when_pressed(
    live_server: Any, page: Page
) -> None:
    with vapid_settings():
        sign_in(page, live_server)
        button = page.get_by_role("button", name="Turn on notifications on this device")
        expect(button).to_be_visible()
        expect(page.locator("#push-unsupported")).to_be_hidden()
        expect(page.get_by_role("button", name="Turn off notifications on this device")).to_be_hidden()
        assert axe_violations(page) == []
        assert page.evaluate("Notification.permission") == "default", "nothing asked before the click"
        assert page.evaluate("navigator.serviceWorker.getRegistration('/')") is None, "nothing registered yet"
        button.click()
        expect(page.locator("#push-status")).to_contain_text("did not allow notifications")
        assert page.evaluate("navigator.serviceWorker.getRegistration('/')") is None

        # Allowed: the service worker registers from /sw.js with the whole site as its scope. (Subscribing then
        # needs the browser maker's push service, out of reach here: the page says it could not.)
        page.context.grant_permissions(["notifications"])
        button.click()
        scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
        assert scope == live_server.url + "/"
        expect(page.locator("#push-status")).to_contain_text("could not be turned on", timeout=20_000)
        expect(button).to_be_enabled()
    assert not PushSubscription.objects.exists()


def test_a_browser_without_push_is_told_it_cannot(live_server: Any, page: Page) -> None:
    page.add_init_script("delete window.PushManager;")
    with vapid_settings():
        sign_in(page, live_server)
        expect(page.locator("#push-unsupported")).to_be_visible()
        expect(page.locator("#push-unsupported")).to_contain_text("This browser can't show notifications")
        expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_hidden()

"""Your data in headless Chromium on a 360-px phone: download a copy, then delete the account; every page and the
error state axe-clean, nothing scrolls sideways; screenshots go to test-artifacts/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bounceback.accounts.models import User
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.test import CALM_ANSWERS, PASSWORD, make_user, member_checkup
from conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"datarights-{name}.png"), full_page=True)


def clean(page: Page, name: str) -> None:
    assert axe_violations(page) == [], name
    assert not has_horizontal_scroll(page), name
    shoot(page, name)


def test_a_member_downloads_their_data_then_deletes_the_account(
    live_server: Any, page: Page, tmp_path: Path
) -> None:
    alice = make_user("alice")
    checkup = member_checkup(alice, CALM_ANSWERS)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("My check-ups")

    page.get_by_role("link", name="Your data").click()
    expect(page.locator("h1")).to_have_text("Your data")
    assert page.url == live_server.url + "/me/data/"
    clean(page, "01-your-data-360px")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download JSON").click()
    assert download.value.suggested_filename.startswith("bounceback-export-")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert [c["public_id"] for c in data["tables"]["checkups"]] == [str(checkup.public_id)]
    assert page.url == live_server.url + "/me/data/"  # the page stays; the address never changed

    page.get_by_role("link", name="Delete my account…").click()
    expect(page.locator("h1")).to_have_text("Delete your account")
    clean(page, "02-delete-360px")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_confirm", "delete")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.locator(".error-summary")).to_be_visible()
    clean(page, "03-delete-error-360px")
    assert User.objects.filter(pk=alice.pk).exists()

    page.fill("#id_password", PASSWORD)
    page.fill("#id_confirm", "delete my account")
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.locator("h1")).to_have_text("Your account has been deleted")
    assert page.locator('a[href="tel:988"]').count() >= 1
    clean(page, "04-deleted-360px")
    assert not User.objects.filter(pk=alice.pk).exists()
    page.goto(live_server.url + "/me/")
    assert "/accounts/login/" in page.url

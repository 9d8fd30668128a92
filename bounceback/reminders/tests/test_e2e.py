"""In headless Chromium (hazard H17): a reminder arrives in the test mailbox (a real SMTP server on loopback) at
09:00 in the member's own time, not a minute before, and its link leads through sign-in to the check-up that
is due, which starts with exactly the questionnaires due. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from playwright.sync_api import Page, expect

from bounceback.checkups.models import CheckUp
from bounceback.front.tests.test_e2e import axe_violations, has_horizontal_scroll
from bounceback.reminders import outbox
from bounceback.reminders.channels import SUBJECT
from bounceback.test import PASSWORD
from conftest import ARTIFACTS

from .helpers import member, run_queued, smtp_server, smtp_settings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
LONDON = ZoneInfo("Europe/London")


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"reminders-{name}.png"), full_page=True)


def test_a_reminder_arrives_at_nine_local_and_leads_to_the_due_check_up(live_server: Any, page: Page) -> None:
    due_day = datetime.now(UTC).astimezone(LONDON).date() - timedelta(days=1)  # yesterday in London
    member(
        "alice",
        zone="Europe/London",
        joined=datetime.combine(due_day - timedelta(days=14), time(12), tzinfo=LONDON),
    )
    nine = datetime.combine(due_day, time(9), tzinfo=LONDON)
    with (
        smtp_server() as (box, _controller),
        smtp_settings(box.port),
        override_settings(BOUNCEBACK_SITE_URL=live_server.url),
    ):
        with time_machine.travel(nine - timedelta(minutes=1), tick=False) as clock:
            outbox.scheduler_round()
            run_queued()
            assert box.messages == [], "nothing before 09:00 local"
            clock.move_to(nine + timedelta(seconds=20))
            outbox.scheduler_round()
            run_queued()
        [message] = box.messages
    assert message["Subject"] == SUBJECT
    arrived = parsedate_to_datetime(message["Date"]).astimezone(LONDON)
    assert (arrived.date(), arrived.strftime("%H:%M")) == (due_day, "09:00")
    body = message.get_content()
    link = re.search(r"(http://\S+/checkup/due/)", body)
    assert link is not None, body

    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(link.group(1))
    page.fill("#id_login", "alice@example.org")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Your check-in")
    expect(page.locator("main")).to_contain_text("Brief Resilience Scale: overdue since")
    expect(page.locator("main")).to_contain_text("PHQ-9: overdue since")
    expect(page.locator("main")).to_contain_text("GAD-7: overdue since")
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    shoot(page, "01-due-360px")

    page.get_by_role("button", name="Start").click()
    expect(page.locator("main")).to_contain_text("I tend to bounce back quickly after hard times")
    assert re.search(r"/checkup/[0-9a-f-]{36}/", page.url), page.url
    started = CheckUp.objects.get()
    assert started.instruments == ["brs", "phq9", "gad7"]
    shoot(page, "02-due-check-up-started")

    page.goto(live_server.url + "/reminders/")
    expect(page.locator("h1")).to_have_text("Reminders")
    assert axe_violations(page) == []
    assert not has_horizontal_scroll(page)
    shoot(page, "03-settings-360px")

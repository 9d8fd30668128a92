"""Follow every link a member can reach: no page may fail, every page offers Get help now."""

from __future__ import annotations

import re
from collections import deque

from django.test import Client, TestCase

from bounceback.checkups import actions
from bounceback.test import CALM_ANSWERS, make_user, member_checkup

SKIP = re.compile(r"^/(accounts/logout/|admin/|static/)")
LIMIT = 80


def crawl(client: Client, start: list[str]) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(start)
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert b'href="/help/"' in response.content, url
        for href in re.findall(r'href="(/[^"#]*)"', response.content.decode()):
            if not SKIP.match(href) and href not in seen:
                queue.append(href)
    return seen


class CrawlTest(TestCase):
    def test_it_serves_every_page_a_member_can_reach(self) -> None:
        alice = make_user("alice")
        checkup = member_checkup(alice, CALM_ANSWERS)
        actions.complete_if_done(checkup, actor=alice)
        client = Client()
        client.force_login(alice)
        seen = crawl(
            client, ["/", "/me/", "/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"]
        )
        failures = {url: code for url, code in seen.items() if code >= 400}
        self.assertEqual(failures, {})
        self.assertIn(f"/checkup/{checkup.public_id}/plan/", seen)
        self.assertIn("/accounts/sessions/", seen)

    def test_it_serves_every_page_a_visitor_can_reach(self) -> None:
        seen = crawl(Client(), ["/"])
        failures = {url: code for url, code in seen.items() if code >= 400}
        self.assertEqual(failures, {})
        self.assertIn("/evidence/", seen)

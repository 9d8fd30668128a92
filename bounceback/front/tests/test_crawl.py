"""Follow every link a member can reach: no page may fail, every page offers Get help now."""

from __future__ import annotations

import re
from collections import deque

from django.test import Client, TestCase

from bounceback.checkups import actions
from bounceback.test import CALM_ANSWERS, make_user, member_checkup

SKIP = re.compile(r"^/(accounts/logout/|admin/|static/)")
ONE_PLURAL = re.compile(r"\b1\s+(days|hours|minutes|weeks|months|years|questions|times)\b")
"""A count of one with a plural noun ("1 days"): every crawled page must say "1 day"."""
LIMIT = 80
"""A guard against a crawl that never ends: reaching it fails the test, never cuts the crawl short silently."""


def crawl(client: Client, start: list[str], limit: int = LIMIT) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(start)
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        if len(seen) >= limit:
            unvisited = sorted({u for u in queue if u not in seen} | {url})
            raise AssertionError(
                f"the crawl reached its limit of {limit} pages with {len(unvisited)} link(s) still unvisited "
                f"(e.g. {unvisited[:5]}): pages were left unchecked; raise LIMIT if the site has grown, or find "
                "the page that generates endless links"
            )
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert b'href="/help/"' in response.content, url
        text = re.sub(r"<[^>]+>", " ", response.content.decode())
        assert not ONE_PLURAL.search(text), f"{url}: {ONE_PLURAL.search(text)}"
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

    def test_it_fails_loudly_when_it_reaches_its_limit(self) -> None:
        # The visitor's site has more than three pages: a crawl capped at three must fail, not pass on a part.
        with self.assertRaisesRegex(AssertionError, "reached its limit of 3 pages"):
            crawl(Client(), ["/"], limit=3)

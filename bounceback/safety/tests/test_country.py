"""The member's chosen country sets the crisis numbers everywhere; a UK member never sees 988 (T12)."""

from __future__ import annotations

import html
import re

from django.test import Client, TestCase

from bounceback.accounts.models import User
from bounceback.safety.crisis import COUNTRY_COOKIE, RESOURCES
from bounceback.test import CALM_ANSWERS, PASSWORD, make_user, member_checkup

# Pages hold random UUIDs, CSRF tokens and CSP nonces, so "988" can turn up in them by chance: look at the
# crisis resources as rendered (tel:/sms: links, contact names) instead.
CRISIS_LINK = re.compile(r'href="((?:tel|sms):[^"]*)"')


def crisis_links(content: str) -> set[str]:
    """Every tel: and sms: link on a page, as the browser reads it."""
    return {html.unescape(link) for link in CRISIS_LINK.findall(content)}


def links_of(country: str) -> set[str]:
    contacts = RESOURCES[country].contacts
    return {c.tel_link for c in contacts if c.call} | {c.sms_link for c in contacts if c.text}


US_ONLY_LINKS = links_of("US") - links_of("GB")  # tel:988, sms:988, the Crisis Text Line, tel:911
# Long phrases, which no random token holds: the US-only contacts' names and instructions, and the US banner.
US_ONLY_TEXT = {c.name for c in RESOURCES["US"].contacts} - {c.name for c in RESOURCES["GB"].contacts}
US_ONLY_TEXT |= {c.how for c in RESOURCES["US"].contacts} - {c.how for c in RESOURCES["GB"].contacts}
US_ONLY_TEXT.add(RESOURCES["US"].acute_instruction)


def assert_uk_resources_only(content: str, where: str) -> None:
    links = crisis_links(content)
    assert "tel:999" in links, where
    assert links <= links_of("GB"), (
        f"{where}: links to other countries' lines {sorted(links - links_of('GB'))}"
    )
    assert not links & US_ONLY_LINKS, where
    for text in US_ONLY_TEXT:
        assert html.escape(text) not in content, f"{where}: shows {text!r}"


class CountryTest(TestCase):
    def uk_member_client(self) -> tuple[User, Client]:
        user = make_user("olivia")
        user.country = "GB"
        user.save()
        client = Client()
        client.force_login(user)
        return user, client

    def test_it_never_shows_a_uk_member_the_us_numbers(self) -> None:
        user, client = self.uk_member_client()
        checkup = member_checkup(user, CALM_ANSWERS | {"phq9_9": 2})
        client.get("/me/")  # any signed-in page sets the country cookie
        self.assertEqual(client.cookies[COUNTRY_COOKIE].value, "GB")
        for url in (
            "/help/",
            "/",
            f"/checkup/{checkup.public_id}/results/",
            f"/checkup/{checkup.public_id}/plan/",
        ):
            content = client.get(url).content.decode()
            assert_uk_resources_only(content, url)
            self.assertIn('href="tel:999"', content, url)
        self.assertContains(client.get("/help/"), 'href="tel:116123"')
        self.assertContains(client.get("/help/"), 'href="sms:85258?&amp;body=SHOUT"')

    def test_it_lets_anyone_switch_country_on_get_help_now(self) -> None:
        client = Client()
        response = client.get("/help/?country=CA")
        self.assertContains(response, "9-8-8: Suicide Crisis Helpline")
        self.assertContains(response, '<option value="CA" selected>')
        self.assertEqual(client.cookies[COUNTRY_COOKIE].value, "CA")
        self.assertContains(client.get("/"), 'href="tel:911"')
        response = client.get("/help/?country=ZZ")
        self.assertContains(response, "findahelpline.com")
        self.assertNotContains(response, "tel:")

    def test_it_ignores_an_unknown_country_code(self) -> None:
        response = Client().get("/help/?country=XX")
        self.assertContains(response, 'href="tel:988"')
        self.assertNotIn(COUNTRY_COOKIE, response.cookies)

    def test_it_keeps_another_country_from_sign_up(self) -> None:
        client = Client()
        client.post(
            "/accounts/signup/",
            {
                "email": "kim@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "adult": "yes",
                "country": "ZZ",
                "time_zone": "Asia/Seoul",
                "consent": "on",
            },
        )
        self.assertEqual(User.objects.get(email="kim@example.org").country, "ZZ")
        client.get("/me/")
        help_page = client.get("/help/")
        self.assertContains(help_page, "local emergency number")
        self.assertNotContains(help_page, "tel:")

    def test_it_uses_the_country_a_visitor_picks_when_starting(self) -> None:
        client = Client()
        response = client.post("/checkup/", {"country": "GB"})
        self.assertEqual(client.cookies[COUNTRY_COOKIE].value, "GB")
        checkup_url = (
            "/".join(response["Location"].split("/")[:3]) + "/"
        )  # /checkup/<id>/ of /checkup/<id>/p/…
        client.post(
            f"{checkup_url}answer/", {"item": "phq9_9", "phq9_9": "1"}, headers={"HX-Request": "true"}
        )
        panel = client.get(checkup_url, follow=True).content.decode()
        self.assertIn('href="tel:116123"', panel)
        self.assertIn("Showing help for United Kingdom", panel)
        assert_uk_resources_only(panel, checkup_url)

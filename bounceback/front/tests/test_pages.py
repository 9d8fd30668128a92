"""Public pages: home, catalogue, instrument pages, "Get help now", and the error pages."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.db.utils import OperationalError
from django.test import Client, SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from bounceback.instruments import INSTRUMENTS
from bounceback.safety.crisis import RESOURCES
from bounceback.test import PASSWORD, enable_two_factor, make_user

PUBLIC_URLS = [
    "/",
    "/help/",
    "/help/young-people/",
    "/instruments/",
    *(f"/instruments/{i}/" for i in INSTRUMENTS),
    "/checkup/",
    "/evidence/",
    "/practice/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/privacy/",
    "/terms/",
    "/about/",
]


def text_of(content: bytes) -> str:
    """The page's text with tags removed and whitespace folded, entities decoded."""
    without_tags = re.sub(r"<[^>]+>", " ", content.decode())
    return re.sub(r"\s+", " ", html.unescape(without_tags))


def folded(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class PublicPagesTest(TestCase):
    def test_it_serves_every_public_page(self) -> None:
        for url in PUBLIC_URLS:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)

    def test_it_links_get_help_now_on_every_page(self) -> None:
        for url in [*PUBLIC_URLS, "/no-such-page/"]:
            response = self.client.get(url)
            self.assertContains(response, 'href="/help/"', status_code=response.status_code, msg_prefix=url)
            self.assertContains(response, "Get help now", status_code=response.status_code, msg_prefix=url)

    def test_it_sends_a_strict_content_security_policy(self) -> None:
        for url in PUBLIC_URLS:
            csp = self.client.get(url)["Content-Security-Policy"]
            self.assertIn("default-src 'self'", csp)
            self.assertIn("script-src 'self'", csp)
            self.assertIn("frame-ancestors 'none'", csp)
            self.assertNotIn("unsafe-inline", csp)
            self.assertNotIn("unsafe-eval", csp)
            self.assertNotRegex(csp, r"https?://", "no third-party origin in the CSP")

    def test_it_loads_nothing_from_third_parties(self) -> None:
        for url in PUBLIC_URLS:
            content = self.client.get(url).content.decode()
            for src in re.findall(r'(?:src|href)="([^"]+)"', content):
                if src.startswith(("http://", "https://")):
                    self.assertRegex(src, r"^https://", url)
            self.assertNotRegex(content, r'<(script|link|img|iframe)[^>]+(src|href)="https?://', url)

    def test_it_returns_404_with_help_for_an_unknown_instrument(self) -> None:
        response = self.client.get("/instruments/cdrisc/")
        self.assertEqual(response.status_code, 404)


class CataloguePageTest(TestCase):
    def test_it_lists_every_instrument_with_its_licence(self) -> None:
        response = self.client.get(reverse("bb-catalogue"))
        for instrument in INSTRUMENTS.values():
            self.assertContains(response, html.escape(instrument.title))
            self.assertContains(response, f'href="/instruments/{instrument.id}/"')
        self.assertContains(response, "off by default")  # WHO-5

    def test_it_says_when_an_off_by_default_instrument_is_enabled(self) -> None:
        self.assertNotContains(self.client.get(reverse("bb-catalogue")), "(enabled here)")
        with self.settings(BOUNCEBACK_ENABLED_INSTRUMENTS=["who5"]):
            self.assertContains(self.client.get(reverse("bb-catalogue")), "(enabled here)", count=1)

    def test_it_lists_what_is_not_offered_for_licence_reasons(self) -> None:
        response = self.client.get(reverse("bb-catalogue"))
        self.assertContains(response, "CD-RISC")
        self.assertContains(response, "C-SSRS")

    def test_it_renders_each_instrument_from_its_definition(self) -> None:
        for instrument in INSTRUMENTS.values():
            page = text_of(self.client.get(reverse("bb-instrument", args=[instrument.id])).content)
            self.assertIn(folded(instrument.instructions), page, instrument.id)
            self.assertIn(instrument.recall_period, page)
            for item in instrument.items:
                self.assertIn(folded(item.text), page, item.id)
                for option in item.options:
                    self.assertIn(f"{option.label} = {option.value}", page, item.id)
            for band in instrument.bands:
                self.assertIn(band.label, page)
                self.assertIn(folded(band.source.text), page)
            self.assertIn(folded(instrument.licence.attribution), page)
            self.assertIn(folded(instrument.licence.terms), page)
            self.assertIn(folded(instrument.citation.text), page)

    def test_it_shows_the_reliable_change_threshold(self) -> None:
        page = text_of(self.client.get(reverse("bb-instrument", args=["phq9"])).content)
        self.assertIn("A change of more than 4.7 points is reliable", page)
        brs = text_of(self.client.get(reverse("bb-instrument", args=["brs"])).content)
        self.assertIn("above 4.30", brs)
        self.assertIn("below 3.00", brs)
        self.assertIn("1.08", brs)

    def test_it_marks_reverse_scored_and_unscored_items(self) -> None:
        brs = self.client.get(reverse("bb-instrument", args=["brs"])).content.decode()
        self.assertEqual(brs.count('<span class="tag">reverse-scored</span>'), 3)
        phq9 = self.client.get(reverse("bb-instrument", args=["phq9"])).content.decode()
        self.assertEqual(phq9.count('<span class="tag">not scored</span>'), 1)


class GetHelpTest(SimpleTestCase):
    """Crisis resources must reach people even when the database is down (hazard H24)."""

    def test_it_shows_tap_to_call_and_text_links(self) -> None:
        response = Client().get("/help/")
        self.assertContains(response, 'href="tel:988"')
        self.assertContains(response, 'href="sms:988"')
        self.assertContains(response, 'href="sms:741741?&amp;body=HOME"')
        self.assertContains(response, 'href="tel:911"')
        self.assertContains(response, "not an emergency service")

    def test_it_works_without_the_database(self) -> None:
        with mock.patch(
            "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
            side_effect=OperationalError("database is down"),
        ):
            response = Client().get("/help/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "988")

    def test_it_works_without_the_database_for_a_signed_in_member(self) -> None:
        member = Client()
        member.cookies[settings.SESSION_COOKIE_NAME] = "a-session-the-database-would-be-asked-about"
        member.cookies["bb_country"] = "GB"
        with mock.patch(
            "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
            side_effect=OperationalError("database is down"),
        ):
            response = member.get("/help/")
            young = member.get("/help/young-people/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'href="tel:116123"')
        self.assertEqual(young.status_code, 200)

    def test_it_puts_the_emergency_number_first(self) -> None:
        content = Client().get("/help/").content.decode()
        self.assertLess(content.index('href="tel:911"'), content.index('href="tel:988"'))

    @override_settings(BOUNCEBACK_DEFAULT_COUNTRY="ZZ")
    def test_it_falls_back_to_the_local_emergency_number_and_a_directory(self) -> None:
        response = Client().get("/help/")
        self.assertContains(response, "local emergency number")
        self.assertContains(response, "findahelpline.com")
        # No country's numbers: no tel:/sms: link at all (the page holds a CSP nonce, where "988" may appear
        # by chance, so look at the links and the contacts' names rather than for the digits).
        self.assertNotContains(response, 'href="tel:')
        self.assertNotContains(response, 'href="sms:')
        for resources in RESOURCES.values():
            for contact in resources.support:
                self.assertNotContains(response, html.escape(contact.name))


class HealthTest(TestCase):
    def test_it_reports_the_database(self) -> None:
        response = self.client.get("/health/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["database"], "ok")  # background work: reminders/tests/test_health.py
        self.assertIn("no-store", response["Cache-Control"])

    def test_it_says_503_when_the_database_is_down(self) -> None:
        with mock.patch(
            "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")
        ):
            response = self.client.get("/health/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"database": "unavailable"})


@override_settings(DEBUG=False)
class ErrorPagesTest(SimpleTestCase):
    def test_it_shows_crisis_resources_on_the_500_page(self) -> None:
        client = Client(raise_request_exception=False)
        with mock.patch("bounceback.front.views.render", side_effect=RuntimeError("boom")):
            response = client.get("/")
        self.assertEqual(response.status_code, 500)
        content = response.content.decode()
        for contact in RESOURCES["US"].contacts:
            if contact.call:
                self.assertIn(f'href="tel:{contact.call}"', content)
        self.assertNotIn("boom", content)
        self.assertNotIn("Traceback", content)

    def test_it_shows_help_on_the_404_page(self) -> None:
        response = Client().get("/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, 'href="/help/"', status_code=404)


FOOTER_LINKS = ('href="/about/"', 'href="/privacy/"', 'href="/terms/"')


class HomePageTest(TestCase):
    def test_it_leads_with_a_start_button_to_the_check_up(self) -> None:
        content = self.client.get("/").content.decode()
        start = re.search(r'<a class="button button-large" href="([^"]+)">Start your check-up</a>', content)
        self.assertIsNotNone(start)
        assert start is not None
        self.assertEqual(start.group(1), reverse("bb-start"))
        # The primary action comes before anything else the page offers.
        self.assertLess(content.index("Start your check-up"), content.index("See the questionnaires"))


class PrivacyTermsAboutTest(TestCase):
    def test_they_are_linked_from_every_footer_including_the_error_pages(self) -> None:
        for url in [*PUBLIC_URLS, "/privacy/", "/terms/", "/about/"]:
            response = self.client.get(url)
            for link in FOOTER_LINKS:
                self.assertContains(response, link, msg_prefix=url)
        for response, status in ((self.client.get("/no-such-page/"), 404), (self.client.post("/help/"), 405)):
            for link in FOOTER_LINKS:
                self.assertContains(response, link, status_code=status)

    def test_the_error_pages_write_out_the_same_addresses_the_site_serves(self) -> None:
        # _error.html writes its links out (no URL resolution on a failing server): they must stay true.
        self.assertEqual(
            [reverse("bb-about"), reverse("bb-privacy"), reverse("bb-terms")],
            ["/about/", "/privacy/", "/terms/"],
        )

    def test_the_privacy_notice_says_what_is_stored_where_who_sees_it_and_for_how_long(self) -> None:
        page = text_of(self.client.get("/privacy/").content)
        for words in (
            "answer you give",
            "Safety events",
            "email address",
            "audit trail",
            "PostgreSQL",
            "Clinicians: nobody, today",
            "comes with a later release",
            "only to run the service",
            "Nobody reads your answers in real time",
            "once it has not changed for 30 days",
            "kept until the account is deleted",
            "FHIR",
            "downloads everything we keep about you",
            "typing “delete my account”",
            "What stays is the audit trail",
            "No analytics or advertising cookies",
        ):
            self.assertIn(words, page)
        self.assertContains(self.client.get("/privacy/"), 'href="/help/"')

    @override_settings(BOUNCEBACK_VISITOR_RETENTION_DAYS=1, BOUNCEBACK_IDLE_MINUTES=45)
    def test_it_quotes_the_settings_that_enforce_it(self) -> None:
        page = text_of(self.client.get("/privacy/").content)
        self.assertIn("once it has not changed for 1 day.", page)
        self.assertIn("after 45 minutes without activity", page)
        self.assertNotIn("30 days", page)

    def test_the_terms_say_not_medical_advice_and_not_an_emergency_service(self) -> None:
        response = self.client.get("/terms/")
        page = text_of(response.content)
        self.assertIn("Screening suggests; it never diagnoses.", page)
        self.assertIn("not medical advice", page)
        self.assertIn("Nobody reads your answers in real time", page)
        self.assertContains(response, 'href="tel:911"')

    def test_the_about_page_gives_a_contact_when_one_is_set(self) -> None:
        self.assertIn("has not published a contact address", text_of(self.client.get("/about/").content))
        with self.settings(BOUNCEBACK_CONTACT_EMAIL="help@bounceback.example"):
            response = self.client.get("/about/")
        self.assertContains(response, 'href="mailto:help@bounceback.example"')
        self.assertIn("do not use email for an emergency", text_of(response.content))


class FaviconTest(SimpleTestCase):
    """SimpleTestCase: any database query fails the test."""

    def test_it_serves_the_logo_mark_without_the_database(self) -> None:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-the-database-would-be-asked-about"
        with mock.patch(
            "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection",
            side_effect=OperationalError("database is down"),
        ):
            response = client.get("/favicon.ico")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/x-icon")
        self.assertEqual(response.content[:4], b"\x00\x00\x01\x00")  # an ICO file
        self.assertEqual(int.from_bytes(response.content[4:6], "little"), 3)  # 16, 32 and 48 px

    def test_every_page_names_its_icons(self) -> None:
        content = Client().get("/help/").content.decode()
        self.assertIn('<link rel="icon" href="/favicon.ico"', content)
        self.assertIn('href="/static/bounceback/logo.svg" type="image/svg+xml"', content)


class PracticePageTest(TestCase):
    def test_a_visitor_is_told_once_that_signing_in_keeps_a_record(self) -> None:
        content = self.client.get("/practice/").content.decode()
        self.assertEqual(content.count("to keep a record of your practice"), 1)
        # The timer does not post a visitor's session (it would only answer with the same sentence again).
        self.assertNotIn("data-done-url", content)
        self.assertIn(">5 minutes</label>", content)

    def test_a_member_s_timer_records_the_session(self) -> None:
        self.client.force_login(make_user("alice"))
        content = self.client.get("/practice/").content.decode()
        self.assertIn('data-done-url="/practice/done/"', content)
        self.assertNotIn("to keep a record of your practice", content)


class AllauthPagesTest(TestCase):
    """allauth's own pages (two-factor, recovery codes, email, password) use the site's layout and form
    styles: our element templates replace allauth's bare ones."""

    def test_the_recovery_codes_page_has_the_site_layout_and_styled_controls(self) -> None:
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

        carol = make_user("carol")
        client = Client()
        client.post("/accounts/login/", {"login": "carol@example.org", "password": PASSWORD})
        client.post("/accounts/reauthenticate/", {"password": PASSWORD})  # allauth asks before showing codes
        enable_two_factor(carol)
        RecoveryCodes.activate(carol)
        response = client.get("/accounts/2fa/recovery-codes/")
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIn('href="/static/bounceback/site.css"', content)
        self.assertIn('class="help-now"', content)
        self.assertRegex(content, r'<div class="field form-narrow">\s*<label for="recovery_codes">')
        self.assertIn('<a href="/accounts/2fa/recovery-codes/download/" class="button"', content)
        self.assertIn(
            'class="button" type="submit"', client.get("/accounts/password/change/").content.decode()
        )

    def test_allauth_forms_render_field_by_field_with_linked_hints(self) -> None:
        client = Client()
        client.force_login(make_user("dave"))
        content = client.get("/accounts/password/change/").content.decode()
        self.assertNotIn("<p><label", content)  # Django's as_p, which allauth uses by default
        self.assertIn('<div class="field', content)

    def test_the_signed_in_devices_page_labels_each_device_and_counts_in_words_that_agree(self) -> None:
        from allauth.usersessions.models import UserSession

        erin = make_user("erin")
        client = Client()
        client.post("/accounts/login/", {"login": "erin@example.org", "password": PASSWORD})
        UserSession.objects.filter(user=erin).update(created_at=timezone.now() - timedelta(days=1, hours=2))
        page = text_of(client.get("/accounts/sessions/").content)
        self.assertIn("Signed-in devices", page)
        self.assertIn("This device", page)
        self.assertIn("Signed in 1 day, 2 hours ago", page)
        self.assertNotRegex(page, r"\b1 (days|hours|minutes|weeks)\b")


class SignUpLinksTest(TestCase):
    def test_consent_links_the_privacy_notice_and_the_terms(self) -> None:
        content = self.client.get("/accounts/signup/").content.decode()
        consent = content[content.index('id="consent-heading"') :]
        self.assertIn('href="/privacy/"', consent)
        self.assertIn('href="/terms/"', consent)

"""Headers on every response (no-store for anyone with a session, Permissions-Policy) and the error pages
(400, 403, CSRF failure, 405, 500): each with "Get help now" and the crisis lines."""

from __future__ import annotations

from unittest import mock

from django.test import Client, SimpleTestCase, TestCase, override_settings

from bounceback.test import make_user

SIGNED_IN_PAGES = (
    "/",
    "/me/",
    "/practice/",
    "/evidence/",
    "/accounts/email/",
    "/accounts/sessions/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/reauthenticate/",
)


def no_store(cache_control: str) -> bool:
    parts = {p.strip() for p in cache_control.split(",")}
    return {"private", "no-cache", "no-store", "max-age=0"} <= parts


class NoStoreTest(TestCase):
    def test_every_page_for_a_signed_in_person_is_no_store(self) -> None:
        client = Client()
        client.force_login(make_user("alice"))
        for url in SIGNED_IN_PAGES:
            response = client.get(url)
            self.assertLess(response.status_code, 400, url)
            self.assertTrue(
                no_store(response.get("Cache-Control", "")), f"{url}: {response.get('Cache-Control')}"
            )

    def test_a_visitor_holding_a_check_up_gets_no_store_everywhere(self) -> None:
        client = Client()
        response = client.post("/checkup/", {"context": ["loss"]})
        self.assertTrue(no_store(response["Cache-Control"]))  # the response that sets the session cookie
        for url in ("/", "/instruments/", response["Location"]):
            self.assertTrue(no_store(client.get(url).get("Cache-Control", "")), url)

    @override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
    def test_public_pages_without_a_session_and_static_files_keep_their_caching(self) -> None:
        self.assertNotIn("no-store", Client().get("/instruments/").get("Cache-Control", ""))
        client = Client()
        client.force_login(make_user("alice"))
        css = client.get("/static/bounceback/site.css")
        self.assertEqual(css.status_code, 200)
        self.assertNotIn("no-store", css.get("Cache-Control", ""))


class PermissionsPolicyTest(TestCase):
    def test_every_response_has_it_with_camera_and_microphone_for_this_site_only(self) -> None:
        for url in ("/", "/help/", "/no-such-page/", "/static/bounceback/site.css", "/accounts/login/"):
            policy = Client().get(url)["Permissions-Policy"]
            for directive in ("camera=(self)", "microphone=(self)", "geolocation=()", "payment=()", "usb=()"):
                self.assertIn(directive, policy, url)


def assert_help(test: SimpleTestCase, response: object, status: int) -> None:
    test.assertContains(response, "Get help now", status_code=status)  # type: ignore[arg-type]
    test.assertContains(response, 'href="/help/"', status_code=status)  # type: ignore[arg-type]
    test.assertContains(response, 'href="tel:988"', status_code=status)  # type: ignore[arg-type]
    test.assertContains(response, 'href="tel:911"', status_code=status)  # type: ignore[arg-type]


@override_settings(DEBUG=False)
class ErrorPagesNeedNoDatabaseTest(SimpleTestCase):
    """SimpleTestCase: any database query fails the test."""

    def test_400(self) -> None:
        response = Client(HTTP_HOST="not-this-site.example").get("/")
        assert_help(self, response, 400)

    def test_405_keeps_the_allow_header(self) -> None:
        response = Client().post("/help/")
        assert_help(self, response, 405)
        self.assertEqual(response["Allow"], "GET, HEAD")

    def test_500(self) -> None:
        client = Client(raise_request_exception=False)
        with mock.patch("bounceback.front.views.render", side_effect=RuntimeError("boom")):
            assert_help(self, client.get("/"), 500)

    def test_the_crisis_lines_follow_the_chosen_country(self) -> None:
        client = Client()
        client.cookies["bb_country"] = "GB"
        response = client.post("/help/")
        self.assertContains(response, 'href="tel:116123"', status_code=405)


@override_settings(DEBUG=False, ROOT_URLCONF="bounceback.front.tests.urls_errors")
class ErrorPagesTest(TestCase):
    def test_403(self) -> None:
        assert_help(self, Client().get("/forbidden/"), 403)

    def test_csrf_failure(self) -> None:
        response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "a@example.org"})
        assert_help(self, response, 403)
        self.assertContains(response, "That form had expired", status_code=403)

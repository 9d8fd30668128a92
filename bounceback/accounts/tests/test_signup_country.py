"""Sign-up does not ask for the country again when the person already chose it (issue 8: "sign-up asks for the
country again after the check-up asked"); they can still change it."""

from __future__ import annotations

import re

from django.test import Client, TestCase, override_settings

from bounceback.accounts.models import User
from bounceback.safety.crisis import COUNTRY_COOKIE

from .test_onboarding import SIGNUP


def selected_country(page: str) -> str:
    select = re.search(r'<select name="country".*?</select>', page, re.DOTALL)
    assert select, "the sign-up form has a country list"
    chosen = re.findall(r'<option value="([^"]+)" selected>', select.group(0))
    assert len(chosen) == 1, chosen
    return str(chosen[0])


class SignupCountryTest(TestCase):
    def test_the_country_chosen_at_the_check_up_is_preselected_and_not_asked_again(self) -> None:
        browser = Client()
        browser.post("/checkup/", {"context": ["loss"], "country": "GB"})
        page = browser.get("/accounts/signup/").content.decode()
        self.assertEqual(selected_country(page), "GB")
        self.assertIn("Crisis lines for: <strong>United Kingdom</strong>", page)
        # The list is there, folded away behind "Change the country", not asked as a question.
        self.assertRegex(
            page, r"(?s)<details>\s*<summary>Change the country</summary>.*?<select name=\"country\""
        )
        browser.post("/accounts/signup/", SIGNUP | {"country": "GB"})  # what the browser sends untouched
        self.assertEqual(User.objects.get(email=SIGNUP["email"]).country, "GB")

    def test_the_person_can_still_change_it(self) -> None:
        browser = Client()
        browser.cookies[COUNTRY_COOKIE] = "GB"
        response = browser.post("/accounts/signup/", SIGNUP | {"country": "CA"})
        self.assertEqual(User.objects.get(email=SIGNUP["email"]).country, "CA")
        self.assertEqual(response.cookies[COUNTRY_COOKIE].value, "CA")  # the crisis lines follow the change

    @override_settings(BOUNCEBACK_DEFAULT_COUNTRY="CA")
    def test_without_a_choice_it_asks_with_the_sites_default_preselected(self) -> None:
        page = Client().get("/accounts/signup/").content.decode()
        self.assertEqual(selected_country(page), "CA")
        self.assertNotIn("Change the country", page)
        self.assertNotIn("country-chosen", page)

    def test_an_unknown_cookie_value_is_ignored(self) -> None:
        browser = Client()
        browser.cookies[COUNTRY_COOKIE] = "<b>XX</b>"
        page = browser.get("/accounts/signup/").content.decode()
        self.assertEqual(selected_country(page), "US")
        self.assertNotIn("Change the country", page)

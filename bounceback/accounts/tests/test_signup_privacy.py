"""Sign-up never tells whether an address has an account: the same answer, the same browser afterwards, the same
work, and an email to the owner. A visitor's check-ups join the account only once its owner proves it."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client, TestCase, override_settings

from bounceback.accounts.models import User
from bounceback.checkups.models import CheckUp
from bounceback.test import PASSWORD, make_user, visitor_checkup

from .test_onboarding import SIGNUP, confirm_from_email

HEALTH_WORDS = ("phq", "gad", "suicid", "crisis", "depress", "anxi", "score", "result", "ptsd", "check-up")
NEW, TAKEN = SIGNUP["email"], "alice@example.org"


def page_text(client: Client, url: str, typed: str) -> str:
    """The page, without its CSRF token and with the address the person typed (shown back to them) masked."""
    content = client.get(url).content.decode().replace(typed, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


def sign_up(email: str) -> tuple[Client, CheckUp, Any]:
    """A visitor who took a check-up in this browser, then signs up with ``email``."""
    browser = Client()
    checkup = visitor_checkup(browser, {"brs_1": 2})
    response = browser.post("/accounts/signup/", SIGNUP | {"email": email})
    return browser, checkup, response


def signs_in(browser: Client, email: str) -> bool:
    browser.post("/accounts/login/", {"login": email, "password": PASSWORD})
    return "_auth_user_id" in browser.session


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how many passwords it hashes."""

    calls: ClassVar[int] = 0

    def encode(self, password: str, salt: str, *args: Any, **kwargs: Any) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt, *args, **kwargs)


class SignupEnumerationTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")

    def test_a_taken_address_gets_the_same_answer_as_a_new_one_and_its_owner_an_email(self) -> None:
        new_browser, new_checkup, new = sign_up(NEW)
        taken_browser, taken_checkup, taken = sign_up(TAKEN)
        self.assertEqual((taken.status_code, taken["Location"]), (new.status_code, new["Location"]))
        self.assertEqual(new.status_code, 302)
        self.assertEqual(sorted(taken.cookies), sorted(new.cookies))
        # The crisis lines follow the country chosen.
        self.assertEqual(taken.cookies["bb_country"].value, "US")
        self.assertEqual(taken.content, new.content)
        self.assertEqual(
            page_text(taken_browser, taken["Location"], TAKEN), page_text(new_browser, new["Location"], NEW)
        )
        # Afterwards the two browsers are alike: nobody signed in, the check-up still the visitor's own.
        for browser, checkup in ((new_browser, new_checkup), (taken_browser, taken_checkup)):
            self.assertNotIn("_auth_user_id", browser.session)
            self.assertRedirects(
                browser.get("/me/"), "/accounts/login/?next=/me/", fetch_redirect_response=False
            )
            self.assertEqual(browser.get(f"/checkup/{checkup.public_id}/results/").status_code, 200)
            self.assertIsNone(CheckUp.objects.get(pk=checkup.pk).owner)
        # One email each, from the same sender, to the address typed; only its reader can tell them apart.
        self.assertEqual([m.to for m in mail.outbox], [[NEW], [TAKEN]])
        self.assertEqual(mail.outbox[0].from_email, mail.outbox[1].from_email)
        self.assertIn("already exists", mail.outbox[1].body)
        # No second account, nothing changed on the first.
        self.assertEqual(User.objects.filter(email=TAKEN).count(), 1)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(PASSWORD))

    @override_settings(PASSWORD_HASHERS=[f"{__name__}.CountingHasher"])
    def test_both_paths_hash_the_password_once_so_they_take_as_long(self) -> None:
        for email in (NEW, TAKEN):
            CountingHasher.calls = 0
            Client().post("/accounts/signup/", SIGNUP | {"email": email})
            self.assertEqual(CountingHasher.calls, 1, email)
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password(PASSWORD))  # the taken path's hash went nowhere

    def test_the_owners_email_carries_no_health_data_even_after_a_check_up(self) -> None:
        _browser, checkup, _response = sign_up(TAKEN)
        (message,) = mail.outbox
        text = f"{message.subject}\n{message.body}".lower()
        for word in HEALTH_WORDS:
            self.assertNotIn(word, text)
        self.assertIsNone(CheckUp.objects.get(pk=checkup.pk).owner)


class UnconfirmedAccountTest(TestCase):
    def test_a_new_account_cannot_sign_in_before_its_address_is_confirmed(self) -> None:
        Client().post("/accounts/signup/", SIGNUP)
        browser = Client()
        response = browser.post("/accounts/login/", {"login": NEW, "password": PASSWORD})
        self.assertRedirects(response, "/accounts/confirm-email/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", browser.session)
        self.assertEqual(browser.get("/me/").status_code, 302)
        confirm_from_email(Client())  # the link, opened anywhere, confirms the address
        self.assertTrue(signs_in(Client(), NEW))


class ClaimAfterSignupTest(TestCase):
    def test_the_check_up_joins_the_account_when_it_signs_in_in_this_browser_after_confirming_elsewhere(
        self,
    ) -> None:
        browser, checkup, _response = sign_up(NEW)
        confirm_from_email(Client())  # on the phone, say: that browser has no check-up
        self.assertIsNone(CheckUp.objects.get(pk=checkup.pk).owner)
        self.assertTrue(signs_in(browser, NEW))
        self.assertEqual(CheckUp.objects.get(pk=checkup.pk).owner, User.objects.get(email=NEW))
        self.assertContains(browser.get("/me/"), str(checkup.public_id))

    def test_the_owner_of_a_taken_address_gets_the_check_up_by_signing_in_here(self) -> None:
        alice = make_user("alice")
        browser, checkup, _response = sign_up(TAKEN)
        self.assertIsNone(CheckUp.objects.get(pk=checkup.pk).owner)
        self.assertTrue(signs_in(browser, TAKEN))
        self.assertEqual(CheckUp.objects.get(pk=checkup.pk).owner, alice)

    def test_signing_in_to_another_account_in_that_browser_takes_nothing(self) -> None:
        make_user("bob")
        browser, checkup, _response = sign_up(NEW)
        self.assertTrue(signs_in(browser, "bob@example.org"))
        self.assertIsNone(CheckUp.objects.get(pk=checkup.pk).owner)

"""Sign-up never tells whether an address has an account: the same answer, and an email to the owner."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client, TestCase

from bounceback.accounts.models import User
from bounceback.checkups.models import CheckUp
from bounceback.test import PASSWORD, make_user, visitor_checkup

from .test_onboarding import SIGNUP

HEALTH_WORDS = ("phq", "gad", "suicid", "crisis", "depress", "anxi", "score", "result", "ptsd", "check-up")


def page_text(client: Client, url: str, typed: str) -> str:
    """The page, without its CSRF token and with the address the person typed (shown back to them) masked."""
    content = client.get(url).content.decode().replace(typed, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content)


class SignupEnumerationTest(TestCase):
    def test_a_taken_address_gets_the_same_answer_as_a_new_one_and_its_owner_an_email(self) -> None:
        alice = make_user("alice")
        new_browser, taken_browser = Client(), Client()
        new = new_browser.post("/accounts/signup/", SIGNUP)
        taken = taken_browser.post("/accounts/signup/", SIGNUP | {"email": "alice@example.org"})
        self.assertEqual((taken.status_code, taken["Location"]), (new.status_code, new["Location"]))
        self.assertEqual(new.status_code, 302)
        self.assertEqual(sorted(taken.cookies), sorted(new.cookies))
        self.assertEqual(
            taken.cookies["bb_country"].value, "US"
        )  # the crisis lines follow the chosen country
        self.assertNotContains(taken, "already", status_code=302)
        self.assertEqual(
            page_text(taken_browser, taken["Location"], "alice@example.org"),
            page_text(new_browser, new["Location"], SIGNUP["email"]),
        )
        self.assertNotIn("_auth_user_id", taken_browser.session)
        # No second account, nothing changed on the first; its owner hears about it.
        self.assertEqual(User.objects.filter(email="alice@example.org").count(), 1)
        alice.refresh_from_db()
        self.assertTrue(alice.check_password(PASSWORD))
        to_alice = [m for m in mail.outbox if m.to == ["alice@example.org"]]
        self.assertEqual(len(to_alice), 1)
        self.assertIn("already exists", to_alice[0].body)
        self.assertEqual([m.to for m in mail.outbox if m not in to_alice], [["newcomer@example.org"]])

    def test_the_owners_email_carries_no_health_data_even_after_a_check_up(self) -> None:
        make_user("alice")
        client = Client()
        checkup = visitor_checkup(client, {"brs_1": 2, "phq9_1": 3})
        client.post("/accounts/signup/", SIGNUP | {"email": "alice@example.org"})
        (message,) = mail.outbox
        text = f"{message.subject}\n{message.body}".lower()
        for word in HEALTH_WORDS:
            self.assertNotIn(word, text)
        self.assertIsNone(CheckUp.objects.get(pk=checkup.pk).owner)  # never moved to the existing account

    def test_a_new_member_can_sign_in_straight_away_with_their_password(self) -> None:
        Client().post("/accounts/signup/", SIGNUP)
        client = Client()
        client.post("/accounts/login/", {"login": SIGNUP["email"], "password": PASSWORD})
        self.assertIn("_auth_user_id", client.session)

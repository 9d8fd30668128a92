"""Sign-up with onboarding (consent, adulthood, country), keeping a visitor's answers, two-factor for
clinicians, and login lockout (hazards H13, H16, H18, H26)."""

from __future__ import annotations

import re
import time

from django.core import mail
from django.test import Client, TestCase

from bounceback.accounts.consent import CONSENT_VERSION
from bounceback.accounts.models import Role, User
from bounceback.checkups.models import CheckUp
from bounceback.safety.models import SafetyEvent
from bounceback.test import CALM_ANSWERS, PASSWORD, enable_two_factor, make_user, visitor_checkup

SIGNUP = {
    "email": "newcomer@example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "adult": "yes",
    "country": "US",
    "time_zone": "America/Chicago",
    "consent": "on",
}


def confirm_from_email(client: Client) -> str:
    """Follow the confirmation link in the last email, as its reader would (in the same browser); where to."""
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    response = client.post(link.group(1))
    assert response.status_code == 302, response
    return str(response["Location"])


class SignupTest(TestCase):
    def test_it_creates_an_account_with_consent_adulthood_country_and_time_zone(self) -> None:
        response = self.client.post("/accounts/signup/", SIGNUP)
        self.assertEqual(response.status_code, 302)
        user = User.objects.get(email="newcomer@example.org")
        self.assertEqual(
            (user.country, user.time_zone, user.consent_version), ("US", "America/Chicago", CONSENT_VERSION)
        )
        self.assertIsNotNone(user.adult_confirmed_at)
        self.assertIsNotNone(user.consented_at)
        self.assertEqual(user.role, Role.MEMBER)
        self.assertTrue(user.password.startswith("md5$") or user.password.startswith("argon2"))

    def test_it_refuses_an_account_to_someone_under_18_and_stores_nothing(self) -> None:
        response = self.client.post("/accounts/signup/", SIGNUP | {"adult": "no"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Bounceback accounts are for adults")
        self.assertContains(response, 'href="/help/young-people/"')
        self.assertFalse(User.objects.exists())
        youth = self.client.get("/help/young-people/")
        self.assertContains(youth, 'href="tel:988"')
        self.assertContains(youth, "have not stored")

    def test_it_requires_consent(self) -> None:
        response = self.client.post("/accounts/signup/", SIGNUP | {"consent": ""})
        self.assertContains(response, "Please agree to how your answers are stored")
        self.assertFalse(User.objects.exists())

    def test_it_shows_what_is_stored_and_who_can_see_it(self) -> None:
        response = self.client.get("/accounts/signup/")
        self.assertContains(response, "Nobody but you can see them")
        self.assertContains(response, "Are you 18 or older?")

    def test_it_keeps_a_visitors_answers_and_safety_events_once_the_address_is_confirmed(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, CALM_ANSWERS | {"phq9_9": 1})
        results = f"/checkup/{checkup.public_id}/results/"
        response = client.post("/accounts/signup/", SIGNUP | {"next": results})
        # Sign-up answers "we sent you an email" (it never says whether the address was taken) and moves
        # nothing: the browser still holds its check-up, as it would for a taken address.
        self.assertRedirects(response, "/accounts/confirm-email/", fetch_redirect_response=False)
        user = User.objects.get(email="newcomer@example.org")
        self.assertIsNone(CheckUp.objects.get(pk=checkup.pk).owner)
        self.assertIsNone(SafetyEvent.objects.get().user)
        self.assertEqual(client.get(results).status_code, 200)
        # The link in the email signs the person in, back to the results they came from, now in the account.
        self.assertEqual(confirm_from_email(client), results)
        checkup.refresh_from_db()
        self.assertEqual(checkup.owner, user)
        self.assertEqual(checkup.answers.count(), len(CALM_ANSWERS))
        self.assertEqual(SafetyEvent.objects.get().user, user)
        self.assertEqual(client.get(results).status_code, 200)
        self.assertContains(client.get("/me/"), str(checkup.public_id))

    def test_it_asks_before_adding_a_browsers_check_up_to_an_existing_account(self) -> None:
        alice = make_user("alice")
        client = Client()
        checkup = visitor_checkup(client, {"brs_1": 2})
        client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
        self.assertIsNone(CheckUp.objects.get(pk=checkup.pk).owner)  # a shared device: never taken silently
        self.assertContains(client.get("/me/"), "A check-up started in this browser without signing in")
        self.assertContains(client.get(f"/checkup/{checkup.public_id}/results/"), "Add it to my account")
        client.post(f"/checkup/{checkup.public_id}/keep/")
        self.assertEqual(CheckUp.objects.get(pk=checkup.pk).owner, alice)
        self.assertNotContains(client.get("/me/"), "A check-up started in this browser")

    def test_it_never_lets_another_browser_keep_a_check_up(self) -> None:
        make_user("alice")
        checkup = visitor_checkup(Client(), {"brs_1": 2})
        other = Client()
        other.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
        self.assertEqual(other.post(f"/checkup/{checkup.public_id}/keep/").status_code, 404)
        self.assertIsNone(CheckUp.objects.get(pk=checkup.pk).owner)

    def test_it_sends_a_verification_email_with_no_health_data(self) -> None:
        client = Client()
        visitor_checkup(client, CALM_ANSWERS | {"phq9_9": 3})
        client.post("/accounts/signup/", SIGNUP)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        # The confirmation link ends in a random signed key, where "gad" or "phq" can turn up by chance: mask
        # that one path segment (the rest of the link is still checked), then look for health words.
        body, masked = re.subn(r"(/confirm-email/)[^/\s]+", r"\1KEY", str(message.body))
        self.assertEqual(masked, 1, message.body)
        text = f"{message.subject}\n{body}".lower()
        for word in ("phq", "gad", "suicid", "crisis", "depress", "anxi", "score", "result", "ptsd"):
            self.assertNotIn(word, text)


class TwoFactorTest(TestCase):
    def test_it_sends_a_clinician_without_two_factor_to_set_it_up(self) -> None:
        bob = make_user("bob", role=Role.CLINICIAN)
        client = Client()
        client.force_login(bob)
        response = client.get("/me/")
        self.assertRedirects(response, "/accounts/2fa/totp/activate/", fetch_redirect_response=False)
        self.assertEqual(client.get("/help/").status_code, 200)

    def test_it_lets_a_clinician_with_two_factor_through(self) -> None:
        bob = make_user("bob", role=Role.CLINICIAN)
        enable_two_factor(bob)
        client = Client()
        client.force_login(bob)
        self.assertEqual(client.get("/me/").status_code, 200)

    def test_it_does_not_ask_members_for_two_factor(self) -> None:
        client = Client()
        client.force_login(make_user("alice"))
        self.assertEqual(client.get("/me/").status_code, 200)


class LockoutTest(TestCase):
    def test_it_locks_sign_in_after_repeated_failures_even_with_the_right_password(self) -> None:
        make_user("alice")
        client = Client()
        for _ in range(6):
            client.post("/accounts/login/", {"login": "alice@example.org", "password": "wrong password"})
        client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
        self.assertNotIn("_auth_user_id", client.session)
        self.assertEqual(client.get("/me/").status_code, 302)


class SignOutEverywhereTest(TestCase):
    def test_it_signs_out_every_other_device(self) -> None:
        make_user("alice")
        laptop, phone = Client(), Client()
        for device in (laptop, phone):
            device.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
            self.assertEqual(device.get("/me/").status_code, 200)
        self.assertContains(laptop.get("/accounts/sessions/"), "Sign Out Other Sessions")
        laptop.post("/accounts/sessions/")
        self.assertEqual(laptop.get("/me/").status_code, 200)
        self.assertEqual(phone.get("/me/").status_code, 302)


class IdleTimeoutTest(TestCase):
    def test_it_signs_out_after_a_while_without_activity(self) -> None:
        client = Client()
        client.force_login(make_user("alice"))
        self.assertEqual(client.get("/me/").status_code, 200)
        session = client.session
        session["bb_last_seen"] = int(time.time()) - 31 * 60
        session.save()
        response = client.get("/me/")
        self.assertRedirects(response, "/accounts/login/?next=/me/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", client.session)

    def idle_client(self) -> Client:
        client = Client()
        client.force_login(make_user("alice"))
        client.get("/me/")
        session = client.session
        session["bb_last_seen"] = int(time.time()) - 31 * 60
        session.save()
        return client

    def test_it_answers_an_autosave_after_sign_out_with_not_saved(self) -> None:
        client = self.idle_client()
        response = client.post(
            "/checkup/00000000-0000-0000-0000-000000000000/answer/", {}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 401)
        self.assertNotContains(response, "<form", status_code=401)

    def test_it_returns_a_form_post_to_its_page_after_signing_in_again(self) -> None:
        client = self.idle_client()
        response = client.post(
            "/checkup/x/step/brs/", {}, headers={"Referer": "http://testserver/checkup/abc/"}
        )
        self.assertRedirects(
            response, "/accounts/login/?next=%2Fcheckup%2Fabc%2F", fetch_redirect_response=False
        )

    def test_it_keeps_an_active_member_signed_in(self) -> None:
        client = Client()
        client.force_login(make_user("alice"))
        session = client.session
        session["bb_last_seen"] = int(time.time()) - 29 * 60
        session.save()
        self.assertEqual(client.get("/me/").status_code, 200)

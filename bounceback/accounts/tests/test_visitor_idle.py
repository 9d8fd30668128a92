"""A visitor's check-ups in a browser close after the same idle time as a member's sign-in (hazard H14)."""

from __future__ import annotations

import time

from django.conf import settings
from django.test import Client, TestCase

from bounceback.checkups.access import SESSION_KEY
from bounceback.test import visitor_checkup


class VisitorIdleTest(TestCase):
    def left_for(self, client: Client, minutes: int) -> None:
        session = client.session
        self.assertIn("bb_last_seen", session)  # starting the check-up started the clock
        session["bb_last_seen"] = int(time.time()) - minutes * 60
        session.save()

    def test_a_check_up_left_open_is_closed_after_a_while_without_activity(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, {"brs_1": 2})
        self.left_for(client, settings.BOUNCEBACK_IDLE_MINUTES + 1)
        response = client.get(f"/checkup/{checkup.public_id}/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(SESSION_KEY, client.session)
        self.assertEqual(client.get(f"/checkup/{checkup.public_id}/results/").status_code, 404)

    def test_an_autosave_after_the_idle_time_says_not_saved(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, {"brs_1": 2})
        self.left_for(client, settings.BOUNCEBACK_IDLE_MINUTES + 1)
        response = client.post(
            f"/checkup/{checkup.public_id}/answer/",
            {"item": "brs_2", "brs_2": "3"},
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "not saved", status_code=401)
        self.assertNotIn(SESSION_KEY, client.session)

    def test_a_visitor_resumes_within_the_idle_time_even_after_closing_the_browser(self) -> None:
        client = Client()
        checkup = visitor_checkup(client, {"brs_1": 2})
        self.left_for(client, settings.BOUNCEBACK_IDLE_MINUTES - 1)
        reopened = Client()  # a new browser process: only the (persistent) session cookie is left
        reopened.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.assertEqual(reopened.get(f"/checkup/{checkup.public_id}/", follow=True).status_code, 200)
        self.assertIn(str(checkup.public_id), reopened.session[SESSION_KEY])

"""A safety alert reaches the clinician's phone by Web Push (issue 11): a clinician turns notifications on from
the notifications page, and the alert's notice arrives at their browser encrypted, in fixed words, with a link to
the alerts page and nothing about the member (hazard H18)."""

from __future__ import annotations

import json

from django.test import TestCase

from bounceback.reminders import outbox
from bounceback.reminders.models import Outbox
from bounceback.reminders.tests.pushhelpers import Browser, push_service, vapid_settings
from bounceback.reminders.tests.test_push import BANNED, decrypt, post_json, signed_in
from bounceback.test import make_clinic, make_clinician, make_user, member_checkup, start_care


@vapid_settings()
class AlertPushTest(TestCase):
    def test_a_clinician_turns_on_push_and_an_alert_arrives_in_fixed_words(self) -> None:
        bob = make_clinician("bob", make_clinic())
        alice = make_user("alice")
        start_care(alice, bob)
        page = signed_in(bob).get("/notifications/")
        self.assertContains(page, 'id="push-on"')
        with push_service() as service:
            browser = Browser()
            response = post_json(
                signed_in(bob),
                "/reminders/push/subscribe/",
                browser.subscription(service.endpoint("bob-phone")),
            )
            self.assertEqual(response.status_code, 201, response.content)
            self.assertFalse(
                Outbox.objects.filter(member=bob, item="reassessment").exists()
            )  # no check-in reminders
            member_checkup(alice, {"phq9_9": 3})
            row = Outbox.objects.get(member=bob, item="alert", channel="push")
            self.assertEqual(outbox.deliver(row.pk), "sent")
        [received] = service.received
        message = decrypt(received.body, browser)
        self.assertEqual(message["url"], "/alerts/")
        self.assertEqual(
            message["body"],
            "A member's answers need your attention. Open your alerts on Bounceback and acknowledge.",
        )
        self.assertIsNone(BANNED.search(json.dumps(message)))

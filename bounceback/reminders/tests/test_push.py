"""Web Push reminders (hazards H18 and H17): a real delivery to a push service on loopback, decrypted there with
the browser's keys (RFC 8291 aes128gcm) to prove the payload is the neutral text and link, signed with VAPID
(RFC 8292) by the site's key, with a TTL; a browser that unsubscribed (404/410) is deleted and the reminder is
done; a push service error is retried with the outbox's back-off; never twice for the same due item. The
subscribe and unsubscribe endpoints refuse hostile input with a clear 400, and the endpoint is encrypted at rest.
The service worker is served from the site's root with the headers its scope needs."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import http_ece
import time_machine
from django.db import connection
from django.test import Client, TestCase, override_settings
from py_vapid import Vapid02

from bounceback.audit.models import AuditEvent
from bounceback.checkups.models import CheckUp
from bounceback.reminders import outbox, push
from bounceback.reminders.models import Channel, Outbox, PushSubscription, Status

from .helpers import member, run_queued
from .pushhelpers import (
    SUBJECT,
    VAPID_PUBLIC,
    Browser,
    PushService,
    b64url,
    push_service,
    unb64url,
    vapid_settings,
)

JOINED = datetime(2026, 3, 1, 12, tzinfo=UTC)
DUE = datetime(2026, 3, 15, 9, 0, 30, tzinfo=UTC)  # 09:00 in London (GMT): the first reminder
BANNED = re.compile(
    r"phq|gad|brs|asq|pcl|depress|anxi|suicid|crisis|severe|moderate|score|band|resilien|self-harm|alice",
    re.IGNORECASE,
)


def signed_in(user: object, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def post_json(client: Client, url: str, data: object) -> Any:
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return client.post(url, body, content_type="application/json")


def decrypt(received: bytes, browser: Browser) -> dict[str, Any]:
    plain = http_ece.decrypt(
        received, private_key=browser.key, auth_secret=browser.secret, version="aes128gcm"
    )
    found: dict[str, Any] = json.loads(plain)
    return found


@vapid_settings()
class PushDeliveryTest(TestCase):
    def setUp(self) -> None:
        self.alice = member("alice", zone="Europe/London", joined=JOINED, email=False, in_app=False)
        checkup = CheckUp.objects.create(
            owner=self.alice, completed_at=JOINED
        )  # health data that must not leak
        checkup.results.create(
            instrument_id="phq9",
            instrument_version=1,
            total=26,
            band="severe",
            complete=False,
            flags=";suicidal_ideation;",
            completed_at=JOINED,
        )

    def subscribe(self, service: PushService, device: str = "device-1") -> Browser:
        browser = Browser()
        response = post_json(
            signed_in(self.alice),
            "/reminders/push/subscribe/",
            browser.subscription(service.endpoint(device)),
        )
        self.assertEqual(response.status_code, 201, response.content)
        return browser

    def test_a_reminder_reaches_the_push_service_encrypted_signed_neutral_and_only_once(self) -> None:
        with (
            push_service() as service,
            time_machine.travel(DUE, tick=False),
            self.assertLogs(level=logging.DEBUG) as logs,
        ):
            logging.getLogger("bounceback.reminders").debug("probe")
            browser = self.subscribe(service)
            outbox.scheduler_round()
            self.assertEqual([r.channel for r in Outbox.objects.all()], [Channel.PUSH])
            self.assertEqual(run_queued(), ["sent"])
            for _ in range(3):  # more rounds, stray tasks: never twice for the same due item
                outbox.scheduler_round()
                for row in Outbox.objects.all():
                    self.assertEqual(outbox.deliver(row.pk), "not claimed")
                run_queued()
        [received] = service.received
        self.assertEqual(received.path, "/push/device-1")
        self.assertNotIn("device-1", "\n".join(logs.output), "the endpoint (a capability) is never logged")
        headers = received.headers
        self.assertEqual(headers["content-encoding"], "aes128gcm")
        self.assertEqual(headers["ttl"], str(push.TTL_SECONDS))
        self.assertEqual(headers["urgency"], "normal")
        # The body is opaque to the push service; the browser's keys open it.
        self.assertNotIn(b"check-in", received.body)
        message = decrypt(received.body, browser)
        self.assertEqual(
            message,
            {
                "title": "Bounceback",
                "body": "Time for your Bounceback check-in",
                "url": "/checkup/due/",
                "tag": "bounceback-reminder",
            },
        )
        self.assertIsNone(BANNED.search(json.dumps(message)))
        # VAPID (RFC 8292): "vapid t=<JWT>, k=<our public key>", the JWT signed by our private key.
        authorization = headers["authorization"]
        match = re.fullmatch(r"vapid t=([\w.-]+), ?k=([\w-]+)", authorization)
        assert match is not None, authorization
        self.assertEqual(match.group(2), VAPID_PUBLIC)
        self.assertTrue(Vapid02.verify(authorization))
        claims = json.loads(unb64url(match.group(1).split(".")[1]))
        self.assertEqual(claims["aud"], f"http://127.0.0.1:{service.port}")
        self.assertEqual(claims["sub"], SUBJECT)
        self.assertGreater(claims["exp"], DUE.timestamp())
        self.assertLessEqual(claims["exp"], (DUE + timedelta(hours=24)).timestamp())
        row = Outbox.objects.get()
        self.assertEqual((row.status, row.attempts), (Status.SENT, 1))

    def test_a_browser_that_unsubscribed_is_deleted_and_the_reminder_is_done_without_retry(self) -> None:
        for status in (410, 404):
            with self.subTest(status=status), push_service() as service, time_machine.travel(DUE, tick=False):
                Outbox.objects.all().delete()
                self.subscribe(service)
                service.status = status
                outbox.scheduler_round()
                self.assertEqual(run_queued(), ["gone"])
                row = Outbox.objects.get()
                self.assertEqual((row.status, row.retry_at), (Status.CANCELLED, None))
                self.assertFalse(PushSubscription.objects.exists())
                outbox.scheduler_round()
                self.assertEqual(run_queued(), [])
                self.assertEqual(len(service.received), 1)

    def test_a_push_service_error_is_retried_with_back_off(self) -> None:
        with push_service() as service, time_machine.travel(DUE, tick=False) as clock:
            browser = self.subscribe(service)
            service.status = 500
            outbox.scheduler_round()
            self.assertEqual(run_queued(), ["retry"])
            row = Outbox.objects.get()
            self.assertEqual(
                (row.status, row.attempts, row.last_error), (Status.PENDING, 1, "PushService500")
            )
            assert row.retry_at is not None
            self.assertEqual(row.retry_at - DUE, timedelta(seconds=60))
            outbox.scheduler_round()
            self.assertEqual(run_queued(), [], "not before its back-off")
            service.status = 201
            clock.move_to(row.retry_at + timedelta(seconds=1))
            outbox.scheduler_round()
            self.assertEqual(run_queued(), ["sent"])
        self.assertEqual(len(service.received), 2)
        self.assertEqual(decrypt(service.received[1].body, browser)["url"], "/checkup/due/")
        self.assertTrue(PushSubscription.objects.exists())

    def test_a_retry_after_one_device_failed_skips_the_device_already_reached(self) -> None:
        with push_service() as service, time_machine.travel(DUE, tick=False) as clock:
            self.subscribe(service, "phone")
            self.subscribe(service, "laptop")
            service.status_for["/push/laptop"] = 503
            outbox.scheduler_round()
            self.assertEqual(run_queued(), ["retry"])
            del service.status_for["/push/laptop"]
            clock.move_to(DUE + timedelta(minutes=2))
            outbox.scheduler_round()
            self.assertEqual(run_queued(), ["sent"])
        self.assertEqual(
            sorted(r.path for r in service.received), ["/push/laptop", "/push/laptop", "/push/phone"]
        )

    def test_the_push_service_unreachable_is_retried(self) -> None:
        with push_service() as service:
            endpoint = service.endpoint("device-1")
        with time_machine.travel(DUE, tick=False):  # the server is gone: connection refused
            response = post_json(
                signed_in(self.alice), "/reminders/push/subscribe/", Browser().subscription(endpoint)
            )
            self.assertEqual(response.status_code, 201)
            outbox.scheduler_round()
            self.assertEqual(run_queued(), ["retry"])
        self.assertEqual(Outbox.objects.get().last_error, "ConnectionError")

    def test_without_vapid_keys_nothing_is_planned_for_push(self) -> None:
        with push_service() as service, time_machine.travel(DUE, tick=False):
            self.subscribe(service)
            with override_settings(BOUNCEBACK_WEB_PUSH=False):
                outbox.scheduler_round()
                self.assertEqual(run_queued(), [])
        self.assertEqual(service.received, [])


@vapid_settings()
class SubscribeTest(TestCase):
    def setUp(self) -> None:
        self.alice = member("alice", joined=JOINED)
        self.client = signed_in(self.alice)
        self.browser = Browser()
        self.endpoint = "https://push.example.net/wpush/v2/" + "A1b2C3d4" * 20

    def test_subscribing_stores_the_endpoint_and_keys_encrypted_and_audits_without_them(self) -> None:
        response = post_json(
            self.client, "/reminders/push/subscribe/", self.browser.subscription(self.endpoint)
        )
        self.assertEqual((response.status_code, response.json()), (201, {"devices": 1}))
        again = post_json(self.client, "/reminders/push/subscribe/", self.browser.subscription(self.endpoint))
        self.assertEqual(again.json(), {"devices": 1}, "the same browser again is one device")
        stored = PushSubscription.objects.get(member=self.alice)
        self.assertEqual(stored.endpoint, self.endpoint)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT endpoint, p256dh, auth, endpoint_digest FROM {PushSubscription._meta.db_table}"  # noqa: S608
            )
            [raw] = cursor.fetchall()
        keys = self.browser.subscription(self.endpoint)["keys"]
        for column, plain in zip(raw[:3], (self.endpoint, keys["p256dh"], keys["auth"]), strict=True):
            self.assertNotIn(plain, column)
            self.assertNotIn("push.example.net", column)
        self.assertNotIn("push.example.net", raw[3])
        audit = list(
            AuditEvent.objects.filter(action__startswith="reminders.push").values_list("action", "target_id")
        )
        self.assertEqual(audit, [("reminders.push.subscribe", str(stored.public_id))] * 2)
        self.assertNotIn("push.example.net", str(list(AuditEvent.objects.values())))

        self.assertEqual(
            post_json(self.client, "/reminders/push/unsubscribe/", {"endpoint": self.endpoint}).json(),
            {"devices": 0},
        )
        self.assertFalse(PushSubscription.objects.exists())
        self.assertTrue(AuditEvent.objects.filter(action="reminders.push.unsubscribe").exists())
        self.assertEqual(
            post_json(self.client, "/reminders/push/unsubscribe/", {"endpoint": self.endpoint}).status_code,
            200,
        )

    def test_a_browser_belongs_to_the_last_account_that_turned_it_on(self) -> None:
        bob = member("bob", joined=JOINED)
        post_json(self.client, "/reminders/push/subscribe/", self.browser.subscription(self.endpoint))
        post_json(signed_in(bob), "/reminders/push/subscribe/", self.browser.subscription(self.endpoint))
        self.assertEqual(list(PushSubscription.objects.values_list("member__username", flat=True)), ["bob"])

    def test_hostile_or_malformed_subscriptions_get_a_clear_400_never_a_500(self) -> None:
        good = self.browser.subscription(self.endpoint)
        keys = good["keys"]
        off_curve = b64url(b"\x04" + b"\x01" * 64)
        cases: list[object] = [
            b"",
            b"not json",
            b"\xff\xfe\x00",
            "[" * 5000 + "]" * 5000,
            json.dumps({**good, "padding": "x" * 5000}),
            [],
            "a string",
            None,
            42,
            {},
            {"endpoint": self.endpoint},
            {**good, "endpoint": None},
            {**good, "endpoint": ["https://push.example.net/x"]},
            {**good, "endpoint": "http://push.example.net/x"},
            {**good, "endpoint": "http://127.0.0.2:8080/x"},
            {**good, "endpoint": "javascript:alert(1)"},
            {**good, "endpoint": "file:///etc/passwd"},
            {**good, "endpoint": "https://"},
            {**good, "endpoint": "https://user:pw@push.example.net/x"},
            {**good, "endpoint": "https://push.example.net:99999/x"},
            {**good, "endpoint": "https://push.example.net/x y"},
            {**good, "endpoint": "https://push.example.net/\u00e9"},
            {**good, "endpoint": "https://push.example.net/" + "a" * 2100},
            {**good, "keys": None},
            {**good, "keys": "p256dh"},
            {**good, "keys": {"auth": keys["auth"]}},
            {**good, "keys": {**keys, "p256dh": "not base64 !"}},
            {**good, "keys": {**keys, "p256dh": keys["p256dh"][:-4]}},
            {**good, "keys": {**keys, "p256dh": off_curve}},
            {**good, "keys": {**keys, "p256dh": 12345}},
            {**good, "keys": {**keys, "auth": b64url(b"short")}},
            {**good, "keys": {**keys, "auth": "x" * 5000}},
            {**good, "keys": {**keys, "auth": "\u00e9" * 22}},
        ]
        for case in cases:
            with self.subTest(case=str(case)[:60]):
                response = post_json(self.client, "/reminders/push/subscribe/", case)
                self.assertEqual(response.status_code, 400)
                self.assertIn("error", response.json())
        for case in ([], {"endpoint": "http://evil.example/x"}, b"{", {"endpoint": 1}):
            with self.subTest(unsubscribe=str(case)[:60]):
                self.assertEqual(
                    post_json(self.client, "/reminders/push/unsubscribe/", case).status_code, 400
                )
        self.assertFalse(PushSubscription.objects.exists())

    def test_it_needs_a_signed_in_member_a_post_and_a_csrf_token(self) -> None:
        body = self.browser.subscription(self.endpoint)
        self.assertEqual(post_json(Client(), "/reminders/push/subscribe/", body).status_code, 302)
        self.assertEqual(self.client.get("/reminders/push/subscribe/").status_code, 405)
        strict = signed_in(self.alice, enforce_csrf_checks=True)
        self.assertEqual(post_json(strict, "/reminders/push/subscribe/", body).status_code, 403)
        self.assertFalse(PushSubscription.objects.exists())

    def test_without_vapid_keys_subscribing_is_refused(self) -> None:
        with override_settings(BOUNCEBACK_WEB_PUSH=False):
            response = post_json(
                self.client, "/reminders/push/subscribe/", self.browser.subscription(self.endpoint)
            )
        self.assertEqual(response.status_code, 400)
        self.assertIn("not set up", response.json()["error"])


class PagesTest(TestCase):
    def test_the_service_worker_is_served_from_the_root_with_its_scope(self) -> None:
        response = Client().get("/sw.js")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/javascript; charset=utf-8")
        self.assertEqual(response["Service-Worker-Allowed"], "/")
        self.assertIn("no-cache", response["Cache-Control"])
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        text = response.content.decode()
        for needed in (
            'addEventListener("push"',
            'addEventListener("notificationclick"',
            "showNotification",
            "openWindow",
        ):
            self.assertIn(needed, text)
        self.assertIsNone(BANNED.search(text))

    def test_the_settings_page_offers_the_button_when_keys_are_configured(self) -> None:
        alice = member("alice", joined=JOINED)
        with vapid_settings():
            page = signed_in(alice).get("/reminders/")
        self.assertContains(page, "Turn on notifications on this device")
        self.assertContains(page, f'data-vapid-key="{VAPID_PUBLIC}"')
        self.assertContains(page, 'src="/static/bounceback/push.js"')
        # Shown by push.js when the browser cannot:
        self.assertContains(page, "This browser can't show notifications")
        self.assertNotIn("<script>", page.content.decode())  # no inline script (the CSP refuses them)

    def test_without_keys_the_settings_page_says_notifications_are_not_set_up(self) -> None:
        alice = member("alice", joined=JOINED)
        with override_settings(BOUNCEBACK_WEB_PUSH=False):
            page = signed_in(alice).get("/reminders/")
        self.assertContains(page, "its operator has not set them up")
        self.assertNotContains(page, "Turn on notifications on this device")
        self.assertNotContains(page, "push.js")

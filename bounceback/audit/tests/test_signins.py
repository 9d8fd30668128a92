"""Sign-ins, failed sign-ins and sign-outs are audited, never with what was typed; the trail outlives accounts."""

from __future__ import annotations

from django.test import Client, TestCase, override_settings

from bounceback.audit.models import AuditEvent
from bounceback.test import PASSWORD, make_user

LOGIN = "/accounts/login/"


def fields_of(event: AuditEvent) -> str:
    return " ".join(str(v) for v in AuditEvent.objects.filter(pk=event.pk).values().get().values())


@override_settings(ACCOUNT_RATE_LIMITS=False)
class SignInAuditTest(TestCase):
    def test_a_sign_in_and_a_sign_out_are_recorded(self) -> None:
        alice = make_user("alice")
        client = Client()
        client.post(LOGIN, {"login": "alice@example.org", "password": PASSWORD})
        client.post("/accounts/logout/")
        events = list(AuditEvent.objects.filter(action__startswith="account.sign").order_by("pk"))
        self.assertEqual(
            [(e.action, e.actor_id, e.actor_public_id, e.actor_kind, e.target_id) for e in events],
            [
                ("account.signin", alice.pk, str(alice.public_id), "member", str(alice.public_id)),
                ("account.signout", alice.pk, str(alice.public_id), "member", str(alice.public_id)),
            ],
        )

    def test_a_failed_sign_in_names_the_account_by_public_id_only(self) -> None:
        alice = make_user("alice")
        Client().post(LOGIN, {"login": "alice@example.org", "password": "my secret guess"})
        event = AuditEvent.objects.get(action="account.signin.fail")
        self.assertEqual((event.actor_id, event.actor_kind), (None, "visitor"))
        self.assertEqual((event.target_type, event.target_id), ("user", str(alice.public_id)))
        self.assertNotIn("my secret guess", fields_of(event))
        self.assertNotIn("alice@", fields_of(event))

    def test_a_failed_sign_in_for_no_account_records_nothing_personal(self) -> None:
        Client().post(LOGIN, {"login": "nobody@example.org", "password": "my secret guess"})
        event = AuditEvent.objects.get(action="account.signin.fail")
        self.assertEqual((event.actor_id, event.actor_public_id, event.target_id), (None, "", ""))
        self.assertNotIn("nobody", fields_of(event))
        self.assertNotIn("my secret guess", fields_of(event))


class AuditOutlivesAccountTest(TestCase):
    def test_deleting_an_account_leaves_its_audit_events_untouched(self) -> None:
        alice = make_user("alice")
        Client().post(LOGIN, {"login": "alice@example.org", "password": PASSWORD})
        event = AuditEvent.objects.get(action="account.signin")
        alice_pk, public_id = alice.pk, str(alice.public_id)
        alice.delete()
        event = AuditEvent.objects.get(pk=event.pk)
        self.assertEqual((event.actor_id, event.actor_public_id), (alice_pk, public_id))

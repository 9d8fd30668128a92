"""Deleting an account: everything at once, only with the password (and a code, for two-factor accounts) and the
typed confirmation, nothing of anyone else's, nothing left that names the person but the audit trail's ids."""

from __future__ import annotations

from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client, TestCase

from bounceback.accounts.models import Role, User
from bounceback.audit.models import AuditEvent
from bounceback.datarights import registry
from bounceback.datarights.actions import DELETE, delete_account
from bounceback.datarights.forms import CONFIRMATION
from bounceback.test import PASSWORD, make_user

from .people import code_for, full_member, signed_in, with_two_factor
from .scan import Person, traces

KEPT = {
    "audit_auditevent.actor_id": "the account's number, never reused, links to nothing once the account is gone",
    "audit_auditevent.actor_public_id": "the account's random public id, which links to nothing afterwards",
    "audit_auditevent.target_id": "the same public id, as the target of entries about the account",
}
"""What may still name a deleted person, and why (docs/operators.md, "Deleting an account")."""

VALID = {"password": PASSWORD, "confirm": CONFIRMATION}


def person(user: User) -> Person:
    return Person(user.pk, user.email, str(user.public_id), user.username)


def rows_of_every_model() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models(include_auto_created=True)}


class DeleteAccountTest(TestCase):
    def setUp(self) -> None:
        self.alice = full_member("alice")
        self.bob = full_member("bob")
        self.browser = signed_in(self.alice)

    def delete(self, client: Client | None = None, **data: str) -> Any:
        return (client or self.browser).post("/me/delete/", VALID | data)

    def test_it_deletes_everything_signs_out_and_shows_crisis_resources(self) -> None:
        other_device = signed_in(self.alice)
        response = self.delete()
        self.assertRedirects(response, "/me/deleted/", fetch_redirect_response=False)
        page = self.browser.get("/me/deleted/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Your account has been deleted" in html and "988" in html and "sign up again" in html
        assert not User.objects.filter(pk=self.alice.pk).exists()
        assert traces(person(self.alice)) == sorted(KEPT)
        for client in (self.browser, other_device):  # signed out everywhere
            response = client.get("/me/")
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_no_table_holds_the_email_or_ids_afterwards_but_the_audit_trails_pseudonymous_ids(self) -> None:
        Client().post("/accounts/login/", {"login": "Alice@Example.org", "password": "a wrong guess"})
        before = traces(person(self.alice))
        assert {
            "accounts_user.email",
            "account_emailaddress.email",
            "axes_accesslog.username",
            "axes_accessattempt.username",
            "axes_accessattempt.post_data",
            "django_admin_log.object_repr",
            "django_admin_log.object_id",
            "checkups_checkup.owner_id",
            "tracking_checkin.owner_id",
            "safety_safetyevent.user_id",
            "reminders_outbox.member_id",
            "plans_mindfulnesssession.user_id",
            "safetyplan_safetyplan.owner_id",
            "usersessions_usersession.user_id",
            "django_session.session_data",
        } <= set(before), before  # the scan sees each kind of trace while the account exists
        bob = person(self.bob)
        bobs_before = traces(bob)
        delete_account(self.alice, actor=self.alice)
        left = traces(person(self.alice))
        assert set(left) <= set(KEPT), f"still naming the deleted person: {sorted(set(left) - set(KEPT))}"
        assert traces(bob) == bobs_before

    def test_deleting_does_not_touch_another_members_data(self) -> None:
        alices = {"alice@example.org", str(self.alice.public_id)}
        before = rows_of_every_model()
        counts = delete_account(self.alice, actor=self.alice).rows
        after = rows_of_every_model()
        changed = {label: before[label] - after[label] for label in before if before[label] != after[label]}
        changed.pop("audit.AuditEvent")  # one more entry: the deletion's
        changed.pop("sessions.Session")  # a signed-in device's session; others' are counted below
        assert changed == {label: n for label, n in counts.items() if label != "sessions.Session"}
        assert after["audit.AuditEvent"] == before["audit.AuditEvent"] + 1
        assert User.objects.filter(pk=self.bob.pk).exists()
        assert alices.isdisjoint({self.bob.email, str(self.bob.public_id)})
        assert signed_in(self.bob).get("/me/").status_code == 200

    def test_a_wrong_password_deletes_nothing(self) -> None:
        before = rows_of_every_model()
        response = self.delete(password="not my password")
        assert response.status_code == 400
        assert "That is not your password." in response.content.decode()
        after = rows_of_every_model()
        assert {k: v for k, v in after.items() if v != before[k]}.keys() <= {
            "audit.AuditEvent",
            "axes.AccessAttempt",
        }
        assert User.objects.filter(pk=self.alice.pk).exists()
        assert self.browser.get("/me/").status_code == 200  # still signed in

    def test_a_wrong_or_missing_confirmation_deletes_nothing_and_spends_no_password_attempt(self) -> None:
        before = rows_of_every_model()
        for typed in ("delete", "", "delete my acount"):
            response = self.delete(confirm=typed)
            assert response.status_code == 400
            assert (
                "to show you mean it" in response.content.decode() or "required" in response.content.decode()
            )
        assert rows_of_every_model() == before
        assert self.delete(confirm="  Delete  my ACCOUNT ").status_code == 302  # any case and spacing

    def test_the_deletion_is_audited_with_the_verb_and_public_id_only(self) -> None:
        public_id = str(self.alice.public_id)
        self.delete()
        entry = AuditEvent.objects.get(action=DELETE)
        assert (entry.actor_kind, entry.actor_public_id, entry.target_type, entry.target_id) == (
            "member",
            public_id,
            "user",
            public_id,
        )

    def test_the_address_can_sign_up_again_as_a_new_person(self) -> None:
        old = person(self.alice)
        self.delete()
        response = Client().post(
            "/accounts/signup/",
            {
                "email": "alice@example.org",
                "password1": "another long passphrase 77",
                "password2": "another long passphrase 77",
                "adult": "yes",
                "country": "US",
                "time_zone": "UTC",
                "consent": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        again = User.objects.get(email="alice@example.org")
        assert again.pk != old.pk and str(again.public_id) != old.public_id
        assert not again.checkups.exists() and not again.checkins.exists()

    def test_a_failure_part_way_deletes_nothing(self) -> None:
        before = rows_of_every_model()
        last = registry.erase_order()[-1]
        broken = registry.Part(**{**last.__dict__, "erase": mock.Mock(side_effect=RuntimeError("disk full"))})
        with (
            mock.patch(
                "bounceback.datarights.actions.erase_order",
                return_value=(*registry.erase_order()[:-1], broken),
            ),
            pytest.raises(RuntimeError),
        ):
            delete_account(self.alice, actor=self.alice)
        assert rows_of_every_model() == before


class TwoFactorTest(TestCase):
    def setUp(self) -> None:
        self.clinician = make_user("casey", Role.CLINICIAN)
        self.secret = with_two_factor(self.clinician)
        self.browser = Client()
        self.browser.force_login(self.clinician)

    def test_a_clinician_with_two_factor_must_give_a_code(self) -> None:
        page = self.browser.get("/me/delete/")
        assert page.status_code == 200 and "authenticator app" in page.content.decode()
        for code in ({}, {"code": ""}, {"code": "000000" if code_for(self.secret) != "000000" else "111111"}):
            response = self.browser.post("/me/delete/", VALID | code)
            assert response.status_code == 400, code
            assert User.objects.filter(pk=self.clinician.pk).exists()
        response = self.browser.post("/me/delete/", VALID | {"code": code_for(self.secret)})
        self.assertRedirects(response, "/me/deleted/", fetch_redirect_response=False)
        assert not User.objects.filter(pk=self.clinician.pk).exists()
        assert set(traces(person(self.clinician))) <= set(KEPT)

    def test_a_member_without_two_factor_is_not_asked_for_a_code(self) -> None:
        member = make_user("dana")
        browser = Client()
        browser.force_login(member)
        assert "authenticator app" not in browser.get("/me/delete/").content.decode()


class CommandTest(TestCase):
    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("delete-account", *args, stdout=out)
        return out.getvalue()

    def test_it_refuses_without_yes_and_changes_nothing(self) -> None:
        alice = full_member("alice")
        before = rows_of_every_model()
        with pytest.raises(CommandError, match="--yes"):
            self.run_command("alice@example.org")
        assert rows_of_every_model() == before
        assert User.objects.filter(pk=alice.pk).exists()

    def test_it_deletes_with_yes_audited_by_the_system(self) -> None:
        alice = full_member("alice")
        out = self.run_command("ALICE@example.org", "--yes")
        assert f"Deleted the account {alice.public_id}" in out and "checkups.CheckUp: 2" in out
        assert "alice@example.org" not in out
        assert not User.objects.filter(pk=alice.pk).exists()
        assert set(traces(person(alice))) <= set(KEPT)
        entry = AuditEvent.objects.get(action=DELETE)
        assert (entry.actor_kind, entry.actor_id, entry.target_id) == ("system", None, str(alice.public_id))

    def test_it_names_an_unknown_address(self) -> None:
        with pytest.raises(CommandError, match=r"no account with the email 'nobody@example\.org'"):
            self.run_command("nobody@example.org", "--yes")

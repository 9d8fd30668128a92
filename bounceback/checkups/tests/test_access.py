"""Who may see a check-up: its owner, or the visitor holding its secret. Forbidden looks exactly like
missing (hazard H13, test T13)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client, TestCase, override_settings

from bounceback.accounts.models import Role
from bounceback.audit.models import AuditEvent
from bounceback.checkups.access import DENIED, get_checkup
from bounceback.checkups.links import step_url
from bounceback.test import PASSWORD, enable_two_factor, make_user, member_checkup, visitor_checkup

PAGES = ("", "results/", "plan/")


@override_settings(DEBUG=False)
class CheckupAccessTest(TestCase):
    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.dave = make_user("dave")
        self.bob = make_user("bob", role=Role.CLINICIAN)
        enable_two_factor(self.bob)
        self.alices = member_checkup(self.alice, {"brs_1": 2})
        self.visitor = Client()
        self.visitors = visitor_checkup(self.visitor, {"brs_1": 4})

    def signed_in(self, user: object) -> Client:
        client = Client()
        client.force_login(user)  # type: ignore[arg-type]
        return client

    def url(self, checkup: object, page: str) -> str:
        return f"/checkup/{checkup.public_id}/{page}"  # type: ignore[attr-defined]

    def test_it_shows_a_member_their_own_check_up(self) -> None:
        client = self.signed_in(self.alice)
        for page in PAGES:
            self.assertEqual(client.get(self.url(self.alices, page), follow=True).status_code, 200, page)

    def test_it_shows_a_visitor_their_own_check_up(self) -> None:
        for page in PAGES:
            self.assertEqual(
                self.visitor.get(self.url(self.visitors, page), follow=True).status_code, 200, page
            )

    def test_it_hides_a_check_up_from_everyone_else_exactly_like_a_missing_one(self) -> None:
        missing_id = str(uuid.uuid4())
        outsiders = {
            "another member": self.signed_in(self.dave),
            "a clinician without a share": self.signed_in(self.bob),
            "another visitor": Client(),
            "the visitor, for a member's check-up": self.visitor,
            "the owner, for a visitor's check-up": self.signed_in(self.alice),
        }
        targets = {
            "the visitor, for a member's check-up": [self.alices],
            "the owner, for a visitor's check-up": [self.visitors],
        }
        for who, client in outsiders.items():
            for checkup in targets.get(who, [self.alices, self.visitors]):
                for page in PAGES:
                    response = client.get(self.url(checkup, page))
                    reference = client.get(f"/checkup/{missing_id}/{page}")
                    self.assertEqual(response.status_code, 404, (who, page))
                    self.assertEqual(reference.status_code, 404)
                    self.assertEqual(response.content, reference.content, (who, page))

    def test_it_refuses_writes_from_outsiders(self) -> None:
        client = self.signed_in(self.dave)
        response = client.post(f"/checkup/{self.alices.public_id}/answer/", {"item": "brs_1", "brs_1": "5"})
        self.assertEqual(response.status_code, 404)
        response = client.post(step_url(self.alices, "brs"), {"brs_1": "5"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.alices.answers.get(item_id="brs_1").value, 2)

    def test_it_uses_opaque_ids_in_urls(self) -> None:
        self.assertRegex(str(self.alices.public_id), r"^[0-9a-f]{8}-[0-9a-f]{4}-")
        client = self.signed_in(self.alice)
        self.assertEqual(client.get(f"/checkup/{self.alices.pk}/").status_code, 404)

    def test_it_keeps_the_check_up_after_sign_in_on_any_device(self) -> None:
        other_device = Client()
        other_device.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
        self.assertEqual(other_device.get(self.url(self.alices, ""), follow=True).status_code, 200)


@override_settings(DEBUG=False)
def untimed(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    """Response headers less those that carry the time of the response (a second may pass between two)."""
    return sorted((k, v) for k, v in headers.items() if k not in {"Expires", "Date"})


class DeniedAccessAuditTest(TestCase):
    """Every refused look-up leaves a trace (issue 8: 430 denied attempts left none), and the requester sees
    the same 404 whether the check-up is missing or someone else's."""

    def setUp(self) -> None:
        self.alice = make_user("alice")
        self.alices = member_checkup(self.alice, {"brs_1": 2})
        self.dave = make_user("dave")
        self.client.force_login(self.dave)

    def denied(self) -> list[tuple[str, str, str, str]]:
        return list(
            AuditEvent.objects.filter(action=DENIED)
            .order_by("pk")
            .values_list("actor_public_id", "actor_kind", "target_type", "target_id")
        )

    def test_each_of_many_denied_attempts_is_audited_and_answered_like_a_missing_check_up(self) -> None:
        missing = str(uuid.uuid4())
        attempts = 0
        for _round in range(10):
            for target in (str(self.alices.public_id), missing):
                for page in PAGES:
                    self.assertEqual(self.client.get(f"/checkup/{target}/{page}").status_code, 404)
                    attempts += 1
                write = self.client.post(f"/checkup/{target}/answer/", {"item": "brs_1", "brs_1": "5"})
                self.assertEqual(write.status_code, 404)
                attempts += 1
        events = self.denied()
        self.assertEqual(len(events), attempts)
        dave = str(self.dave.public_id)
        self.assertEqual(
            set(events),
            {(dave, "member", "checkup", str(self.alices.public_id)), (dave, "member", "checkup", missing)},
        )
        for page in PAGES:
            forbidden = self.client.get(f"/checkup/{self.alices.public_id}/{page}")
            absent = self.client.get(f"/checkup/{missing}/{page}")
            self.assertEqual(forbidden.content, absent.content, page)
            self.assertEqual(untimed(forbidden.headers), untimed(absent.headers), page)
        self.assertEqual(self.alices.answers.get(item_id="brs_1").value, 2)

    def test_a_visitor_is_audited_as_a_visitor(self) -> None:
        Client().get(f"/checkup/{self.alices.public_id}/results/")
        self.assertEqual(self.denied(), [("", "visitor", "checkup", str(self.alices.public_id))])

    def test_the_id_is_kept_only_when_well_formed_and_then_in_its_canonical_form(self) -> None:
        hostile = ("<script>alert(1)</script>", "1' OR '1'='1", "9" * 5000, "", "\x00", str(self.alices.pk))
        for value in hostile:
            with pytest.raises(Http404):
                get_checkup(AnonymousUser(), value)
        with pytest.raises(Http404):
            get_checkup(AnonymousUser(), "{" + str(self.alices.public_id).upper() + "}")
        self.assertEqual(
            [target for *_rest, target in self.denied()], [""] * len(hostile) + [str(self.alices.public_id)]
        )

    def test_an_allowed_look_up_writes_no_denial(self) -> None:
        self.assertEqual(get_checkup(self.alice, str(self.alices.public_id)), self.alices)
        self.assertEqual(self.denied(), [])

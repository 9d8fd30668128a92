"""Who may see a check-up: its owner, or the visitor holding its secret. Forbidden looks exactly like
missing (hazard H13, test T13)."""

from __future__ import annotations

import uuid

from django.test import Client, TestCase, override_settings

from bounceback.accounts.models import Role
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

"""The care pages: the member's care, sharing page and access log; the clinician's members and one member's
shared data. Each works, asks for sign-in, and refuses everyone else with the page a missing id gets; a stopped
share is gone on the clinician's next request (hazards H13, H15, test T15)."""

from __future__ import annotations

import ast
import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from bounceback.accounts.models import User
from bounceback.care import access
from bounceback.care.models import CareRelationship, ClinicianRead, Kind, Share
from bounceback.checkups import actions as checkups
from bounceback.clinics.models import Staff
from bounceback.safetyplan import actions as safetyplan
from bounceback.safetyplan.steps import WARNING_SIGNS
from bounceback.test import (
    CALM_ANSWERS,
    make_clinic,
    make_clinic_admin,
    make_clinician,
    make_user,
    member_checkup,
    start_care,
)
from bounceback.tracking.actions import local_today, save_checkin, zone_of

KIND_PAGES = ("results/", "checkins/", "safety-plan/")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def untimed(response: Any) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.items() if k not in {"Expires", "Date"})


class CareViewsBase(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.bob = make_clinician("bob", self.clinic)
        self.alice = make_user("alice")
        self.alice.first_name, self.alice.last_name = "Alice", "Member"
        self.alice.time_zone = "America/Los_Angeles"
        self.alice.save()
        self.relationship, self.share = start_care(self.alice, self.bob)
        checkups.complete_if_done(member_checkup(self.alice, CALM_ANSWERS), actor=self.alice)
        save_checkin(self.alice, local_today(self.alice), {"mood": 7})
        safetyplan.save_plan(self.alice, additions=[safetyplan.Addition(WARNING_SIGNS, "Skipping meals")])
        self.member_url = f"/clinician/members/{self.alice.public_id}/"
        self.sharing_url = f"/care/{self.relationship.public_id}/"

    def assert_like_missing(self, client: Client, url: str, missing: str) -> None:
        """Refused exactly as a missing id is: the same status, bytes and headers."""
        response, reference = client.get(url), client.get(missing)
        self.assertEqual((response.status_code, reference.status_code), (404, 404), url)
        self.assertEqual(response.content, reference.content, url)
        self.assertEqual(untimed(response), untimed(reference), url)


@override_settings(DEBUG=False)
class MemberPagesTest(CareViewsBase):
    def test_it_works(self) -> None:
        client = signed_in(self.alice)
        page = client.get("/care/").content.decode()
        self.assertIn("Bob Example", page)
        self.assertIn(self.sharing_url, page)
        self.assertIn("My care</a>", page)
        self.assertIn('href="/care/find/"', page)  # the directory of clinicians (the booking pages)
        sharing = client.get(self.sharing_url)
        self.assertEqual(sharing.status_code, 200)
        self.assertContains(sharing, "Sharing with Bob Example")
        self.assertContains(sharing, "(America/Los_Angeles time)")
        self.assertEqual(client.get(f"{self.sharing_url}end/").status_code, 200)
        self.assertEqual(client.get("/care/access-log/").status_code, 200)

    def test_it_requires_login(self) -> None:
        for url in ("/care/", self.sharing_url, f"{self.sharing_url}end/", "/care/access-log/"):
            response = Client().get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith("/accounts/login/"), url)

    def test_it_checks_access(self) -> None:
        missing = f"/care/{uuid.uuid4()}/"
        for who in (make_user("dave"), self.bob, make_clinic_admin("oscar", self.clinic)):
            client = signed_in(who)
            for url in (self.sharing_url, f"{self.sharing_url}end/"):
                self.assert_like_missing(client, url, missing)
            revoke = f"{self.sharing_url}shares/{self.share.public_id}/stop/"
            self.assertEqual(client.post(revoke).status_code, 404)
            self.assertEqual(
                client.post(self.sharing_url, {"kinds": ["results"], "last_day": "2030-01-01"}).status_code,
                404,
            )
            self.assertEqual(client.post(f"{self.sharing_url}end/").status_code, 404)
        self.assert_like_missing(signed_in(self.bob), "/care/", missing)
        self.assert_like_missing(signed_in(self.bob), "/care/access-log/", missing)
        self.assertTrue(Share.objects.live().filter(pk=self.share.pk).exists())
        self.assertTrue(CareRelationship.objects.active().exists())

    def test_it_shows_the_share_end_in_the_members_own_words_and_zone(self) -> None:
        last = access.last_day(self.share, self.alice)
        page = signed_in(self.alice).get(self.sharing_url).content.decode()
        self.assertIn(f"Until the end of {last:%A} {last.day} {last:%B %Y} (America/Los_Angeles time)", page)
        self.assertIn("Check-up results and progress, Daily check-ins, Safety plan", page)

    def test_it_adds_a_share(self) -> None:
        Share.objects.all().delete()
        client = signed_in(self.alice)
        last = local_today(self.alice) + timedelta(days=10)
        response = client.post(
            self.sharing_url, {"kinds": ["checkins"], "last_day": last.isoformat()}, follow=True
        )
        self.assertContains(response, "Shared. Bob Example can now see your daily check-ins until the end of")
        share = Share.objects.get()
        self.assertEqual(share.kinds(), ["checkins"])
        self.assertEqual(access.last_day(share, self.alice), last)

    def test_it_names_the_field_when_a_share_cannot_be_made(self) -> None:
        client = signed_in(self.alice)
        yesterday = (local_today(self.alice) - timedelta(days=1)).isoformat()
        cases = {
            "nothing chosen": ({"last_day": "2030-01-01"}, "Choose at least one thing to share."),
            "unknown kind": (
                {"kinds": ["journal"], "last_day": "2030-01-01"},
                "Choose what to share from the list.",
            ),
            "no date": ({"kinds": ["results"]}, "Enter the last day of sharing."),
            "not a date": ({"kinds": ["results"], "last_day": "<b>soon</b>"}, "Enter the last day as a date"),
            "past": (
                {"kinds": ["results"], "last_day": yesterday},
                "Choose a last day that is today or later.",
            ),
            "too far": (
                {"kinds": ["results"], "last_day": "9999-12-31"},
                "Choose a last day within 366 days.",
            ),
        }
        before = Share.objects.count()
        for name, (data, message) in cases.items():
            response = client.post(self.sharing_url, data)
            self.assertEqual(response.status_code, 400, name)
            self.assertContains(response, message, status_code=400)
            self.assertNotIn("<b>soon</b>", response.content.decode())
        self.assertEqual(Share.objects.count(), before)

    def test_it_stops_a_share_with_one_click_and_says_so(self) -> None:
        client = signed_in(self.alice)
        response = client.post(f"{self.sharing_url}shares/{self.share.public_id}/stop/", follow=True)
        self.assertContains(
            response,
            "Stopped. Bob Example can no longer see your check-up results and progress, daily check-ins and "
            "safety plan.",
        )
        self.assertContains(response, "Nothing. Bob Example can see nothing of yours at the moment.")
        self.assertFalse(Share.objects.live().exists())

    def test_it_says_what_another_share_still_shows(self) -> None:
        Share.objects.create(
            relationship=self.relationship, checkins=True, until=self.share.until + timedelta(days=1)
        )
        response = signed_in(self.alice).post(
            f"{self.sharing_url}shares/{self.share.public_id}/stop/", follow=True
        )
        self.assertContains(
            response,
            "Stopped. Bob Example can no longer see your check-up results and progress and safety plan. Still "
            "shared through another share: your daily check-ins.",
        )

    def test_it_refuses_a_stop_by_get_and_a_share_of_another_relationship(self) -> None:
        client = signed_in(self.alice)
        stop = f"{self.sharing_url}shares/{self.share.public_id}/stop/"
        self.assertEqual(client.get(stop).status_code, 405)
        carol = make_clinician("carol", self.clinic)
        with_carol, _ = start_care(self.alice, carol)
        self.assertEqual(
            client.post(f"/care/{with_carol.public_id}/shares/{self.share.public_id}/stop/").status_code, 404
        )
        self.assertTrue(Share.objects.live().filter(pk=self.share.pk).exists())

    def test_it_ends_care_after_asking(self) -> None:
        client = signed_in(self.alice)
        confirm = client.get(f"{self.sharing_url}end/")
        self.assertContains(confirm, "End care with Bob Example?")
        self.assertTrue(CareRelationship.objects.active().exists(), "a GET changes nothing")
        response = client.post(f"{self.sharing_url}end/", follow=True)
        self.assertContains(response, "Care with Bob Example has ended.")
        self.assertContains(response, "Care that has ended")
        self.assertFalse(CareRelationship.objects.active().exists())
        page = client.get(self.sharing_url)
        self.assertContains(page, "They can see nothing of yours.")
        self.assertNotContains(page, "Share more")
        post = client.post(self.sharing_url, {"kinds": ["results"], "last_day": "2030-01-01"})
        self.assertEqual(post.status_code, 404)

    def test_it_lists_every_read_in_the_access_log_in_words_and_in_the_members_zone(self) -> None:
        for kind in Kind.values:
            access.member_for_clinician(self.bob, self.alice.public_id, kind)
        page = signed_in(self.alice).get("/care/access-log/").content.decode()
        self.assertIn("3 reads in all, newest first. Times are America/Los_Angeles time.", page)
        for label in ("Check-up results and progress", "Daily check-ins", "Safety plan"):
            self.assertIn(f'<td data-label="What">{label}</td>', page)
        self.assertEqual(page.count('<td data-label="Who">Bob Example</td>'), 3)
        read = ClinicianRead.objects.first()
        assert read is not None
        local = read.at.astimezone(zone_of(self.alice))
        self.assertIn(f"at {local:%H:%M}", page)

    def test_it_pages_a_long_access_log(self) -> None:
        for _ in range(access.READS_PER_PAGE + 1):
            access.member_for_clinician(self.bob, self.alice.public_id, Kind.RESULTS)
        client = signed_in(self.alice)
        first = client.get("/care/access-log/").content.decode()
        self.assertIn(f"{access.READS_PER_PAGE + 1} reads in all; page 1 of 2", first)
        self.assertIn('href="?page=2"', first)
        self.assertEqual(client.get("/care/access-log/?page=2").content.decode().count('data-label="Who"'), 1)
        self.assertEqual(client.get("/care/access-log/?page=" + "9" * 5000).status_code, 200)


@override_settings(DEBUG=False)
class ClinicianPagesTest(CareViewsBase):
    def test_it_works(self) -> None:
        client = signed_in(self.bob)
        listing = client.get("/clinician/members/")
        self.assertContains(listing, "Alice Member")
        self.assertContains(listing, self.member_url)
        self.assertContains(listing, "My members</a>")
        page = client.get(self.member_url)
        self.assertContains(page, "What Alice Member shares with you now")
        self.assertContains(page, 'id="chart-brs-heading"')
        self.assertContains(page, 'id="chart-mood-heading"')
        self.assertContains(page, "Skipping meals")
        for kind in KIND_PAGES:
            self.assertEqual(client.get(self.member_url + kind).status_code, 200, kind)

    def test_it_requires_login(self) -> None:
        for url in ("/clinician/members/", self.member_url, self.member_url + "results/"):
            response = Client().get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith("/accounts/login/"), url)

    def test_it_requires_two_factor_first(self) -> None:
        carol = make_clinician("carol", self.clinic, two_factor=False)
        start_care(make_user("erin"), carol)
        response = signed_in(carol).get("/clinician/members/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/accounts/2fa/totp/activate/")

    def test_it_checks_access(self) -> None:
        missing = f"/clinician/members/{uuid.uuid4()}/"
        carol = make_clinician("carol", self.clinic)
        other_clinic = make_clinician("hal", make_clinic("Hillside Therapy"))
        inactive = make_clinician("ivy", self.clinic)
        start_care(make_user("erin"), inactive)
        Staff.objects.filter(user=inactive).update(active=False)
        for who in (
            carol,
            other_clinic,
            inactive,
            self.alice,
            make_user("dave"),
            make_clinic_admin("oscar", self.clinic),
        ):
            client = signed_in(who)
            for url in (self.member_url, *(self.member_url + k for k in KIND_PAGES)):
                self.assert_like_missing(client, url, missing)
            if who in (carol, other_clinic):  # their own (empty) list
                self.assertNotContains(client.get("/clinician/members/"), "Alice")
            else:
                self.assert_like_missing(client, "/clinician/members/", missing)
        bobs = signed_in(self.bob)
        for url in (
            f"/clinician/members/{self.alice.pk}/",
            self.member_url + "journal/",
            "/clinician/members/not-an-id/",
        ):
            self.assert_like_missing(bobs, url, missing)
        self.assertEqual(ClinicianRead.objects.count(), 0)

    def test_it_logs_each_kind_read_for_the_member(self) -> None:
        client = signed_in(self.bob)
        client.get("/clinician/members/")
        self.assertEqual(ClinicianRead.objects.count(), 0, "the list reads no shared data")
        client.get(self.member_url)
        self.assertEqual(sorted(ClinicianRead.objects.values_list("what", flat=True)), sorted(Kind.values))
        client.get(self.member_url + "safety-plan/")
        self.assertEqual(ClinicianRead.objects.filter(what=Kind.SAFETY_PLAN).count(), 2)

    def test_it_names_what_is_not_shared(self) -> None:
        Share.objects.update(checkins=False, safety_plan=False)
        client = signed_in(self.bob)
        page = client.get(self.member_url).content.decode()
        self.assertIn("Daily check-ins: not shared", page)
        self.assertIn("Safety plan: not shared", page)
        self.assertIn('id="chart-brs-heading"', page)
        self.assertNotIn('id="chart-mood-heading"', page)
        self.assertNotIn("Skipping meals", page)
        listing = client.get("/clinician/members/").content.decode()
        self.assertIn("<li>Check-up results and progress: until the end of", listing)

    def test_it_stops_showing_a_stopped_share_on_the_clinicians_next_request(self) -> None:
        clinician, member = signed_in(self.bob), signed_in(self.alice)
        self.assertEqual(clinician.get(self.member_url).status_code, 200)
        member.post(f"{self.sharing_url}shares/{self.share.public_id}/stop/")
        missing = f"/clinician/members/{uuid.uuid4()}/"
        for url in (self.member_url, *(self.member_url + k for k in KIND_PAGES)):
            self.assert_like_missing(clinician, url, missing)
        listing = clinician.get("/clinician/members/").content.decode()
        self.assertIn("Alice Member", listing)
        self.assertIn("Nothing shared at the moment.", listing)
        self.assertNotIn(self.member_url, listing)

    def test_it_stops_showing_everything_when_the_member_ends_care(self) -> None:
        clinician, member = signed_in(self.bob), signed_in(self.alice)
        self.assertEqual(clinician.get(self.member_url + "results/").status_code, 200)
        member.post(f"{self.sharing_url}end/")
        self.assert_like_missing(
            clinician, self.member_url + "results/", f"/clinician/members/{uuid.uuid4()}/"
        )
        self.assertNotIn("Alice Member", clinician.get("/clinician/members/").content.decode())

    def test_it_shows_one_kind_alone(self) -> None:
        page = signed_in(self.bob).get(self.member_url + "checkins/").content.decode()
        self.assertIn('id="chart-mood-heading"', page)
        self.assertNotIn('id="chart-brs-heading"', page)
        self.assertNotIn("Skipping meals", page)
        self.assertEqual(list(ClinicianRead.objects.values_list("what", flat=True)), [Kind.CHECKINS])


class LayoutTest(TestCase):
    def test_no_care_view_queries_a_model_directly(self) -> None:
        views = Path(__file__).resolve().parents[1] / "views.py"
        found = [
            f"{node.value.id}.objects"
            for node in ast.walk(ast.parse(views.read_text()))
            if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name)
        ]
        self.assertEqual(found, [])


class GetWritesOnlyTheReadLogTest(CareViewsBase):
    def test_no_get_of_a_care_page_writes_anything_but_the_read_log_and_the_audit_trail(self) -> None:
        pages = {
            self.alice: ["/care/", self.sharing_url, f"{self.sharing_url}end/", "/care/access-log/"],
            self.bob: ["/clinician/members/", self.member_url, *(self.member_url + k for k in KIND_PAGES)],
        }
        for user, urls in pages.items():
            client = signed_in(user)
            for url in urls:
                with CaptureQueriesContext(connection) as ctx:
                    self.assertEqual(client.get(url).status_code, 200, url)
                writes = [
                    q["sql"][:80]
                    for q in ctx.captured_queries
                    if re.match(r"^\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
                    and not any(t in q["sql"] for t in ("audit_", "care_clinicianread", "django_session"))
                ]
                self.assertEqual(writes, [], url)
        self.assertTrue(CareRelationship.objects.active().exists())
        self.assertTrue(Share.objects.live().exists())

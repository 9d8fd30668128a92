"""Hostile values in every field of the care forms (share, stop a share, end care) and in the ids of their
addresses: never a 500, never markup echoed unescaped, never another member's care touched. The site-wide fuzz
test reaches these forms once the demo member is in care; this one reaches them on its own (it keeps its own
values: the site test reads the demo accounts when it is imported)."""

from __future__ import annotations

from urllib.parse import quote

from django.middleware.csrf import get_token
from django.test import Client, TestCase, override_settings

from bounceback.care.models import CareRelationship, Share
from bounceback.test import make_clinic, make_clinician, make_user, start_care

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
VALUES: tuple[str, ...] = (
    "9" * 4301,
    "-1",
    "1.5",
    "1e309",
    "²",
    "١٢",
    "\x00",
    "x" * 10_000,
    SCRIPT,
    ATTRIBUTE,
    "",
    " \t\n ",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "results\x00",
)
BAD_SEGMENTS: tuple[str, ...] = (
    "not-an-id",
    "9" * 4301,
    quote("\x00"),
    quote(SCRIPT, safe=""),
    quote(ATTRIBUTE, safe=""),
)


@override_settings(DEBUG=False)
class HostileInputTest(TestCase):
    def setUp(self) -> None:
        clinic = make_clinic()
        self.bob = make_clinician("bob", clinic)
        self.alice = make_user("alice")
        self.relationship, self.share = start_care(self.alice, self.bob)
        self.daves, self.daves_share = start_care(make_user("dave"), self.bob)
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.client.force_login(self.alice)
        self.sharing = f"/care/{self.relationship.public_id}/"

    def csrf(self) -> str:
        page = self.client.get(self.sharing)
        token = page.context["csrf_token"] if page.context else get_token(page.wsgi_request)
        return str(token)

    def post(self, url: str, data: dict[str, object]) -> list[str]:
        """Problems with one post: a 500, or markup sent back as it came."""
        response = self.client.post(url, {"csrfmiddlewaretoken": self.csrf(), **data})
        problems = []
        if response.status_code >= 500:
            problems.append(f"{url} {str(data)[:80]}: {response.status_code}")
        for markup in (SCRIPT, ATTRIBUTE):
            if markup.encode() in response.content:
                problems.append(f"{url} {str(data)[:80]}: echoes {markup!r}")
        return problems

    def test_the_share_form_names_the_field_and_never_fails_on_hostile_values(self) -> None:
        good = {"kinds": ["results"], "last_day": "2030-01-01"}
        problems = []
        for name in good:
            for value in VALUES:
                problems += self.post(self.sharing, {**good, name: value})
                problems += self.post(self.sharing, {**good, name: [value, "results"]})
            problems += self.post(self.sharing, {k: v for k, v in good.items() if k != name})
        self.assertEqual(problems, [])

    def test_no_care_address_fails_on_a_hostile_id_or_serves_another_members_care(self) -> None:
        share = str(self.share.public_id)
        theirs = (str(self.daves.public_id), str(self.daves_share.public_id))
        addresses = [f"/care/{bad}/" for bad in (*BAD_SEGMENTS, theirs[0])]
        addresses += [f"/care/{bad}/end/" for bad in (*BAD_SEGMENTS, theirs[0])]
        addresses += [f"{self.sharing}shares/{bad}/stop/" for bad in (*BAD_SEGMENTS, theirs[1])]
        addresses += [
            f"/care/{theirs[0]}/shares/{theirs[1]}/stop/",
            f"/care/{theirs[0]}/shares/{share}/stop/",
        ]
        problems = []
        for url in addresses:
            for method in ("get", "post"):
                response = getattr(self.client, method)(url, {"csrfmiddlewaretoken": self.csrf()})
                if response.status_code not in (404, 405):
                    problems.append(f"{method} {url[:90]}: {response.status_code}")
        self.assertEqual(problems, [])
        self.assertTrue(CareRelationship.objects.active().filter(pk=self.daves.pk).exists())
        self.assertTrue(Share.objects.live().filter(pk=self.daves_share.pk).exists())
        self.assertTrue(Share.objects.live().filter(pk=self.share.pk).exists())

    def test_the_access_log_takes_any_page_number(self) -> None:
        for value in VALUES:
            response = self.client.get("/care/access-log/", {"page": value})
            self.assertEqual(response.status_code, 200, value[:20])
            self.assertNotIn(SCRIPT.encode(), response.content)

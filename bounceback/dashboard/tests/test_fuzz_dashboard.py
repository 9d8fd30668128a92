"""Hostile values in every field of the dashboard's forms (the caseload's filters, assigning a measure, stopping
one) and in the ids of their addresses: never a 500, never markup echoed unescaped, a bad value answered naming
its field, and another clinician's member never touched. The site-wide fuzz test reaches these forms through
the demo clinician; this one reaches them on its own."""

from __future__ import annotations

from urllib.parse import quote

from django.middleware.csrf import get_token
from django.test import Client, TestCase, override_settings

from bounceback.care.tests.test_fuzz_care import ATTRIBUTE, BAD_SEGMENTS, SCRIPT, VALUES
from bounceback.dashboard import actions
from bounceback.dashboard.models import Assignment
from bounceback.test import make_clinic, make_clinician, make_user, start_care


@override_settings(DEBUG=False)
class HostileInputTest(TestCase):
    def setUp(self) -> None:
        clinic = make_clinic()
        self.maya = make_clinician("maya", clinic)
        self.alice = make_user("alice")
        self.relationship, _share = start_care(self.alice, self.maya)
        self.other = make_clinician("other", clinic)
        self.dave = make_user("dave")
        self.daves, _ = start_care(self.dave, self.other)
        self.daves_assignment = actions.assign(self.other, self.daves, ["gad7"], 7, "")[0]
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.client.force_login(self.maya)
        self.assign = f"/clinician/assign/{self.alice.public_id}/"

    def csrf(self) -> str:
        page = self.client.get(self.assign)
        token = page.context["csrf_token"] if page.context else get_token(page.wsgi_request)
        return str(token)

    def problems(self, url: str, response: object, data: object) -> list[str]:
        found = []
        status = response.status_code  # type: ignore[attr-defined]
        content = response.content  # type: ignore[attr-defined]
        if status >= 500:
            found.append(f"{url} {str(data)[:80]}: {status}")
        for markup in (SCRIPT, ATTRIBUTE):
            if markup.encode() in content:
                found.append(f"{url} {str(data)[:80]}: echoes {markup!r}")
        return found

    def post(self, url: str, data: dict[str, object]) -> list[str]:
        response = self.client.post(url, {"csrfmiddlewaretoken": self.csrf(), **data})
        found = self.problems(url, response, data)
        if response.status_code == 400 and b"There is a problem" not in response.content:
            found.append(f"{url} {str(data)[:80]}: 400 without naming the field")
        return found

    def test_the_assign_form_names_the_field_and_never_fails_on_hostile_values(self) -> None:
        good: dict[str, object] = {"instruments": ["phq9"], "every_days": "14", "reason": "Between visits"}
        problems = []
        for name in good:
            for value in VALUES:
                problems += self.post(self.assign, {**good, name: value})
                problems += self.post(self.assign, {**good, name: [value, "phq9"]})
            problems += self.post(self.assign, {k: v for k, v in good.items() if k != name})
        self.assertEqual(problems, [])
        response = self.client.get(self.assign)  # what was stored is shown escaped
        self.assertEqual(self.problems(self.assign, response, "after"), [])
        self.assertTrue(Assignment.objects.filter(member=self.alice).exists())

    def test_hostile_filters_and_ids_never_fail_nor_reach_another_member(self) -> None:
        problems = []
        for value in (*VALUES, *BAD_SEGMENTS):
            for query in (
                {"show": value},
                {"measure": value},
                {"page": value},
                {"show": value, "measure": value},
            ):
                problems += self.problems("/clinician/", self.client.get("/clinician/", query), query)
        for segment in (*BAD_SEGMENTS, str(self.dave.public_id)):
            url = f"/clinician/assign/{segment}/"
            response = self.client.get(url)
            problems += self.problems(url, response, segment)
            self.assertEqual(response.status_code, 404, url)
            response = self.client.post(url, {"csrfmiddlewaretoken": self.csrf(), "instruments": ["phq9"]})
            self.assertEqual(response.status_code, 404, url)
            stop = f"{self.assign}{segment}/stop/"
            response = self.client.post(stop, {"csrfmiddlewaretoken": self.csrf()})
            problems += self.problems(stop, response, segment)
            self.assertEqual(response.status_code, 404, stop)
        stop = f"/clinician/assign/{self.dave.public_id}/{self.daves_assignment.public_id}/stop/"
        self.assertEqual(self.client.post(stop, {"csrfmiddlewaretoken": self.csrf()}).status_code, 404)
        stop = f"{self.assign}{self.daves_assignment.public_id}/stop/"
        self.assertEqual(self.client.post(stop, {"csrfmiddlewaretoken": self.csrf()}).status_code, 404)
        self.assertIsNone(Assignment.objects.get(pk=self.daves_assignment.pk).stopped_at)
        self.assertEqual(problems, [])
        self.assertEqual(quote("x"), "x")

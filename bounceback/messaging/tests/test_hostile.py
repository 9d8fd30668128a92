"""Hostile values in every field of the compose, reply and visit-notes forms: a clear error naming the field or
a saved message, never a 500, never the markup echoed (values of the kinds ``bounceback/tests/test_fuzz.py``
sends; it reaches these forms too once the demo has a thread and a visit)."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from bounceback.messaging import actions
from bounceback.visits.models import Appointment

from .helpers import people, signed_in

MARKUP = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
TWO, MISSING = object(), object()
HOSTILE: tuple[tuple[str, object], ...] = (
    ("a 4,301-digit number", "9" * 4301),
    ("-1", "-1"),
    ("NUL", "\x00"),
    ("Arabic-Indic digits", "١٢"),
    ("10,000 characters", "x" * 10_000),
    ("script markup", MARKUP[0]),
    ("attribute-breaking markup", MARKUP[1]),
    ("empty", ""),
    ("whitespace", " \t\n "),
    ("two values", TWO),
    ("missing", MISSING),
)
HOSTILE_SEGMENTS = (
    ("a non-id", "not-an-id"),
    ("a 4,301-digit number", "9" * 4301),
    ("NUL", "%00"),
    ("script markup", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
)


def variants(valid: dict[str, str], name: str) -> list[tuple[str, dict[str, str | list[str]]]]:
    cases: list[tuple[str, dict[str, str | list[str]]]] = []
    for label, value in HOSTILE:
        data: dict[str, str | list[str]] = dict(valid)
        if value is MISSING:
            del data[name]
        elif value is TWO:
            data[name] = [MARKUP[0], valid[name]]
        else:
            assert isinstance(value, str)
            data[name] = value
        cases.append((f"{name}: {label}", data))
    return cases


class HostileTest(TestCase):
    def check(self, client: object, url: str, valid: dict[str, str]) -> None:
        for name in valid:
            for label, data in variants(valid, name):
                response = client.post(url, data)  # type: ignore[attr-defined]
                self.assertLess(response.status_code, 500, label)
                body = response.content.decode()
                for markup in MARKUP:
                    self.assertNotIn(markup, body, label)
                if response.status_code == 400:
                    self.assertIn("There is a problem", body, label)

    def test_the_compose_and_reply_forms(self) -> None:
        p = people()
        for person in (p.alice, p.dana):
            client = signed_in(person)
            self.check(client, "/messages/new/", {"to": str(p.care.public_id), "subject": "Hi", "body": "Hi"})
            thread = actions.start_thread(person, p.care, "Hello", "Hello")
            self.check(client, f"/messages/{thread.public_id}/", {"body": "Hi"})
            for label, segment in HOSTILE_SEGMENTS:
                self.assertEqual(client.get(f"/messages/{segment}/").status_code, 404, label)

    def test_the_visit_notes_form(self) -> None:
        p = people()
        start = timezone.now() - timedelta(minutes=10)
        visit = Appointment.objects.create(
            relationship=p.care,
            member=p.alice,
            clinician=p.dana,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
        client = signed_in(p.dana)
        self.check(
            client, f"/visits/{visit.public_id}/notes/", {"summary": "S", "notes": "N", "action": "save"}
        )
        for label, segment in HOSTILE_SEGMENTS:
            for page in ("notes", "summary"):
                self.assertEqual(client.get(f"/visits/{segment}/{page}/").status_code, 404, label)

"""The member's export: everything they have, in JSON, CSV and FHIR, theirs only, downloaded safely."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django.test import Client, TestCase
from fhir.resources.R4B.bundle import Bundle

from bounceback.audit.models import AuditEvent
from bounceback.checkups.models import Answer, CheckUp
from bounceback.datarights.access import export_for
from bounceback.datarights.registry import tables
from bounceback.fhir.conformance import problems
from bounceback.fhir.imports import read_response
from bounceback.plans.models import MindfulnessSession
from bounceback.safety.models import SafetyEvent
from bounceback.tracking.models import CheckIn

from .people import contact_of, full_member, note_of

LONG_FORM = {"phq2": "phq9", "gad2": "gad7"}
"""PHQ-2 and GAD-2 are read from the long forms' first two answers (``Battery.administered``)."""


def as_json(user: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(export_for(user, "json").body)
    return data


def as_csv(user: Any) -> dict[str, list[dict[str, str]]]:
    archive = zipfile.ZipFile(io.BytesIO(export_for(user, "csv").body))
    return {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
    }


def as_fhir(user: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(export_for(user, "fhir").body)
    return data


def text(value: object) -> str:
    """A stored value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class RoundTripTest(TestCase):
    """Every check-up, answer and check-in the member has is in each format, with its values."""

    def setUp(self) -> None:
        self.alice = full_member("alice")
        self.checkups = {str(c.public_id) for c in CheckUp.objects.filter(owner=self.alice)}
        self.answers = {
            (str(a.checkup.public_id), a.item_id, a.value)
            for a in Answer.objects.filter(checkup__owner=self.alice).select_related("checkup")
        }
        self.checkins = list(CheckIn.objects.filter(owner=self.alice).order_by("day"))
        assert len(self.checkups) == 2 and len(self.answers) > 30 and len(self.checkins) == 2

    def test_the_json_holds_every_check_up_answer_and_check_in(self) -> None:
        data = as_json(self.alice)
        assert data["format"] == "bounceback-export" and data["account"] == str(self.alice.public_id)
        found = data["tables"]
        assert set(found) == {t.name for t in tables()}
        assert {c["public_id"] for c in found["checkups"]} == self.checkups
        assert {(a["checkup"], a["item_id"], a["value"]) for a in found["answers"]} == self.answers
        assert [(c["public_id"], c["day"], c["mood"], c["note"]) for c in found["checkins"]] == [
            (str(c.public_id), c.day.isoformat(), c.mood, c.note) for c in self.checkins
        ]
        assert found["checkins"][-1]["note"] == note_of("alice")  # decrypted for its owner
        assert found["checkins"][-1]["sleep_hours"] == 7.5
        assert len(found["results"]) == 10 and {r["checkup"] for r in found["results"]} < self.checkups
        assert {e["kind"] for e in found["safety_events"]} == {"suicidal_ideation", "suicide_risk"}
        assert (
            len(found["mindfulness_sessions"])
            == 1
            == MindfulnessSession.objects.filter(user=self.alice).count()
        )
        [account] = found["account"]
        assert (account["email"], account["country"], account["time_zone"]) == (
            "alice@example.org",
            "US",
            "UTC",
        )
        assert "consented_at" in account and "consent_version" in account
        assert {e["email"] for e in found["email_addresses"]} == {
            "alice@example.org",
            "alice.other@example.org",
        }
        assert found["reminder_settings"][0]["instruments"] == "brs,phq9"
        [entry] = found["safety_plan_entries"]
        assert (entry["text"], entry["phone"]) == (
            contact_of("alice"),
            "+1 555 0100",
        )  # decrypted for its owner
        assert (
            found["notifications"] and found["reminders"] and found["signed_in_devices"] and found["sign_ins"]
        )
        trail = {e["action"] for e in found["audit_trail"]}
        assert {"checkup.create", "checkup.answer.write", "account.signin"} <= trail

    def test_the_csv_holds_every_check_up_answer_and_check_in(self) -> None:
        found = as_csv(self.alice)
        assert set(found) == {t.name for t in tables()}  # one file per table, even an empty one
        assert {c["public_id"] for c in found["checkups"]} == self.checkups
        assert {(a["checkup"], a["item_id"], int(a["value"])) for a in found["answers"]} == self.answers
        columns = (
            "public_id",
            "day",
            "mood",
            "sleep_hours",
            "sleep_quality",
            "exercise_minutes",
            "connected",
            "note",
        )
        assert [tuple(c[k] for k in columns) for c in found["checkins"]] == [
            tuple(text(getattr(c, k)) for k in columns) for c in self.checkins
        ]
        assert found["checkins"][-1]["note"] == note_of("alice")
        flags = {r["instrument_id"]: json.loads(r["flags"]) for r in found["results"]}
        assert "suicidal_ideation" in flags["phq9"] and flags["brs"] == []

    def test_the_fhir_bundle_holds_every_check_up_answer_and_check_in_and_conforms(self) -> None:
        bundle = as_fhir(self.alice)
        Bundle.model_validate(bundle)
        assert problems(bundle) == []
        resources = [e["resource"] for e in bundle["entry"]]
        assert len({e["fullUrl"] for e in bundle["entry"]}) == len(resources)
        responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
        assert {r["identifier"]["value"] for r in responses} == self.checkups
        assert {r["status"] for r in responses} == {"completed", "in-progress"}
        answers = set()
        for response in responses:
            imported = read_response(response | {"status": "completed"})
            for item_id, value in imported.answers.items():
                prefix, number = item_id.rsplit("_", 1)
                answers.add(
                    (response["identifier"]["value"], f"{LONG_FORM.get(prefix, prefix)}_{number}", value)
                )
        assert self.answers <= answers
        totals = [r for r in resources if r["resourceType"] == "Observation" and "valueInteger" in r]
        assert totals and all("derivedFrom" in t for t in totals)
        checkins = [r for r in resources if r["resourceType"] == "Observation" and "component" in r]
        assert [c["identifier"][0]["value"] for c in checkins] == [str(c.public_id) for c in self.checkins]
        assert checkins[-1]["note"] == [{"text": note_of("alice")}]
        mood = next(c for c in checkins[-1]["component"] if c["code"]["coding"][0]["code"] == "mood")
        assert mood["valueInteger"] == 6
        assert all(
            r["subject"]["reference"] == f"Patient/{self.alice.public_id}" for r in responses + checkins
        )
        assert "alice@example.org" not in json.dumps(bundle)


class OnlyMineTest(TestCase):
    def test_another_members_data_is_never_in_my_export(self) -> None:
        alice, bob = full_member("alice"), full_member("bob")
        bobs = [
            "bob@example.org",
            "bob.other@example.org",
            note_of("bob"),
            contact_of("bob"),
            str(bob.public_id),
            *(str(c.public_id) for c in CheckUp.objects.filter(owner=bob)),
            *(str(c.public_id) for c in CheckIn.objects.filter(owner=bob)),
            *(str(e.public_id) for e in SafetyEvent.objects.filter(user=bob)),
            *(str(s.public_id) for s in MindfulnessSession.objects.filter(user=bob)),
        ]
        for fmt in ("json", "fhir"):
            body = export_for(alice, fmt).body.decode()
            assert [b for b in bobs if b in body] == [], fmt
            assert "alice" in body or fmt == "fhir"
        archive = zipfile.ZipFile(io.BytesIO(export_for(alice, "csv").body))
        everything = "".join(archive.read(name).decode() for name in archive.namelist())
        assert [b for b in bobs if b in everything] == []
        assert note_of("alice") in everything


class DownloadTest(TestCase):
    def setUp(self) -> None:
        self.alice = full_member("alice")
        self.client = Client()
        self.client.force_login(self.alice)

    def test_each_format_downloads_as_an_attachment_never_cached(self) -> None:
        types = {"json": "application/json", "csv": "application/zip", "fhir": "application/fhir+json"}
        for fmt, content_type in types.items():
            before = AuditEvent.objects.count()
            response = self.client.post("/me/data/download/", {"format": fmt})
            assert response.status_code == 200, fmt
            assert response["Content-Type"] == content_type
            disposition = response["Content-Disposition"]
            assert disposition.startswith('attachment; filename="bounceback-export-'), disposition
            assert "alice" not in disposition
            assert "no-store" in response["Cache-Control"]
            [entry] = AuditEvent.objects.order_by("-pk")[: AuditEvent.objects.count() - before]
            assert (entry.action, entry.actor_id, entry.target_type, entry.target_id) == (
                f"account.export.{fmt}",
                self.alice.pk,
                "user",
                str(self.alice.public_id),
            )

    def test_the_address_holds_no_data_and_a_get_downloads_nothing(self) -> None:
        page = self.client.get("/me/data/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'action="/me/data/download/"' in html and 'method="post"' in html
        assert self.client.get("/me/data/download/?format=json").status_code == 405
        assert self.client.post("/me/data/download/", {"format": "xml"}).status_code == 400

    def test_signed_in_people_only(self) -> None:
        anonymous = Client()
        for url in ("/me/data/", "/me/delete/"):
            response = anonymous.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
        response = anonymous.post("/me/data/download/", {"format": "json"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_no_secret_is_exported(self) -> None:
        body = export_for(self.alice, "json").body.decode()
        assert self.alice.password not in body
        assert "session_key" not in body and '"data"' not in body

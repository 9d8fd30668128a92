"""A clinic administrator exports the audit trail (issue 11): one member of the clinic (what they did, what was
done about their account and their care here), or a period's entries by the clinic's staff; never another
clinic's member; ids and verbs only; the export itself audited; the member's address never in a URL."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from django.test import Client, TestCase
from django.utils import timezone

from bounceback.audit.models import AuditEvent
from bounceback.care import access as care_access
from bounceback.test import make_clinic, make_clinic_admin, make_clinician, make_user, start_care


class ClinicAuditExportTest(TestCase):
    def setUp(self) -> None:
        self.clinic = make_clinic()
        self.ada = make_clinic_admin("ada", self.clinic)
        self.bob = make_clinician("bob", self.clinic)
        self.alice = make_user("alice")
        self.relationship, self.share = start_care(self.alice, self.bob)
        care_access.member_for_clinician(
            self.bob, self.alice.public_id, "results"
        )  # a read of what she shared
        other = make_clinic("Elsewhere")
        self.carol = make_user("carol")
        start_care(self.carol, make_clinician("otto", other))
        self.admin = Client()
        self.admin.force_login(self.ada)

    def export(self, **data: str) -> list[dict[str, str]]:
        response = self.admin.post("/clinic/audit/", {"fmt": "csv", **data})
        self.assertEqual(response.status_code, 200, response.content[:500])
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn("no-store", response["Cache-Control"])
        return list(csv.DictReader(io.StringIO(response.content.decode())))

    def test_it_exports_a_members_trail_with_the_reads_of_what_she_shared(self) -> None:
        rows = self.export(member="alice@example.org")
        actions = {r["action"] for r in rows}
        self.assertIn("care.read.results", actions)
        self.assertTrue(all(r["hash"] for r in rows))
        self.assertEqual(self.export(member=str(self.alice.public_id)), rows)
        self.assertTrue(AuditEvent.objects.filter(action="audit.export", actor_id=self.ada.pk).exists())

    def test_another_clinics_member_is_as_unknown_as_no_account(self) -> None:
        for who in ("carol@example.org", "nobody@example.org", str(self.carol.public_id)):
            response = self.admin.post("/clinic/audit/", {"fmt": "csv", "member": who})
            self.assertContains(
                response, "No member of this clinic has that email address or id.", status_code=400
            )

    def test_a_period_holds_what_the_clinics_staff_did(self) -> None:
        today = timezone.localdate()
        response = self.admin.post(
            "/clinic/audit/",
            {"fmt": "json", "since": str(today - timedelta(days=1)), "until": str(today + timedelta(days=1))},
        )
        rows = json.loads(response.content)
        self.assertTrue(rows)
        staff = {str(self.ada.public_id), str(self.bob.public_id)}
        self.assertTrue(all(r["actor_public_id"] in staff for r in rows))
        response = self.admin.post("/clinic/audit/", {"fmt": "csv"})
        self.assertContains(
            response, "Give a member, or the first and last day of a period.", status_code=400
        )

    def test_it_checks_access(self) -> None:
        for person in (self.bob, self.alice):
            client = Client()
            client.force_login(person)
            self.assertEqual(client.get("/clinic/audit/").status_code, 404)
            self.assertEqual(
                client.post("/clinic/audit/", {"fmt": "csv", "member": "alice@example.org"}).status_code, 404
            )

    def test_it_requires_login(self) -> None:
        self.assertEqual(Client().get("/clinic/audit/").status_code, 302)

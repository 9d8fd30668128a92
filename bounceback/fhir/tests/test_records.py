"""Exporting a member's stored check-ups as a FHIR Bundle (hazards H19, H20)."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from fhir.resources.R4B.bundle import Bundle

from bounceback.audit.models import AuditEvent
from bounceback.checkups import actions
from bounceback.fhir.conformance import problems
from bounceback.instruments import score
from bounceback.test import CALM_ANSWERS, make_user, member_checkup


class ExportUserTest(TestCase):
    def export(self, *args: str) -> dict[str, Any]:
        out = StringIO()
        call_command("fhir", "export", *args, stdout=out)
        data: dict[str, Any] = json.loads(out.getvalue())
        return data

    def test_it_exports_each_completed_check_up_recomputed_from_raw_answers(self) -> None:
        alice = make_user("alice")
        done = member_checkup(
            alice, CALM_ANSWERS | {"phq9_9": 1, "asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0}
        )
        actions.complete_if_done(done, actor=alice)
        member_checkup(alice, {"brs_1": 1})  # in progress: not exported
        bundle = self.export("--user", "alice@example.org")
        Bundle.model_validate(bundle)
        assert problems(bundle) == []
        entries = [e["resource"] for e in bundle["entry"]]
        responses = [r for r in entries if r["resourceType"] == "QuestionnaireResponse"]
        observations = [r for r in entries if r["resourceType"] == "Observation"]
        questionnaires = {r["questionnaire"].rsplit("/", 1)[-1] for r in responses}
        assert {"brs", "phq2", "phq9", "asq", "gad2", "pcptsd5", "osss3", "ucla3", "evs", "swls"} <= {
            q.split("|")[0] for q in questionnaires
        }
        assert all(r["subject"]["reference"] == f"Patient/{alice.public_id}" for r in responses)
        assert "alice" not in json.dumps(bundle)
        # The item-9-only PHQ-9 has no total Observation; the complete BRS has one with score()'s value.
        brs_total = score("brs", {k: v for k, v in CALM_ANSWERS.items() if k.startswith("brs")}).total
        values = [json.dumps(o) for o in observations]
        assert any(str(brs_total) in v for v in values)
        assert len(observations) == len(responses) - 1
        assert AuditEvent.objects.filter(action="fhir.export", actor_kind="system").count() == 1

    def test_it_names_an_unknown_member(self) -> None:
        with pytest.raises(CommandError, match=r"no member with the email 'nobody@example\.org'"):
            self.export("--user", "nobody@example.org")

    def test_it_needs_a_subject_with_an_answers_file(self) -> None:
        with pytest.raises(CommandError, match="--subject is needed"):
            self.export("--answers", "whatever.json")

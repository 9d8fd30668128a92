"""``bounceback fhir questionnaire | export | import`` through the command."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from bounceback.fhir.conformance import problems

PHQ9 = {f"phq9_{n}": v for n, v in enumerate([0, 0, 0, 1, 2, 1, 3, 2, 1], start=1)}


def fhir(*args: str) -> Any:
    out = StringIO()
    call_command("fhir", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        fhir(*args)
    return str(caught.value)


def test_it_prints_a_questionnaire() -> None:
    resource = fhir("questionnaire", "gad7")
    Questionnaire.model_validate(resource)
    assert resource["id"] == "gad7"
    assert "unknown instrument 'gad8'" in fails("questionnaire", "gad8")


def test_it_exports_answers_as_a_bundle_and_imports_them_back(tmp_path: Path) -> None:
    answers = [
        {"instrument": "phq9", "answers": PHQ9, "authored": "2026-03-01T09:30:00+01:00"},
        {"instrument": "evs", "answers": {"evs_days": 0}, "authored": "2026-03-01T09:40:00+01:00"},
    ]
    (tmp_path / "answers.json").write_text(json.dumps(answers))
    resource = fhir("export", "--answers", str(tmp_path / "answers.json"), "--subject", "Patient/alice")
    Bundle.model_validate(resource)
    assert problems(resource) == []
    totals = [e["resource"] for e in resource["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert [t.get("valueInteger", t.get("valueQuantity", {}).get("value")) for t in totals] == [10, 0]
    response = resource["entry"][0]["resource"]
    (tmp_path / "response.json").write_text(json.dumps(response))
    imported = fhir("import", str(tmp_path / "response.json"))
    assert imported == {
        "instrument": "phq9",
        "answers": PHQ9,
        "authored": "2026-03-01T09:30:00+01:00",
        "subject": "Patient/alice",
        "total": 10,
        "band": "moderate",
        "complete": True,
        "flags": ["suicidal_ideation"],
    }


def test_it_refuses_bad_answers_files(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    for content, message in [
        ("{", "not JSON"),
        ('{"instrument": "phq9"}', "expected a JSON list"),
        ('[{"instrument": "phq9", "answers": {}}]', "entry 1: needs instrument, answers and authored"),
        ('[{"instrument": "phq9", "answers": {}, "authored": "2026-03-01T09:30:00"}]', "has no time zone"),
        (
            '[{"instrument": "phq9", "answers": {"phq9_1": 7}, "authored": "2026-03-01T09:30:00Z"}]',
            "phq9_1: 7 is out of range",
        ),
        (
            '[{"instrument": "phq7", "answers": {}, "authored": "2026-03-01T09:30:00Z"}]',
            "unknown instrument 'phq7'",
        ),
    ]:
        path.write_text(content)
        assert message in fails("export", "--answers", str(path), "--subject", "Patient/1"), content
    assert "No such file" in fails(
        "export", "--answers", str(tmp_path / "none.json"), "--subject", "Patient/1"
    )


def test_it_refuses_to_import_a_response_whose_total_disagrees(tmp_path: Path) -> None:
    from bounceback.fhir.tests.test_imports import sdc_like_response

    (tmp_path / "sdc.json").write_text(json.dumps(sdc_like_response(13)))
    message = fails("import", str(tmp_path / "sdc.json"))
    assert "states a total of 13, but its answers give a total of 10" in message

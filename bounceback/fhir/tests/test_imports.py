"""Hazard T19: export → import → score is identical (hypothesis), and a response whose stated total
disagrees with its answers is refused (the HL7 SDC PHQ-9 example stores 13 for answers that sum to 10)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback.fhir.export import LOINC, questionnaire_response
from bounceback.fhir.imports import FhirImportError, read_response
from bounceback.instruments import INSTRUMENTS, score

IDS = sorted(INSTRUMENTS)
SUBJECT = "Patient/alice"

SDC_ANSWERS = [0, 0, 0, 1, 2, 1, 3, 2, 1]  # sums to 10
LOINC_ANSWERS = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]
PHQ9_ITEM_CODES = [
    "44250-9",
    "44255-8",
    "44259-0",
    "44254-1",
    "44251-7",
    "44258-2",
    "44252-5",
    "44253-3",
    "44260-8",
]


def sdc_like_response(total: int | None) -> dict[str, Any]:
    """A PHQ-9 response in the HL7 style: LOINC linkIds nested in a group, LOINC answers, a stored total."""
    items: list[dict[str, Any]] = [
        {"linkId": f"/{code}", "answer": [{"valueCoding": {"system": LOINC, "code": LOINC_ANSWERS[value]}}]}
        for code, value in zip(PHQ9_ITEM_CODES, SDC_ANSWERS, strict=True)
    ]
    group: dict[str, Any] = {"linkId": "H1/T1", "item": items}
    top: list[dict[str, Any]] = [group]
    if total is not None:
        top.append({"linkId": "/44261-6", "answer": [{"valueInteger": total}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "http://loinc.org/q/44249-1",
        "status": "completed",
        "authored": "2026-01-15T10:00:00Z",
        "item": top,
    }


def test_it_refuses_the_sdc_example_whose_total_disagrees_with_its_answers() -> None:
    with pytest.raises(
        FhirImportError, match=r"states a total of 13, but its answers give a total of 10; refusing"
    ):
        read_response(sdc_like_response(13))


def test_it_reads_the_sdc_style_response_when_the_total_agrees() -> None:
    imported = read_response(sdc_like_response(10))
    assert imported.instrument_id == "phq9"
    assert imported.answers == {f"phq9_{n}": v for n, v in enumerate(SDC_ANSWERS, start=1)}
    assert (imported.result.total, imported.result.band, imported.stated_total) == (10, "moderate", 10.0)
    assert imported.result.flags == frozenset({"suicidal_ideation"})
    assert imported.authored == datetime(2026, 1, 15, 10, tzinfo=UTC)
    assert read_response(sdc_like_response(None)).result.total == 10


@st.composite
def _answers(draw: Any, instrument_id: str) -> dict[str, int | None]:
    instrument = INSTRUMENTS[instrument_id]
    answers: dict[str, int | None] = {}
    for item in instrument.items:
        values = (
            list(item.allowed) if item.options else [item.min_value, item.max_value, 1, item.max_value // 2]
        )
        answers[item.id] = draw(st.one_of(st.none(), st.sampled_from(values)))
    return answers


@pytest.mark.parametrize("instrument_id", IDS)
@settings(max_examples=30, deadline=None)
@given(
    data=st.data(),
    minutes=st.integers(min_value=0, max_value=10**6),
    offset=st.integers(min_value=-12, max_value=14),
)
def test_it_round_trips_and_scores_identically(
    instrument_id: str, data: st.DataObject, minutes: int, offset: int
) -> None:
    answers = data.draw(_answers(instrument_id))
    authored = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=offset))) + timedelta(minutes=minutes)
    response = questionnaire_response(instrument_id, answers, authored, SUBJECT)
    imported = read_response(response)
    assert imported.instrument_id == instrument_id
    assert imported.answers == {k: v for k, v in answers.items() if v is not None}
    assert imported.result == score(instrument_id, answers)
    assert imported.authored == authored
    assert imported.subject == SUBJECT


def _phq2(**changes: Any) -> dict[str, Any]:
    response = questionnaire_response(
        "phq2", {"phq2_1": 1, "phq2_2": 2}, datetime(2026, 1, 1, tzinfo=UTC), SUBJECT
    )
    return response | changes


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (_phq2(status="bogus"), "status 'bogus' is not a QuestionnaireResponse status"),
        (_phq2(status="in-progress"), "only completed or amended responses are scored"),
        (_phq2(resourceType="Observation"), "expected a QuestionnaireResponse"),
        (_phq2(questionnaire="http://example.org/Questionnaire/x"), "not a Bounceback questionnaire"),
        (
            _phq2(questionnaire="https://bounceback.invalid/fhir/Questionnaire/phq2|7"),
            "version 7 is not the one",
        ),
        (_phq2(item=[{"linkId": "q1", "answer": [{"valueInteger": 1}]}]), "item q1: not a question of phq2"),
        (_phq2(item=[{"linkId": "phq2_1", "answer": [{"valueInteger": 4}]}]), "phq2_1: 4 is out of range"),
        (
            _phq2(item=[{"linkId": "phq2_1", "answer": [{"valueDecimal": 1.5}]}]),
            "valueDecimal 1.5 is not a whole number",
        ),
        (
            _phq2(item=[{"linkId": "phq2_1", "answer": [{"valueInteger": 1}, {"valueInteger": 2}]}]),
            "2 answers",
        ),
        (
            _phq2(item=[{"linkId": "phq2_1", "answer": [{"valueString": "1"}]}]),
            "has no valueCoding or valueInteger",
        ),
        (
            _phq2(
                item=[
                    {"linkId": "phq2_1", "answer": [{"valueCoding": {"system": LOINC, "code": "LA0000-0"}}]}
                ]
            ),
            "answer http://loinc.org|LA0000-0 is not one of its options",
        ),
        (_phq2(item=[{"answer": []}]), "item[0]: an item needs a linkId"),
        (_phq2(authored="yesterday"), "authored 'yesterday' is not a FHIR dateTime"),
    ],
)
def test_it_explains_what_it_cannot_import(response: dict[str, Any], message: str) -> None:
    with pytest.raises(FhirImportError, match=re.escape(message)):
        read_response(response)


def test_it_reads_a_foreign_questionnaire_as_a_named_instrument() -> None:
    response = _phq2(questionnaire="http://example.org/Questionnaire/phq-2")
    assert read_response(response, "phq2").result.total == 3

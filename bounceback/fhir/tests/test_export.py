"""Hazard T19: every exported resource validates (fhir.resources R4B) and passes our own checks.

fhir.resources ships no plain R4 models in 8.x; R4B's Questionnaire, QuestionnaireResponse, Observation and
Bundle are structurally R4's (pitfall 10). It does not enforce required bindings, so conformance.problems()
checks statuses, types and LOINC codes too.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from bounceback.fhir.conformance import problems
from bounceback.fhir.export import (
    LOINC,
    ORDINAL_VALUE,
    Completed,
    bundle,
    observation,
    questionnaire,
    questionnaire_response,
    verified_loinc_codes,
)
from bounceback.instruments import INSTRUMENTS, Instrument, score

IDS = sorted(INSTRUMENTS)
WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
SUBJECT = "Patient/alice"


def complete_answers(instrument: Instrument, seed: int = 0) -> dict[str, int | None]:
    """Random answers to every item (so every instrument's result is complete)."""
    rng = random.Random(f"{instrument.id}-{seed}")
    return {item.id: rng.choice(item.allowed) for item in instrument.items}


def _loinc_codes(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["code"]] if node.get("system") == LOINC else []
        return own + [c for value in node.values() for c in _loinc_codes(value)]
    if isinstance(node, list):
        return [c for value in node for c in _loinc_codes(value)]
    return []


@pytest.mark.parametrize("instrument_id", IDS)
def test_it_exports_every_instrument_as_a_valid_questionnaire(instrument_id: str) -> None:
    resource = questionnaire(instrument_id)
    Questionnaire.model_validate(resource)
    assert problems(resource) == []
    instrument = INSTRUMENTS[instrument_id]
    assert resource["status"] == "active"
    assert resource["version"] == str(instrument.version)
    assert instrument.licence.attribution in resource["copyright"]
    questions = [i for i in resource["item"] if i["type"] != "display"]
    assert [q["linkId"] for q in questions] == [item.id for item in instrument.items]
    assert set(_loinc_codes(resource)) <= verified_loinc_codes()


def test_it_gives_each_answer_option_its_score() -> None:
    brs = {i["linkId"]: i for i in questionnaire("brs")["item"]}
    scores = [o["extension"][0] for o in brs["brs_2"]["answerOption"]]  # reverse-keyed: 6 minus the answer
    assert all(s["url"] == ORDINAL_VALUE for s in scores)
    assert [s["valueDecimal"] for s in scores] == [5, 4, 3, 2, 1]
    assert [o["valueCoding"]["code"] for o in brs["brs_2"]["answerOption"]] == ["1", "2", "3", "4", "5"]
    phq = {i["linkId"]: i for i in questionnaire("phq9")["item"]}
    assert phq["phq9_1"]["code"] == [{"system": LOINC, "code": "44250-9", "display": phq["phq9_1"]["text"]}]
    assert [o["valueCoding"]["code"] for o in phq["phq9_9"]["answerOption"]] == [
        "LA6568-5",
        "LA6569-3",
        "LA6570-1",
        "LA6571-9",
    ]
    assert phq["phq9_10"]["required"] is False


def test_it_asks_follow_up_items_only_when_they_apply() -> None:
    asq = {i["linkId"]: i for i in questionnaire("asq")["item"]}
    assert asq["asq_5"]["enableBehavior"] == "any"
    assert [r["question"] for r in asq["asq_5"]["enableWhen"]] == ["asq_1", "asq_2", "asq_3", "asq_4"]
    assert asq["asq_5"]["required"] is False
    evs = {i["linkId"]: i for i in questionnaire("evs")["item"]}
    assert evs["evs_minutes"]["enableWhen"] == [{"question": "evs_days", "operator": ">", "answerInteger": 0}]


def test_it_carries_no_unverified_loinc_codes() -> None:
    for instrument_id in ("phq8", "gad2", "pcl5", "pcptsd5", "who5", "brs"):
        resource = questionnaire(instrument_id)
        assert "code" not in resource, instrument_id  # no panel code
        assert all("code" not in item for item in resource["item"]), instrument_id  # no item codes
        # PHQ-8 and GAD-2 share the PHQ's verified LOINC answer list (LL358-3); nothing else is LOINC
        assert set(_loinc_codes(resource)) <= {"LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"}, instrument_id
    assert "102010-6" not in verified_loinc_codes()  # PC-PTSD-5: its role is not verified


@pytest.mark.parametrize("instrument_id", IDS)
def test_it_exports_a_valid_response_and_total(instrument_id: str) -> None:
    instrument = INSTRUMENTS[instrument_id]
    answers = complete_answers(instrument)
    result = score(instrument_id, answers)
    response = questionnaire_response(instrument_id, answers, WHEN, SUBJECT)
    QuestionnaireResponse.model_validate(response)
    assert problems(response) == []
    assert response["authored"] == "2026-03-01T09:30:00-05:00"
    assert response["questionnaire"] == f"https://bounceback.invalid/fhir/Questionnaire/{instrument_id}|1"
    total = observation(
        instrument_id, answers, WHEN, SUBJECT, derived_from=f"QuestionnaireResponse/{response['id']}"
    )
    assert total is not None
    Observation.model_validate(total)
    assert problems(total) == []
    value = total.get("valueInteger", total.get("valueQuantity", {}).get("value"))
    assert value == result.total
    assert total["interpretation"][0]["coding"][0]["code"] == result.band
    assert total["status"] == "final"
    code = total["code"]["coding"][0]
    if instrument.loinc_total:
        assert code == {"system": LOINC, "code": instrument.loinc_total, "display": code["display"]}
    else:
        assert code["system"] != LOINC


def test_it_exports_no_total_for_an_incomplete_result() -> None:
    answers = {"phq9_1": 1, "phq9_2": 1, "phq9_9": 2}  # the item-9-only path: no PHQ-9 total
    assert observation("phq9", answers, WHEN, SUBJECT) is None
    response = questionnaire_response("phq9", answers, WHEN, SUBJECT)
    assert [i["linkId"] for i in response["item"]] == ["phq9_1", "phq9_2", "phq9_9"]
    assert response["meta"]["tag"][0]["code"] == "phq9-v1-incomplete"
    QuestionnaireResponse.model_validate(response)


def test_it_bundles_a_persons_results() -> None:
    phq9 = complete_answers(INSTRUMENTS["phq9"])
    results = [
        Completed("phq9", phq9, WHEN),
        Completed("brs", {"brs_1": 4}, WHEN + timedelta(minutes=5)),  # incomplete: response only
        Completed("evs", {"evs_days": 3, "evs_minutes": 40}, WHEN + timedelta(minutes=9)),
    ]
    resource = bundle(results, SUBJECT, datetime(2026, 3, 2, tzinfo=UTC))
    Bundle.model_validate(resource)
    assert problems(resource) == []
    kinds = [e["resource"]["resourceType"] for e in resource["entry"]]
    assert kinds == [
        "QuestionnaireResponse",
        "Observation",
        "QuestionnaireResponse",
        "QuestionnaireResponse",
        "Observation",
    ]
    first, total = resource["entry"][0], resource["entry"][1]
    assert total["resource"]["derivedFrom"] == [{"reference": first["fullUrl"]}]
    evs = resource["entry"][4]["resource"]
    assert evs["valueQuantity"] == {
        "value": 120,
        "unit": "minutes per week",
        "system": "http://unitsofmeasure.org",
        "code": "min/wk",
    }
    assert bundle(results, SUBJECT, datetime(2026, 3, 2, tzinfo=UTC)) == resource  # same data, same ids


def test_it_refuses_invalid_answers_and_naive_times() -> None:
    with pytest.raises(ValueError, match="phq9_1"):
        questionnaire_response("phq9", {"phq9_1": 4}, WHEN, SUBJECT)
    with pytest.raises(ValueError, match="time zone"):
        questionnaire_response("phq9", {"phq9_1": 1}, datetime(2026, 3, 1, 9, 30), SUBJECT)


def test_it_catches_what_the_model_library_lets_through() -> None:
    response = questionnaire_response("gad7", complete_answers(INSTRUMENTS["gad7"]), WHEN, SUBJECT)
    bogus = response | {"status": "bogus"}
    QuestionnaireResponse.model_validate(bogus)  # the library accepts it ...
    assert problems(bogus) == [
        "QuestionnaireResponse.status 'bogus' is not in its value set"
    ]  # ... we do not
    total = observation("gad7", complete_answers(INSTRUMENTS["gad7"]), WHEN, SUBJECT)
    assert total is not None
    wrong_code = total | {"code": {"coding": [{"system": LOINC, "code": "12345-6"}]}}
    assert "LOINC code '12345-6' is not one of the verified codes" in problems(wrong_code)[0]
    no_band = {k: v for k, v in total.items() if k != "interpretation"}
    assert problems(no_band) == ["Observation: the band must be the interpretation"]
    assert problems({"resourceType": "Bundle", "type": "bag", "entry": [{"resource": bogus}]}) == [
        "Bundle.type 'bag' is not in its value set",
        "QuestionnaireResponse.status 'bogus' is not in its value set",
    ]

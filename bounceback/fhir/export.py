"""FHIR R4 resources as plain dicts, built from the one instrument definition and ``score()``.

Pure Python: no Django, no FHIR model classes (fhir.resources validates our output in the tests only). The
builders take plain data (an instrument id, an answers dict, an aware datetime, a subject reference string),
so they serve the CLI now and stored check-ups later alike.

* ``questionnaire(id)``: the instrument as a Questionnaire: items with their LOINC codes where the definition
  carries a verified one, answer options with their scores (the ``ordinalValue`` extension), the conditions
  under which follow-up items are asked (``enableWhen``), and the licence and attribution as ``copyright``.
* ``questionnaire_response(...)``: the answers given (unanswered items are left out).
* ``observation(...)``: the total, re-scored from the answers; None when the result is incomplete (an
  incomplete result has no total, and is never exported as 0). The band is the interpretation.
* ``bundle(...)``: a collection of a person's responses and total observations (and any other resources
  given, such as daily check-ins).
* ``checkin_observation(...)``: one daily check-in as an Observation with a component per answer.

LOINC codes come only from the definitions, which carry a code only once it is verified (instruments.md §7.3);
the others are written down there as ``loinc_note``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bounceback.instruments import INSTRUMENTS, Instrument, Item, Method, Result, get, score
from bounceback.instruments.base import Answers, clean_answers, item_score
from bounceback.tracking.questions import (
    EXERCISE_MINUTES,
    MINDFULNESS_MINUTES,
    NOTE,
    QUESTIONS,
    SLEEP_HOURS,
    SLEEP_QUALITY,
    SLEEP_QUALITY_LABELS,
)

JSON = dict[str, Any]

FHIR_VERSION = "4.0.1"
BASE = "https://bounceback.invalid/fhir"
"""Our canonical base: no public registry hosts these definitions yet (.invalid is reserved, never resolves)."""
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
QUESTIONNAIRE_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ID_NAMESPACE = uuid.UUID("5b0f3c39-8a57-4d0c-9f0e-6d1b2f63f3a1")
"""uuid5 namespace of our resource ids: the same response always gets the same ids."""

UNITS = {"evs": ("min/wk", "minutes per week")}
"""Observation units, by instrument: the EVS total is minutes per week (LOINC 82290-8)."""


def questionnaire_url(instrument: Instrument) -> str:
    return f"{BASE}/Questionnaire/{instrument.id}"


def canonical(instrument: Instrument) -> str:
    return f"{questionnaire_url(instrument)}|{instrument.version}"


def answer_system(instrument: Instrument) -> str:
    """The code system of the answers without a LOINC answer code: the answer's value is its code."""
    return f"{BASE}/CodeSystem/{instrument.id}-answers"


def band_system(instrument: Instrument) -> str:
    return f"{BASE}/CodeSystem/{instrument.id}-bands"


def total_system() -> str:
    return f"{BASE}/CodeSystem/totals"


# --- Questionnaire -------------------------------------------------------------------------------------


def coding_for(instrument: Instrument, item: Item, value: int) -> JSON:
    """The Coding of one answer: LOINC's answer code where the definition has one, else our own."""
    option = next(o for o in item.options if o.value == value)
    if option.loinc:
        return {"system": LOINC, "code": option.loinc, "display": option.label}
    return {"system": answer_system(instrument), "code": str(value), "display": option.label}


def _enable_when(instrument: Instrument, item: Item) -> JSON:
    for condition in instrument.gates:
        if item.id not in condition.item_ids:
            continue
        rules = []
        for question in condition.questions:
            target = instrument.item(question)
            answer: JSON = (
                {"answerCoding": coding_for(instrument, target, condition.value)}
                if target.options
                else {"answerInteger": condition.value}
            )
            rules.append({"question": question, "operator": condition.operator, **answer})
        return {"enableWhen": rules, **({"enableBehavior": "any"} if len(rules) > 1 else {})}
    return {}


def _is_required(instrument: Instrument, item: Item) -> bool:
    conditional = {i for gate in instrument.gates for i in gate.item_ids}
    needed = item.scored or instrument.custom is not None
    return needed and item.id not in conditional


def _question(instrument: Instrument, item: Item) -> JSON:
    text = f"{item.prefix} {item.text}" if item.prefix else item.text
    entry: JSON = {"linkId": item.id, "text": text}
    if item.loinc:
        entry["code"] = [{"system": LOINC, "code": item.loinc, "display": item.text}]
    entry["required"] = _is_required(instrument, item)
    if item.options:
        entry["type"] = "choice"
        entry["answerOption"] = [
            {
                "extension": [{"url": ORDINAL_VALUE, "valueDecimal": item_score(item, o.value)}],
                "valueCoding": coding_for(instrument, item, o.value),
            }
            for o in item.options
        ]
    else:
        entry["type"] = "integer"
        entry["extension"] = [
            {"url": MIN_VALUE, "valueInteger": item.min_value},
            {"url": MAX_VALUE, "valueInteger": item.max_value},
        ]
        if item.unit:
            entry["extension"].append(
                {
                    "url": QUESTIONNAIRE_UNIT,
                    "valueCoding": {"system": UCUM, "code": _ucum(item.unit), "display": item.unit},
                }
            )
    return entry | _enable_when(instrument, item)


def _ucum(unit: str) -> str:
    return {"days": "d", "minutes": "min"}.get(unit, unit)


def questionnaire(instrument_id: str) -> JSON:
    """The instrument as a FHIR R4 Questionnaire (status active), generated from its definition."""
    instrument = get(instrument_id)
    items: list[JSON] = []
    if instrument.instructions:
        items.append(
            {"linkId": f"{instrument.id}_instructions", "type": "display", "text": instrument.instructions}
        )
    items += [_question(instrument, item) for item in instrument.items]
    resource: JSON = {
        "resourceType": "Questionnaire",
        "id": instrument.id,
        "url": questionnaire_url(instrument),
        "version": str(instrument.version),
        "name": instrument.id.upper(),
        "title": instrument.title,
        "status": "active",
        "subjectType": ["Patient"],
        "description": f"{instrument.measures} Recall period: {instrument.recall_period}.",
        "purpose": f"Scoring: {instrument.scoring_text} Missing answers: {instrument.missing_rule}",
        "copyright": f"{instrument.licence.attribution} Licence: {instrument.licence.name}. {instrument.licence.terms}",
        "item": items,
    }
    if instrument.loinc_panel:
        resource["code"] = [{"system": LOINC, "code": instrument.loinc_panel, "display": instrument.title}]
    return resource


# --- QuestionnaireResponse, Observation, Bundle --------------------------------------------------------


def _timestamp(authored: datetime) -> str:
    if authored.tzinfo is None or authored.utcoffset() is None:
        raise ValueError("authored must be an aware datetime (with a time zone): FHIR dateTimes carry one")
    return authored.isoformat(timespec="seconds")


def resource_id(kind: str, instrument_id: str, authored: datetime, subject: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}|{subject}|{instrument_id}|{_timestamp(authored)}"))


def _answer(instrument: Instrument, item: Item, value: int) -> JSON:
    if item.options:
        return {"valueCoding": coding_for(instrument, item, value)}
    return {"valueInteger": value}


def source_identifier(source: str) -> JSON:
    """The record a resource came from (a check-up's opaque public id), as an Identifier."""
    return {"system": f"{BASE}/checkup", "value": source}


def questionnaire_response(
    instrument_id: str,
    answers: Answers,
    authored: datetime,
    subject: str,
    response_id: str | None = None,
    *,
    status: str = "completed",
    source: str = "",
) -> JSON:
    """The answers as a QuestionnaireResponse (``completed``, or ``in-progress`` for a check-up not yet
    finished), naming the check-up it came from when ``source`` is given. Invalid answers raise ScoringError
    (via score())."""
    instrument = get(instrument_id)
    result = score(instrument_id, answers)  # validates every answer before anything is built
    clean = {k: v for k, v in clean_answers(instrument, answers).items() if v is not None}
    return {
        "resourceType": "QuestionnaireResponse",
        "id": response_id or resource_id("QuestionnaireResponse", instrument.id, authored, subject),
        **({"identifier": source_identifier(source)} if source else {}),
        "meta": {"tag": [_scorer_tag(instrument, result)]},
        "questionnaire": canonical(instrument),
        "status": status,
        "subject": {"reference": subject},
        "authored": _timestamp(authored),
        "item": [
            {"linkId": item.id, "text": item.text, "answer": [_answer(instrument, item, clean[item.id])]}
            for item in instrument.items
            if item.id in clean
        ],
    }


def _scorer_tag(instrument: Instrument, result: Result) -> JSON:
    state = "complete" if result.complete else "incomplete"
    return {
        "system": f"{BASE}/CodeSystem/scoring",
        "code": f"{instrument.id}-v{instrument.version}-{state}",
        "display": f"Scored by Bounceback: {instrument.short_title} version {instrument.version}, {state}",
    }


def observation(
    instrument_id: str,
    answers: Answers,
    authored: datetime,
    subject: str,
    derived_from: str | None = None,
    observation_id: str | None = None,
) -> JSON | None:
    """The total as an Observation, re-scored from the answers; None when the result is incomplete."""
    instrument = get(instrument_id)
    result = score(instrument_id, answers)
    if not result.complete or result.total is None or result.band is None:
        return None
    band = next(b for b in instrument.bands if b.code == result.band)
    code: JSON = (
        {"system": LOINC, "code": instrument.loinc_total, "display": f"{instrument.short_title} total score"}
        if instrument.loinc_total
        else {
            "system": total_system(),
            "code": f"{instrument.id}-total",
            "display": f"{instrument.short_title} total score",
        }
    )
    resource: JSON = {
        "resourceType": "Observation",
        "id": observation_id or resource_id("Observation", instrument.id, authored, subject),
        "meta": {"tag": [_scorer_tag(instrument, result)]},
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": [code], "text": f"{instrument.short_title} total score"},
        "subject": {"reference": subject},
        "effectiveDateTime": _timestamp(authored),
        **_value(instrument, result),
        "interpretation": [
            {
                "coding": [{"system": band_system(instrument), "code": band.code, "display": band.label}],
                "text": band.label,
            }
        ],
    }
    if derived_from:
        resource["derivedFrom"] = [{"reference": derived_from}]
    return resource


def _value(instrument: Instrument, result: Result) -> JSON:
    total = result.total
    assert total is not None
    if instrument.id in UNITS:
        code, unit = UNITS[instrument.id]
        return {"valueQuantity": {"value": total, "unit": unit, "system": UCUM, "code": code}}
    if instrument.method is Method.MEAN:
        return {"valueQuantity": {"value": total, "unit": "score", "system": UCUM, "code": "{score}"}}
    return {"valueInteger": total}


@dataclass(frozen=True)
class Completed:
    """One scored questionnaire of a person, as plain data (from a file, or from a stored check-up)."""

    instrument_id: str
    answers: Mapping[str, object]
    authored: datetime
    in_progress: bool = False
    """From a check-up not yet finished: a response ``in-progress``, and no total Observation."""
    source: str = ""
    """The check-up it came from (its public id), when it came from one: named in the response's identifier,
    and the resource ids derive from it (two check-ups finished in the same second still differ)."""


def _ids(done: Completed, subject: str) -> tuple[str | None, str | None]:
    if not done.source:
        return None, None
    key = f"{subject}|{done.source}|{done.instrument_id}"
    return (
        str(uuid.uuid5(ID_NAMESPACE, f"QuestionnaireResponse|{key}")),
        str(uuid.uuid5(ID_NAMESPACE, f"Observation|{key}")),
    )


def bundle(
    results: Iterable[Completed], subject: str, timestamp: datetime, others: Iterable[JSON] = ()
) -> JSON:
    """A collection Bundle of a person's responses, each followed by its total Observation when complete
    (never for a check-up in progress), then the ``others`` resources (each with its own ``id``)."""
    entries: list[JSON] = []
    for done in results:
        response_id, observation_id = _ids(done, subject)
        response = questionnaire_response(
            done.instrument_id,
            done.answers,
            done.authored,
            subject,
            response_id,
            status="in-progress" if done.in_progress else "completed",
            source=done.source,
        )
        response_url = f"urn:uuid:{response['id']}"
        entries.append({"fullUrl": response_url, "resource": response})
        if done.in_progress:
            continue
        total = observation(
            done.instrument_id,
            done.answers,
            done.authored,
            subject,
            derived_from=response_url,
            observation_id=observation_id,
        )
        if total is not None:
            entries.append({"fullUrl": f"urn:uuid:{total['id']}", "resource": total})
    entries += [{"fullUrl": f"urn:uuid:{other['id']}", "resource": other} for other in others]
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(ID_NAMESPACE, f"Bundle|{subject}|{_timestamp(timestamp)}")),
        "type": "collection",
        "timestamp": _timestamp(timestamp),
        "entry": entries,
    }


# --- Daily check-ins -------------------------------------------------------------------------------------


def checkin_system() -> str:
    """Our code system for the daily check-in and its questions (no LOINC code is verified for them)."""
    return f"{BASE}/CodeSystem/checkin"


def sleep_quality_system() -> str:
    return f"{BASE}/CodeSystem/checkin-sleep-quality"


CHECKIN_UNITS = {
    SLEEP_HOURS: ("h", "hours"),
    EXERCISE_MINUTES: ("min", "minutes"),
    MINDFULNESS_MINUTES: ("min", "minutes"),
}
"""UCUM units of the check-in answers that are quantities."""


def _checkin_value(name: str, value: object) -> JSON:
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if not isinstance(value, int | Decimal):
        raise ValueError(f"{name}: {value!r} is not a check-in answer")
    if name in CHECKIN_UNITS:
        code, unit = CHECKIN_UNITS[name]
        number = value if isinstance(value, int) else float(value)
        return {"valueQuantity": {"value": number, "unit": unit, "system": UCUM, "code": code}}
    if name == SLEEP_QUALITY:
        label = dict(SLEEP_QUALITY_LABELS)[int(value)]
        coding = {"system": sleep_quality_system(), "code": str(value), "display": label}
        return {"valueCodeableConcept": {"coding": [coding], "text": label}}
    return {"valueInteger": int(value)}


def checkin_observation(
    public_id: str, day: date, answers: Mapping[str, object], subject: str, issued: datetime
) -> JSON:
    """One daily check-in as an Observation: its local date as ``effectiveDateTime``, one component per
    answered question (mood, sleep, exercise, mindfulness, time with someone), and the journal note, if any,
    as the Observation's ``note``. ``answers`` maps question names (``tracking.questions``) to their values;
    unanswered questions are left out."""
    components = [
        {
            "code": {
                "coding": [{"system": checkin_system(), "code": q.name, "display": q.label}],
                "text": q.label,
            },
            **_checkin_value(q.name, answers[q.name]),
        }
        for q in QUESTIONS
        if q.name != NOTE and answers.get(q.name) is not None
    ]
    resource: JSON = {
        "resourceType": "Observation",
        "id": str(uuid.uuid5(ID_NAMESPACE, f"Observation|{subject}|checkin|{public_id}")),
        "identifier": [{"system": f"{BASE}/checkin", "value": public_id}],
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {
            "coding": [{"system": checkin_system(), "code": "daily-checkin", "display": "Daily check-in"}],
            "text": "Daily check-in",
        },
        "subject": {"reference": subject},
        "effectiveDateTime": day.isoformat(),
        "issued": _timestamp(issued),
    }
    if components:
        resource["component"] = components
    note = answers.get(NOTE)
    if note:
        resource["note"] = [{"text": str(note)}]
    return resource


def verified_loinc_codes() -> frozenset[str]:
    """Every LOINC code the definitions carry: the only ones an export may contain."""
    codes: set[str] = set()
    for instrument in INSTRUMENTS.values():
        codes |= {instrument.loinc_panel, instrument.loinc_total}
        for item in instrument.items:
            codes |= {item.loinc, *(o.loinc for o in item.options)}
    return frozenset(codes - {""})

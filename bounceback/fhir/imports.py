"""A FHIR R4 QuestionnaireResponse back into answers, re-scored with ``score()``.

Pure Python: no Django. The response is read as plain JSON; every problem is a FhirImportError naming the
item (linkId) and the value. A response that carries its own total (a total item, as the HL7 SDC PHQ-9
example does) is checked against the total re-scored from its answers and refused when they disagree: the SDC
example stores 13 for answers that sum to 10.

Items are found by our linkIds (the item ids) or by the item's LOINC code as the linkId (with or without a
leading path, e.g. ``/44250-9``), at any depth of nested groups. Answers are our codings, LOINC answer codes,
or integers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bounceback.instruments import INSTRUMENTS, Instrument, Item, Result, ScoringError, get, score

from .export import BASE, LOINC, answer_system

QR_STATUSES = frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"})
SCORED_STATUSES = frozenset({"completed", "amended"})


class FhirImportError(ValueError):
    """A QuestionnaireResponse that cannot be turned into answers, with the reason."""


@dataclass(frozen=True)
class Imported:
    instrument_id: str
    answers: dict[str, int | None]
    result: Result
    authored: datetime | None
    subject: str | None
    stated_total: float | None
    """The total the response itself carried, if any (it equals ``result.total``, or the import fails)."""


def instrument_of(response: Mapping[str, Any], instrument_id: str | None = None) -> Instrument:
    if instrument_id is not None:
        return get(instrument_id)
    reference = str(response.get("questionnaire") or "")
    url = reference.split("|", 1)[0]
    for instrument in INSTRUMENTS.values():
        if url == f"{BASE}/Questionnaire/{instrument.id}":
            version = reference.split("|", 1)[1] if "|" in reference else str(instrument.version)
            if version != str(instrument.version):
                raise FhirImportError(
                    f"questionnaire {reference}: version {version} is not the one Bounceback scores "
                    f"({instrument.version})"
                )
            return instrument
        if instrument.loinc_panel and url.rstrip("/").rsplit("/", 1)[-1] == instrument.loinc_panel:
            return instrument
    raise FhirImportError(
        f"questionnaire {reference or '(none)'}: not a Bounceback questionnaire; name the instrument to read it as"
    )


def _walk(items: Any, path: str = "item") -> Iterator[tuple[str, Mapping[str, Any]]]:
    if items is None:
        return
    if not isinstance(items, list):
        raise FhirImportError(f"{path}: expected a list of items")
    for n, entry in enumerate(items):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("linkId"), str):
            raise FhirImportError(f"{path}[{n}]: an item needs a linkId")
        yield entry["linkId"], entry
        yield from _walk(entry.get("item"), f"{path}[{n}].item")
        for a, answer in enumerate(entry.get("answer") or []):
            if isinstance(answer, Mapping):
                yield from _walk(answer.get("item"), f"{path}[{n}].answer[{a}].item")


def _item_for(instrument: Instrument, link_id: str) -> Item | None:
    tail = link_id.rstrip("/").rsplit("/", 1)[-1]
    for item in instrument.items:
        if link_id == item.id or (item.loinc and tail == item.loinc):
            return item
    return None


def _is_total(instrument: Instrument, link_id: str) -> bool:
    tail = link_id.rstrip("/").rsplit("/", 1)[-1]
    names = {f"{instrument.id}_total", "total", "total_score"}
    return link_id in names or bool(instrument.loinc_total and tail == instrument.loinc_total)


def _value(instrument: Instrument, item: Item, answer: Mapping[str, Any]) -> int:
    where = f"item {item.id}"
    if "valueCoding" in answer:
        coding = answer["valueCoding"] or {}
        system, code = coding.get("system"), str(coding.get("code"))
        for option in item.options:
            if (system == LOINC and option.loinc == code) or (
                system == answer_system(instrument) and code == str(option.value)
            ):
                return option.value
        raise FhirImportError(
            f"{where}: answer {system}|{code} is not one of its options ({item.allowed_text()})"
        )
    for key in ("valueInteger", "valueDecimal"):
        if key in answer:
            number = answer[key]
            if isinstance(number, bool) or not isinstance(number, int | float) or not math.isfinite(number):
                raise FhirImportError(f"{where}: {key} {number!r} is not a number")
            if not float(number).is_integer():
                raise FhirImportError(f"{where}: {key} {number!r} is not a whole number")
            return int(number)
    raise FhirImportError(f"{where}: answer {dict(answer)!r} has no valueCoding or valueInteger")


def _single(link_id: str, entry: Mapping[str, Any]) -> Mapping[str, Any] | None:
    answers = entry.get("answer") or []
    if len(answers) > 1:
        raise FhirImportError(f"item {link_id}: {len(answers)} answers to a question that takes one")
    return answers[0] if answers else None


def _stated_total(link_id: str, answer: Mapping[str, Any]) -> float:
    for key in ("valueInteger", "valueDecimal"):
        if key in answer and isinstance(answer[key], int | float) and not isinstance(answer[key], bool):
            return float(answer[key])
    if "valueQuantity" in answer and isinstance((answer["valueQuantity"] or {}).get("value"), int | float):
        return float(answer["valueQuantity"]["value"])
    raise FhirImportError(f"item {link_id}: the total is not a number")


def _authored(response: Mapping[str, Any]) -> datetime | None:
    text = response.get("authored")
    if text is None:
        return None
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        raise FhirImportError(f"authored {text!r} is not a FHIR dateTime") from None


def read_response(response: Mapping[str, Any], instrument_id: str | None = None) -> Imported:
    """Answers and the re-scored result of one QuestionnaireResponse; FhirImportError on any problem."""
    if response.get("resourceType") != "QuestionnaireResponse":
        raise FhirImportError(
            f"resourceType {response.get('resourceType')!r}: expected a QuestionnaireResponse"
        )
    status = response.get("status")
    if status not in QR_STATUSES:
        raise FhirImportError(
            f"status {status!r} is not a QuestionnaireResponse status ({', '.join(sorted(QR_STATUSES))})"
        )
    if status not in SCORED_STATUSES:
        raise FhirImportError(f"status {status!r}: only completed or amended responses are scored")
    instrument = instrument_of(response, instrument_id)
    answers: dict[str, int | None] = {}
    stated: float | None = None
    for link_id, entry in _walk(response.get("item")):
        answer = _single(link_id, entry)
        if _is_total(instrument, link_id):
            stated = None if answer is None else _stated_total(link_id, answer)
            continue
        item = _item_for(instrument, link_id)
        if item is None:
            if answer is not None:
                raise FhirImportError(f"item {link_id}: not a question of {instrument.id}")
            continue  # a group or a display item
        if answer is None:
            continue
        if item.id in answers:
            raise FhirImportError(f"item {item.id}: answered twice (linkId {link_id})")
        answers[item.id] = _value(instrument, item, answer)
    try:
        result = score(instrument.id, answers)
    except ScoringError as error:
        raise FhirImportError(f"item {error}") from None
    if stated is not None and (
        result.total is None or not math.isclose(stated, float(result.total), abs_tol=1e-9)
    ):
        scored = (
            "no total (the answers are incomplete)" if result.total is None else f"a total of {result.total}"
        )
        raise FhirImportError(
            f"the response states a total of {stated:g}, but its answers give {scored}; refusing a response whose "
            "total disagrees with its answers"
        )
    subject = (response.get("subject") or {}).get("reference")
    return Imported(instrument.id, answers, result, _authored(response), subject, stated)

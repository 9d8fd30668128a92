"""Our own checks on exported resources, for what the FHIR model library does not enforce.

fhir.resources validates structure but not required code bindings (``status="bogus"`` passes, pitfall 10).
These checks cover the bindings we use, and our own rules (hazard H19): LOINC codes only from the verified
codes the definitions carry, and a total Observation only for a complete result, with its band as the
interpretation; a daily check-in Observation only with its answers as components of our check-in code system.
Pure Python; used by the tests, by ``bounceback fhir`` before it prints anything, and by the member's export.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .export import LOINC, checkin_system, verified_loinc_codes

STATUSES: dict[str, frozenset[str]] = {
    "Questionnaire": frozenset({"draft", "active", "retired", "unknown"}),
    "QuestionnaireResponse": frozenset(
        {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
    ),
    "Observation": frozenset(
        {
            "registered",
            "preliminary",
            "final",
            "amended",
            "corrected",
            "cancelled",
            "entered-in-error",
            "unknown",
        }
    ),
}
BUNDLE_TYPES = frozenset(
    {
        "document",
        "message",
        "transaction",
        "transaction-response",
        "batch",
        "batch-response",
        "history",
        "searchset",
        "collection",
    }
)
ITEM_TYPES = frozenset(
    {
        "group",
        "display",
        "boolean",
        "decimal",
        "integer",
        "date",
        "dateTime",
        "time",
        "string",
        "text",
        "url",
        "choice",
        "open-choice",
        "attachment",
        "reference",
        "quantity",
    }
)
OPERATORS = frozenset({"exists", "=", "!=", ">", "<", ">=", "<="})
BEHAVIOURS = frozenset({"all", "any"})


def _codings(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        if "system" in node and "code" in node:
            yield node
        for value in node.values():
            yield from _codings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _codings(value)


def _items(items: Any) -> Iterator[Mapping[str, Any]]:
    for item in items or []:
        yield item
        yield from _items(item.get("item"))


def problems(resource: Mapping[str, Any]) -> list[str]:
    """Everything wrong with one resource (a Bundle's entries included); empty when it conforms."""
    kind = resource.get("resourceType")
    found: list[str] = []
    if kind in STATUSES and resource.get("status") not in STATUSES[kind]:
        found.append(f"{kind}.status {resource.get('status')!r} is not in its value set")
    allowed = verified_loinc_codes()
    found += [
        f"{kind}: LOINC code {c.get('code')!r} is not one of the verified codes the definitions carry"
        for c in _codings(resource)
        if c.get("system") == LOINC and c.get("code") not in allowed
    ]
    if kind == "Questionnaire":
        found += _questionnaire_problems(resource)
    elif kind == "Observation":
        found += _checkin_problems(resource) if _is_checkin(resource) else _observation_problems(resource)
    elif kind == "Bundle":
        if resource.get("type") not in BUNDLE_TYPES:
            found.append(f"Bundle.type {resource.get('type')!r} is not in its value set")
        for entry in resource.get("entry") or []:
            found += problems(entry.get("resource") or {})
    return found


def _questionnaire_problems(resource: Mapping[str, Any]) -> list[str]:
    found = []
    for item in _items(resource.get("item")):
        if item.get("type") not in ITEM_TYPES:
            found.append(f"item {item.get('linkId')}: type {item.get('type')!r} is not in its value set")
        for rule in item.get("enableWhen") or []:
            if rule.get("operator") not in OPERATORS:
                found.append(
                    f"item {item.get('linkId')}: enableWhen operator {rule.get('operator')!r} is unknown"
                )
        if "enableBehavior" in item and item["enableBehavior"] not in BEHAVIOURS:
            found.append(f"item {item.get('linkId')}: enableBehavior {item['enableBehavior']!r} is unknown")
    return found


def _observation_problems(resource: Mapping[str, Any]) -> list[str]:
    found = []
    if not any(key in resource for key in ("valueInteger", "valueQuantity")):
        found.append("Observation: a total Observation needs its value (it is exported only when complete)")
    interpretation = resource.get("interpretation") or []
    if not interpretation or not interpretation[0].get("coding"):
        found.append("Observation: the band must be the interpretation")
    return found


def _is_checkin(resource: Mapping[str, Any]) -> bool:
    codings = (resource.get("code") or {}).get("coding") or []
    return any(c.get("system") == checkin_system() for c in codings)


def _checkin_problems(resource: Mapping[str, Any]) -> list[str]:
    found = []
    components = resource.get("component") or []
    if not components and not resource.get("note"):
        found.append("Observation: a daily check-in needs at least one answer (a component) or a note")
    for component in components:
        codings = (component.get("code") or {}).get("coding") or []
        if not any(c.get("system") == checkin_system() for c in codings):
            found.append(
                "Observation: a daily check-in's component must be coded in the check-in code system"
            )
        if not any(key.startswith("value") for key in component):
            found.append("Observation: a daily check-in's component needs its value")
    return found

"""The instrument reference as Markdown (docs/instruments.md), generated from the definitions."""

from __future__ import annotations

from .base import Instrument
from .registry import INSTRUMENTS, NOT_SHIPPED

HEADER = """# Instrument reference

Generated from the definitions in `bounceback/instruments/` by `bounceback write_instrument_docs`; a test
fails when this file and the definitions disagree. Do not edit by hand.

Scoring contract: `from bounceback.instruments import score`; `score(instrument_id, answers)` returns
`.total`, `.band`, `.complete`, `.flags`. Any missing scored item makes the result incomplete (no total, no
band) unless the authors define a rule. Integral floats such as `2.0` are accepted; anything else that is not
an allowed value raises `ScoringError` (a `ValueError`) naming the item and the allowed values.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def instrument_markdown(instrument: Instrument) -> str:
    i = instrument
    lines = [
        f"## {i.title} — `{i.id}` (version {i.version})",
        "",
        f"{i.measures}",
        "",
        f"- **Source:** {i.citation.text}" + (f" <{i.citation.url}>" if i.citation.url else ""),
        f"- **Licence:** {i.licence.name}. {i.licence.terms}"
        + ("" if i.licence.enabled_by_default else " **Off by default.**"),
        f"- **Attribution shown with the items:** {i.licence.attribution}",
        f"- **Recall period:** {i.recall_period}",
        f"- **Scoring:** {i.scoring_text}",
        f"- **Missing answers:** {i.missing_rule}",
    ]
    for rule in i.risk_rules:
        lines.append(f"- **Safety flag `{rule.flag}`:** {rule.description}")
    if i.loinc_panel or i.loinc_total:
        lines.append(f"- **LOINC:** panel {i.loinc_panel or '—'}, total {i.loinc_total or '—'}")
    if i.loinc_note:
        lines.append(f"- **Codes:** {i.loinc_note}")
    if i.rci is not None:
        threshold = i.rci.threshold
        lines.append(f"- **Reliable change:** {threshold:.2f} points. {i.rci.source.text}")
    lines += ["", "| Item | Text | Answers (value) |", "|---|---|---|"]
    if i.instructions:
        lines.insert(-2, f"Instructions: {_cell(i.instructions)}\n")
    for item in i.items:
        answers = (
            "; ".join(f"{o.label} ({o.value})" for o in item.options)
            if item.options
            else f"{item.min_value}–{item.max_value} {item.unit}".strip()
        )
        marks = (" *(reverse-scored)*" if item.reverse else "") + ("" if item.scored else " *(not scored)*")
        prefix = f"{item.prefix} " if item.prefix else ""
        lines.append(f"| `{item.id}` | {_cell(prefix + item.text)}{marks} | {_cell(answers)} |")
    lines += ["", "| Score | Band code | Label | Source |", "|---|---|---|---|"]
    for band in i.bands:
        lines.append(
            f"| {band.range_text(i.decimals)} | `{band.code}` | {_cell(band.label)} | {_cell(band.source.text)} |"
        )
    for note in i.notes:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def reference_markdown() -> str:
    parts = [HEADER]
    parts += [instrument_markdown(i) for i in INSTRUMENTS.values()]
    parts.append(
        "## Not shipped, for licence reasons\n\n" + "".join(f"- {r}\n" for r in NOT_SHIPPED.values())
    )
    return "\n".join(parts)

"""Reading a posted safety plan, and laying it out for the page.

Each existing entry's fields travel with ``was-<id>-text`` and ``was-<id>-phone``: keyed digests of what the
page showed (never the text itself), so a plain form post writes only what the member changed on that page; an
entry changed since in another tab is not overwritten by the stale value an untouched field still holds.
Every value is bounded and checked by ``steps`` before anything else reads it; an unreadable one is named
(by step and entry number) and never saved, and the readable ones around it are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.crypto import salted_hmac

from .actions import Addition, Edit
from .models import SafetyPlanEntry
from .steps import (
    BY_ID,
    ENTRY_MAX_LENGTH,
    MAX_ENTRIES_PER_STEP,
    STEPS,
    Step,
    Unreadable,
    clean_phone,
    clean_text,
    entry_name,
    printable,
    tel_link,
)

ENTRY_FIELD = re.compile(r"e-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-text")
MAX_FIELDS = len(STEPS) * MAX_ENTRIES_PER_STEP
"""More entry fields than a plan can hold are not read."""


def digest(text: str) -> str:
    """What the page keeps of a shown value in ``was-`` fields: a keyed digest, never the text."""
    return salted_hmac("bounceback.safetyplan.entry", text).hexdigest()[:32] if text else ""


def _raw(data: Any, key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


@dataclass
class Posted:
    """A plain form post, read: the readable changes, and a message for each field that is not."""

    edits: dict[str, Edit] = field(default_factory=dict)
    removals: list[str] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def read(data: Any, entries: dict[str, list[SafetyPlanEntry]]) -> Posted:
    """The changes in a posted plan page. ``entries`` is the plan as it stands (by step), which names each
    entry in messages ("…, person 2") and says which step takes a phone number."""
    posted = Posted()
    numbered = {
        str(entry.public_id): (BY_ID[step], number)
        for step, rows in entries.items()
        for number, entry in enumerate(rows, start=1)
    }
    remove = _raw(data, "remove")[:64]
    if remove in numbered:
        posted.removals.append(remove)

    seen = 0
    for key in list(data.keys()):
        match = ENTRY_FIELD.fullmatch(key) if isinstance(key, str) else None
        if match is None:
            continue
        seen += 1
        if seen > MAX_FIELDS:
            break
        public_id = match.group(1)
        if public_id in posted.removals:
            continue
        if public_id not in numbered:
            # Removed in another tab (or never this member's): the change cannot be saved, and says so.
            text = _raw(data, key)[: 2 * ENTRY_MAX_LENGTH]
            if text.strip():
                posted.errors[f"e-{public_id}-text"] = (
                    f"“{text[:40]}”: this entry is no longer in your plan (it was removed in another window), so "
                    "this change was not saved. Add it again below if you still want it."
                )
            continue
        step, number = numbered[public_id]
        where = entry_name(step, number)
        edit: dict[str, str | None] = {"text": None, "phone": None}
        for part in ("text", "phone") if step.contacts else ("text",):
            name = f"e-{public_id}-{part}"
            if name not in data:
                continue
            try:
                value = (clean_text if part == "text" else clean_phone)(_raw(data, name), name, where)
            except Unreadable as exc:
                posted.errors[exc.field] = str(exc)
                continue
            was = f"was-{public_id}-{part}"
            if was not in data or digest(value) != _raw(data, was)[:64]:
                edit[part] = value
        if edit["text"] is not None or edit["phone"] is not None:
            posted.edits[public_id] = Edit(edit["text"], edit["phone"])

    for step in STEPS:
        box = f"new-{step.id}"
        where = entry_name(step, None)
        try:
            text = clean_text(_raw(data, f"{box}-text"), f"{box}-text", where)
            phone = clean_phone(_raw(data, f"{box}-phone"), f"{box}-phone", where) if step.contacts else ""
        except Unreadable as exc:
            posted.errors[exc.field] = str(exc)
            continue
        if not text:
            if phone:
                posted.errors[f"{box}-text"] = f"{where}: please add a name to go with the number."
            continue
        kept = [e for e in entries.get(step.id, []) if str(e.public_id) not in posted.removals]
        if len(kept) >= MAX_ENTRIES_PER_STEP:
            posted.errors[f"{box}-text"] = (
                f"{step.heading}: this step holds up to {MAX_ENTRIES_PER_STEP} entries. Remove one to add "
                "another, or put two on one line."
            )
            continue
        posted.additions.append(Addition(step.id, text, phone, box))
    return posted


@dataclass
class EntryRow:
    """One entry as the page shows it: what is stored (or, after a refused post, what was sent)."""

    entry: SafetyPlanEntry
    number: int
    label: str
    text: str
    phone: str
    was_text: str
    was_phone: str
    text_error: str = ""
    phone_error: str = ""

    @property
    def id(self) -> str:
        return str(self.entry.public_id)

    @property
    def tel(self) -> str:
        return tel_link(self.entry.phone)


@dataclass
class StepBlock:
    step: Step
    number: int
    rows: list[EntryRow]
    new_text: str = ""
    new_phone: str = ""
    new_text_error: str = ""
    new_phone_error: str = ""

    @property
    def room(self) -> bool:
        return len(self.rows) < MAX_ENTRIES_PER_STEP


def _shown(data: Any, key: str, limit: int) -> str:
    return printable(_raw(data, key)[:limit]) if data is not None else ""


def page_steps(
    entries: dict[str, list[SafetyPlanEntry]], data: Any = None, errors: dict[str, str] | None = None
) -> list[StepBlock]:
    """Every step with its entries and its new-entry box. After a refused post, the fields in error show what
    was sent (bounded), and the new-entry boxes keep what was typed in them, so nothing typed is lost."""
    errors = errors or {}
    blocks = []
    for number, step in enumerate(STEPS, start=1):
        rows = []
        for n, entry in enumerate(entries.get(step.id, []), start=1):
            key = f"e-{entry.public_id}"
            text_error, phone_error = errors.get(f"{key}-text", ""), errors.get(f"{key}-phone", "")
            rows.append(
                EntryRow(
                    entry,
                    n,
                    f"{step.item} {n}",
                    _shown(data, f"{key}-text", 2 * ENTRY_MAX_LENGTH) if text_error else entry.text,
                    _shown(data, f"{key}-phone", 64) if phone_error else entry.phone,
                    digest(entry.text),
                    digest(entry.phone),
                    text_error,
                    phone_error,
                )
            )
        box = f"new-{step.id}"
        new_text_error, new_phone_error = errors.get(f"{box}-text", ""), errors.get(f"{box}-phone", "")
        keep = bool(new_text_error or new_phone_error)
        blocks.append(
            StepBlock(
                step,
                number,
                rows,
                _shown(data, f"{box}-text", 2 * ENTRY_MAX_LENGTH) if keep else "",
                _shown(data, f"{box}-phone", 64) if keep else "",
                new_text_error,
                new_phone_error,
            )
        )
    return blocks

"""Forms built from a check-up step's definition: each item's field, allowed values and messages come from the
instrument library, so nothing here repeats a range or an option list (and nothing is silently coerced)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms

from bounceback.instruments import Item
from bounceback.instruments.asq import DECLINED_VALUE
from bounceback.instruments.battery import item_of

from .pages import DECLINABLE_ITEMS, DECLINED

ASCII_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")
"""Digits 0-9 only, bounded before parsing (no "²", no Arabic-Indic digits, no 4,301-digit numbers)."""
CHOOSE = "Please choose one of the answers."


def parse_whole_number(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if ASCII_WHOLE_NUMBER.fullmatch(raw) else None


def not_a_number(raw: str) -> str:
    shown = raw[:20] + ("…" if len(raw) > 20 else "")
    return f"“{shown}” is not a whole number."


def number_message(item: Item) -> str:
    what = item.unit or "answer"
    return f"Please enter the {what} as a whole number from {item.min_value} to {item.max_value}."


class WholeNumberField(forms.Field):
    """A whole number in ASCII digits within the item's range; anything else is an error naming the range."""

    def __init__(self, item: Item, **kwargs: Any) -> None:
        self.item = item
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> int | None:
        raw = "" if value is None else str(value).strip()
        if raw == "":
            return None
        number = parse_whole_number(raw)
        if number is None:
            raise forms.ValidationError(f"{not_a_number(raw)} {number_message(self.item)}")
        if not self.item.min_value <= number <= self.item.max_value:
            raise forms.ValidationError(number_message(self.item))
        return number


class OptionField(forms.Field):
    """One of the item's option values (or "I'd rather not answer" where the instrument allows it)."""

    def __init__(self, item: Item, **kwargs: Any) -> None:
        self.item = item
        self.allowed = {str(o.value): o.value for o in item.options}
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> int | str | None:
        raw = "" if value is None else str(value).strip()
        if raw == "":
            return None
        if raw == DECLINED and self.item.id in DECLINABLE_ITEMS:
            return DECLINED
        if parse_whole_number(raw) is None:
            raise forms.ValidationError(f"{not_a_number(raw)} Please enter a whole number.")
        if raw not in self.allowed:
            raise forms.ValidationError(CHOOSE)
        return self.allowed[raw]


def _base_revision(raw: str) -> int | None:
    """The revision the page showed: None when the post carries none; an unreadable one counts as 0, the
    oldest, so it never overwrites a newer answer."""
    raw = raw.strip()
    if raw == "":
        return None
    parsed = parse_whole_number(raw)
    return parsed if parsed is not None and parsed >= 0 else 0


def field_for(item: Item) -> forms.Field:
    return OptionField(item) if item.options else WholeNumberField(item)


@dataclass(frozen=True)
class Posted:
    value: int
    declined: bool
    base_revision: int | None


class StepForm(forms.Form):
    """The answers posted for some items of the check-up, each with the revision the page showed."""

    def __init__(self, item_ids: Iterable[str], data: Any) -> None:
        super().__init__(data)
        self.item_ids = tuple(item_ids)
        for item_id in self.item_ids:
            self.fields[item_id] = field_for(item_of(item_id))

    def answers(self) -> tuple[dict[str, Posted], dict[str, str]]:
        """Readable answers by item, and a message for each unreadable one (items left empty are neither)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        values: dict[str, Posted] = {}
        errors: dict[str, str] = {}
        for item_id in self.item_ids:
            if item_id in self.errors:
                errors[item_id] = str(self.errors[item_id][0])
                continue
            value = cleaned.get(item_id)
            if value is None:
                continue
            base = _base_revision(str(self.data.get(f"rev_{item_id}") or ""))
            if value == DECLINED:
                values[item_id] = Posted(DECLINED_VALUE, True, base)
            else:
                values[item_id] = Posted(int(value), False, base)
        return values, errors

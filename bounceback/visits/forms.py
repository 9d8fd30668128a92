"""The booking form: the slot (from the address), an optional reason, what to share for this visit and until
when, and, for a first visit, the member's agreement to start care."""

from __future__ import annotations

from datetime import date, datetime

from django import forms

from bounceback.care.actions import MAX_SHARE_DAYS
from bounceback.care.models import Kind
from bounceback.clinics.availability import parse_start

from .actions import REASON_MAX_LENGTH

SHARE_DAYS_AFTER_VISIT = 14
"""The default last day of sharing: two weeks after the visit, the member's own date."""


class StartField(forms.Field):
    """A slot start as UTC ISO 8601 (e.g. 2027-03-08T14:00:00Z)."""

    def to_python(self, value: object) -> datetime | None:
        text = str(value or "").strip()
        if not text:
            return None
        parsed = parse_start(text[:64])
        if parsed is None:
            raise forms.ValidationError("Choose a time from the list.", code="invalid")
        return parsed


class BookingForm(forms.Form):
    start = StartField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a time from the list."},
    )
    reason = forms.CharField(
        label="What would you like to talk about? (optional)",
        required=False,
        max_length=REASON_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REASON_MAX_LENGTH}),
        help_text=f"Only your clinician reads this. Up to {REASON_MAX_LENGTH} characters; it is never put in "
        "emails or notifications.",
        error_messages={"max_length": f"Keep the reason to {REASON_MAX_LENGTH} characters or fewer."},
    )
    share = forms.MultipleChoiceField(
        label="What to share with your clinician for this visit (optional)",
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose what to share from the list."},
        help_text="You can stop sharing at any time.",
    )
    share_until = forms.DateField(
        label="Share until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the last day as a date, for example 2027-03-22."},
        help_text=f"Sharing stops at the end of this day, your time. At most {MAX_SHARE_DAYS} days ahead.",
    )
    agree = forms.BooleanField(
        label="I agree to start care with this clinician",
        required=False,
        help_text="Care starts only when you agree. You can end it at any time.",
    )

    def __init__(self, *args: object, today: date, first_visit: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["share_until"].widget.attrs["min"] = today.isoformat()
        if not first_visit:
            del self.fields["agree"]

    def clean_reason(self) -> str:
        text = str(self.cleaned_data.get("reason") or "")
        if "\x00" in text:
            raise forms.ValidationError("The reason has a character that can't be saved. Please retype it.")
        return text

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if "agree" in self.fields and not data.get("agree"):
            self.add_error("agree", "To book a first visit, agree to start care with this clinician.")
        if data.get("share") and not data.get("share_until") and "share_until" not in self.errors:
            self.add_error("share_until", "Choose the last day to share until.")
        return data


class MoveForm(forms.Form):
    start = StartField(error_messages={"required": "Choose a new time from the list."})

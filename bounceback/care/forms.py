"""The member's form for a new share: which kinds of data, and the last day (their own day)."""

from __future__ import annotations

from datetime import date

from django import forms

from .actions import MAX_SHARE_DAYS
from .models import Kind


class ShareForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="What to share",
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one thing to share.",
            "invalid_choice": "Choose what to share from the list.",
        },
    )
    last_day = forms.DateField(
        label="Last day of sharing",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Enter the last day of sharing.",
            "invalid": "Enter the last day as a date, for example 2026-03-12.",
        },
        help_text=f"Sharing stops at the end of this day, your time. At most {MAX_SHARE_DAYS} days ahead.",
    )

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        widget = self.fields["last_day"].widget
        widget.attrs["min"] = today.isoformat()

"""The clinician's form for assigning measures: which, how often, and why (shown to the member)."""

from __future__ import annotations

from django import forms

from bounceback.reminders.rules import DEFAULT_INTERVAL, INSTRUMENT_NAMES, INTERVALS

from .models import REASON_MAX


class AssignForm(forms.Form):
    instruments = forms.MultipleChoiceField(
        label="Measures",
        choices=list(INSTRUMENT_NAMES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one measure.",
            "invalid_choice": "Choose measures from the list.",
        },
    )
    every_days = forms.TypedChoiceField(
        label="How often",
        choices=[(n, f"Every {n} days") for n in INTERVALS],
        coerce=int,
        initial=DEFAULT_INTERVAL,
        error_messages={
            "required": "Choose how often.",
            "invalid_choice": "Choose how often from the list.",
        },
    )
    reason = forms.CharField(
        label="Why (the member sees this)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REASON_MAX}),
        help_text=f"At most {REASON_MAX} characters. Reminders never include it.",
        error_messages={"max_length": f"Keep the reason to {REASON_MAX} characters or fewer."},
    )

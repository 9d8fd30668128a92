"""The compose and reply forms: the pure rules do the checking, so the page, the actions and the tests agree."""

from __future__ import annotations

from typing import Any

from django import forms

from .rules import BODY_MAX, SUBJECT_MAX, Invalid, clean_body, clean_subject


def _rule(clean: Any, value: Any) -> str:
    try:
        return str(clean(str(value or "")))
    except Invalid as exc:
        raise forms.ValidationError(str(exc)) from None


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": BODY_MAX}),
        help_text=f"Up to {BODY_MAX:,} characters.",
    )

    def clean_body(self) -> str:
        return _rule(clean_body, self.cleaned_data.get("body"))


class ComposeForm(ReplyForm):
    to = forms.ChoiceField(label="To", choices=())
    subject = forms.CharField(
        label="Subject",
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX, "autocomplete": "off"}),
        help_text=f"Up to {SUBJECT_MAX} characters.",
    )
    field_order = ["to", "subject", "body"]

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = choices
        to.error_messages["invalid_choice"] = "Choose who to write to from the list."
        to.error_messages["required"] = "Choose who to write to."
        if len(choices) == 1:
            to.widget = forms.HiddenInput()
            to.initial = choices[0][0]

    def clean_subject(self) -> str:
        return _rule(clean_subject, self.cleaned_data.get("subject"))

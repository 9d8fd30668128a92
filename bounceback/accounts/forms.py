"""Onboarding at sign-up: consent, adulthood and country (for crisis resources and the time zone)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from bounceback.safety.crisis import country_choices

from .actions import TIME_ZONES, complete_onboarding
from .consent import CONSENT_POINTS
from .models import User


class OnboardingForm(forms.Form):
    """Extra sign-up fields, added to allauth's email and password form."""

    adult = forms.TypedChoiceField(
        label="Are you 18 or older?",
        choices=[("yes", "Yes, I am 18 or older"), ("no", "No, I am under 18")],
        widget=forms.RadioSelect,
        coerce=str,
    )
    country = forms.ChoiceField(
        label="Where do you live?",
        help_text="We use it to show you the right crisis lines.",
        choices=country_choices(),
        initial="US",
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Used for reminders and dates.",
        choices=[(z, z.replace("_", " ")) for z in sorted(TIME_ZONES)],
        initial="America/New_York",
    )
    consent = forms.BooleanField(
        label="I agree to Bounceback storing my answers as described above.",
        required=True,
        error_messages={
            "required": "Please agree to how your answers are stored, or continue without an account."
        },
    )

    field_order = ["email", "password1", "password2", "adult", "country", "time_zone", "consent"]
    consent_points = CONSENT_POINTS

    def clean_adult(self) -> str:
        value: str = self.cleaned_data["adult"]
        if value != "yes":
            raise forms.ValidationError(
                format_html(
                    "Bounceback accounts are for adults, so we have not created one and have stored nothing. "
                    'You can still <a href="{}">get help now</a> or see <a href="{}">support for young people</a>.',
                    reverse("bb-help"),
                    reverse("bb-young-people"),
                )
            )
        return value

    def signup(self, request: HttpRequest, user: User) -> None:
        complete_onboarding(
            user,
            adult=self.cleaned_data["adult"] == "yes",
            consented=self.cleaned_data["consent"],
            country=self.cleaned_data["country"],
            time_zone=self.cleaned_data["time_zone"],
        )

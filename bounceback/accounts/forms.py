"""Onboarding at sign-up: consent, adulthood and country (for crisis resources and the time zone)."""

from __future__ import annotations

from typing import Any

from allauth.core import context
from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from bounceback.safety.crisis import COUNTRY_COOKIE, country_choices, is_choice

from .actions import TIME_ZONES, complete_onboarding
from .consent import CONSENT_POINTS
from .models import User

TIME_ZONE_CHOICES = [(z, z.replace("_", " ")) for z in sorted(TIME_ZONES)]


class TimeZoneSelect(forms.Select):
    """The ~600 time zones rendered in one pass (Django's per-option templates took about 100 ms a page)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if v == chosen else "", label) for v, label in self.choices),
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), options)


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
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Used for reminders and dates.",
        choices=TIME_ZONE_CHOICES,
        widget=TimeZoneSelect,
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The country the person already chose, on Get help now or at the start of the check-up (which asks,
        # and keeps the answer in the crisis-country cookie): preselected, and shown as chosen, not asked again.
        request = context.request
        chosen = request.COOKIES.get(COUNTRY_COOKIE, "") if request is not None else ""
        self.country_known = is_choice(chosen)
        self.fields["country"].initial = chosen if self.country_known else settings.BOUNCEBACK_DEFAULT_COUNTRY
        self.country_name = dict(country_choices()).get(chosen, "")

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

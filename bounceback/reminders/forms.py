"""The reminder settings form: which questionnaires, how often, when, quiet hours, channels and time zone."""

from __future__ import annotations

from typing import Any

from django import forms

from bounceback.accounts.forms import TIME_ZONE_CHOICES, TimeZoneSelect

from .models import ReminderSettings
from .rules import INSTRUMENT_NAMES, INSTRUMENTS, INTERVALS, parse_instruments

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ReminderSettingsForm(forms.Form):
    instruments = forms.MultipleChoiceField(
        label="Questionnaires to repeat",
        choices=[(i, INSTRUMENT_NAMES[i]) for i in INSTRUMENTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose none to stop re-assessments altogether.",
    )
    every_days = forms.TypedChoiceField(
        label="How often",
        choices=[(n, f"Every {n} days") for n in INTERVALS],
        coerce=int,
        widget=forms.RadioSelect,
    )
    at = forms.TimeField(
        label="Reminder time", widget=TIME, help_text="Your own time, in the time zone below."
    )
    quiet_start = forms.TimeField(label="Quiet hours start", widget=TIME)
    quiet_end = forms.TimeField(
        label="Quiet hours end",
        widget=TIME,
        help_text="Nothing is sent between these times. The same start and end means no quiet hours.",
    )
    email = forms.BooleanField(label="Remind me by email", required=False)
    in_app = forms.BooleanField(label="Show reminders here, on my Bounceback pages", required=False)
    time_zone = forms.ChoiceField(label="Time zone", choices=TIME_ZONE_CHOICES, widget=TimeZoneSelect)

    @classmethod
    def initial_for(cls, stored: ReminderSettings, time_zone: str) -> dict[str, Any]:
        return {
            "instruments": list(parse_instruments(stored.instruments)),
            "every_days": stored.every_days,
            "at": stored.at,
            "quiet_start": stored.quiet_start,
            "quiet_end": stored.quiet_end,
            "email": stored.email,
            "in_app": stored.in_app,
            "time_zone": time_zone,
        }

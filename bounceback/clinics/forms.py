"""The clinic's forms: settings, invitations, accepting one, the clinician's profile and diary, a member's region.

Forms read and check what was typed; the actions make the writes and their own checks (a ``ClinicError`` is
put back on the field it names).
"""

from __future__ import annotations

from typing import Any

from django import forms

from bounceback.accounts.forms import TIME_ZONE_CHOICES, TimeZoneSelect
from bounceback.safety.crisis import country_choices

from . import regions
from .actions import ClinicError, ClinicSettings, Diary, Profile, parse_languages
from .hours import MAX_BLOCKS, WEEKDAYS, Typed
from .models import Clinic, ClinicianProfile, Modality, StaffRole, WeeklyHours

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COUNTRY_NAMES = dict(country_choices())
REGION_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (COUNTRY_NAMES.get(code, code), regions.choices(code)) for code in regions.BY_COUNTRY
]


def minutes(label: str, low: int, high: int, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=help_text)


class ClinicForm(forms.Form):
    name = forms.CharField(label="Clinic name", max_length=120)
    time_zone = forms.ChoiceField(label="Time zone", choices=TIME_ZONE_CHOICES, widget=TimeZoneSelect)
    country = forms.ChoiceField(label="Country", choices=country_choices())
    phone = forms.CharField(
        label="Clinic phone",
        max_length=40,
        required=False,
        help_text="Offered to members when a video visit cannot connect.",
    )
    on_call_name = forms.CharField(label="On-call contact's name", max_length=120, required=False)
    on_call_phone = forms.CharField(label="On-call phone", max_length=40, required=False)
    on_call_email = forms.EmailField(label="On-call email", required=False)
    acute_alert_minutes = minutes(
        "Minutes before an urgent safety alert escalates",
        1,
        10080,
        "An unacknowledged alert goes to on-call.",
    )
    non_acute_alert_minutes = minutes("Minutes before another safety alert escalates", 1, 10080)
    on_call_around_the_clock = forms.BooleanField(
        label="Someone answers safety alerts at all hours", required=False
    )
    external_meeting_url = forms.CharField(
        label="External meeting address",
        max_length=300,
        required=False,
        help_text="Leave empty to use Bounceback's own video visits. Otherwise an https address with {room} where "
        "each visit's room name goes, for example https://meet.example.org/{room}.",
    )

    @classmethod
    def initial_for(cls, clinic: Clinic) -> dict[str, Any]:
        return {name: getattr(clinic, name) for name in cls.base_fields}

    def values(self) -> ClinicSettings:
        return ClinicSettings(**self.cleaned_data)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Their email address")
    role = forms.ChoiceField(
        label="Role",
        choices=[(StaffRole.CLINICIAN, "Clinician"), (StaffRole.ADMIN, "Clinic administrator")],
        widget=forms.RadioSelect,
        initial=StaffRole.CLINICIAN,
    )


class StaffActiveForm(forms.Form):
    active = forms.TypedChoiceField(
        choices=[("1", "Activate"), ("0", "Deactivate")], coerce=lambda v: v == "1"
    )


class AcceptForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; a few unrelated words work well.",
    )
    password2 = forms.CharField(
        label="The password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords differ.")
        return data


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Your name as members see it", max_length=120)
    credentials = forms.CharField(
        label="Credentials", max_length=60, required=False, help_text="For example LCSW, PsyD, FNP or MD."
    )
    regions = forms.MultipleChoiceField(
        label="Where you are licensed to practise",
        choices=REGION_GROUPS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.CharField(
        label="Languages",
        max_length=400,
        required=False,
        help_text="Separated by commas, for example English, Spanish.",
    )
    modalities = forms.MultipleChoiceField(
        label="How you see members",
        choices=Modality.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    bio = forms.CharField(
        label="A short introduction",
        max_length=1200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 1200}),
        help_text="Up to 1,200 characters. Members read it when choosing a clinician.",
    )
    response_hours = minutes("Hours within which you answer messages", 1, 336, "Shown to members.")
    accepting = forms.BooleanField(label="I am accepting new members", required=False)

    @staticmethod
    def initial_for(profile: ClinicianProfile) -> dict[str, Any]:
        return {
            "display_name": profile.display_name,
            "credentials": profile.credentials,
            "regions": list(profile.regions),
            "languages": ", ".join(profile.languages),
            "modalities": list(profile.modalities),
            "bio": profile.bio,
            "response_hours": profile.response_hours,
            "accepting": profile.accepting,
        }

    def region_groups(self) -> list[tuple[str, list[Any]]]:
        """The licence checkboxes by country, for one fieldset each."""
        by_value = {str(w.data["value"]): w for w in self["regions"]}
        return [(name, [by_value[code] for code, _label in options]) for name, options in REGION_GROUPS]

    def clean_languages(self) -> list[str]:
        try:
            return parse_languages(self.cleaned_data["languages"])
        except ClinicError as exc:
            raise forms.ValidationError(str(exc)) from None

    def values(self) -> Profile:
        return Profile(**self.cleaned_data)


def hour_field(weekday: int, index: int, end: bool) -> str:
    return f"hours_{weekday}_{index}_{'end' if end else 'start'}"


class DiaryForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=TIME_ZONE_CHOICES,
        widget=TimeZoneSelect,
        help_text="Your weekly hours are in this zone; members see times in their own.",
    )
    slot_minutes = minutes("Length of a visit, in minutes", 10, 240)
    buffer_minutes = minutes("Free minutes after each visit", 0, 120)
    min_notice_hours = minutes("Least notice for a booking, in hours", 0, 336)
    horizon_days = minutes("How far ahead members can book, in days", 1, 365)
    cancel_cutoff_hours = minutes(
        "Members can cancel or move a visit until this many hours before it", 0, 336
    )

    def __init__(self, *args: Any, hours: list[WeeklyHours], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.blocks: list[int] = []
        for weekday in range(7):
            mine = [h for h in hours if h.weekday == weekday]
            count = min(MAX_BLOCKS, max(2, len(mine) + 1))
            self.blocks.append(count)
            for index in range(count):
                for end in (False, True):
                    name = hour_field(weekday, index, end)
                    label = f"{WEEKDAYS[weekday]}, block {index + 1}, {'end' if end else 'start'}"
                    self.fields[name] = forms.TimeField(label=label, required=False, widget=TIME)
                    if index < len(mine) and not self.is_bound:
                        self.initial[name] = mine[index].end if end else mine[index].start

    @staticmethod
    def initial_for(profile: ClinicianProfile) -> dict[str, Any]:
        return {
            "time_zone": profile.time_zone,
            "slot_minutes": profile.slot_minutes,
            "buffer_minutes": profile.buffer_minutes,
            "min_notice_hours": profile.min_notice_hours,
            "horizon_days": profile.horizon_days,
            "cancel_cutoff_hours": profile.cancel_cutoff_hours,
        }

    def days(self) -> list[dict[str, Any]]:
        """Each weekday with its blocks' bound fields, for the page."""
        return [
            {
                "name": WEEKDAYS[weekday],
                "blocks": [
                    (
                        index + 1,
                        self[hour_field(weekday, index, False)],
                        self[hour_field(weekday, index, True)],
                    )
                    for index in range(count)
                ],
            }
            for weekday, count in enumerate(self.blocks)
        ]

    def week(self) -> Typed:
        return {
            (weekday, index): (
                self.cleaned_data.get(hour_field(weekday, index, False)),
                self.cleaned_data.get(hour_field(weekday, index, True)),
            )
            for weekday, count in enumerate(self.blocks)
            for index in range(count)
        }

    def values(self) -> Diary:
        return Diary(**{name: self.cleaned_data[name] for name in DiaryForm.base_fields})


class TimeOffForm(forms.Form):
    first_day = forms.DateField(label="First day off", widget=DATE)
    last_day = forms.DateField(label="Last day off", widget=DATE, help_text="The same day for a single day.")


class RegionForm(forms.Form):
    country = forms.ChoiceField(
        label="Country", choices=country_choices(), help_text="Sets the crisis lines we show you."
    )
    region = forms.ChoiceField(
        label="State, province or nation",
        choices=[("", "Not said"), *REGION_GROUPS],
        required=False,
        help_text="Clinicians are licensed by it: we show you those who may treat you where you live.",
    )

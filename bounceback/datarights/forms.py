"""The account deletion's form: the password, a two-factor code for an account that has two-factor sign-in,
and the confirmation typed out. Checks go through allauth, so they count towards the sign-in limits and the
lockout like any other password or code typed on this site."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.mfa.base.forms import ReauthenticateForm
from allauth.mfa.utils import is_mfa_enabled
from django import forms

from bounceback.accounts.models import User

CONFIRMATION = "delete my account"
"""What the person types to confirm (any case, spaces around it ignored)."""


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="Or one of your recovery codes.",
        required=True,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    confirm = forms.CharField(
        label=f"Type “{CONFIRMATION}” to confirm",
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.needs_code = is_mfa_enabled(user)
        if not self.needs_code:
            del self.fields["code"]

    def clean_confirm(self) -> str:
        typed = " ".join(str(self.cleaned_data["confirm"]).split()).lower()
        if typed != CONFIRMATION:
            raise forms.ValidationError(f"This must be exactly “{CONFIRMATION}”, to show you mean it.")
        return typed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:  # the confirmation or a missing field first: no password attempt spent on a typo
            return cleaned
        if not get_adapter().reauthenticate(self.user, cleaned["password"]):
            self.add_error("password", "That is not your password.")
            return cleaned
        if self.needs_code:
            code = ReauthenticateForm(data={"code": cleaned["code"]}, user=self.user)
            if not code.is_valid():
                self.add_error("code", "That code is not right, or has been used already.")
        return cleaned


class AuditExportForm(forms.Form):
    """The clinic administrator's audit export: one member, or a period, as CSV or JSON."""

    member = forms.CharField(
        label="Member (email address or id)",
        help_text="Leave empty to export what your clinic's staff did in the period.",
        required=False,
        max_length=254,
    )
    since = forms.DateField(label="First day", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="Last day", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    fmt = forms.ChoiceField(label="Format", choices=[("csv", "CSV"), ("json", "JSON")], initial="csv")

"""Security keys and passkeys (WebAuthn) as an extra second factor, beside the authenticator app.

allauth's own forms, except that a malformed credential is refused as a wrong code instead of failing: its
parsing lets some through to code that raises (a number too long to read, a credential without ``rawId``).
Clinicians and operators set up the authenticator app first (``RequireTwoFactorMiddleware`` lets them reach
nothing else), then may add a key. Signing in with a key alone (passkey login) is off.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm, ReauthenticateWebAuthnForm
from django import forms

MALFORMED = (ValueError, TypeError, KeyError, AttributeError, IndexError)
"""What reading a forged credential can raise inside allauth and fido2."""


class CredentialField(forms.JSONField):
    """The browser's credential: a JSON object, or a form error (never an exception)."""

    def to_python(self, value: Any) -> Any:
        try:
            data = super().to_python(value)
        except ValueError:  # json's limit on long numbers raises ValueError, not JSONDecodeError
            raise forms.ValidationError("Enter a valid JSON.", code="invalid") from None
        if data is not None and not isinstance(data, dict):
            raise forms.ValidationError("Enter a valid JSON.", code="invalid")
        return data

    def bound_data(self, data: Any, initial: Any) -> Any:
        """What the page shows again after an error: never the posted value (a script sends a fresh one)."""
        return None


class AddKeyForm(AddWebAuthnForm):  # type: ignore[misc]
    credential = CredentialField(required=True, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        try:
            cleaned: dict[str, Any] = super().clean()
        except MALFORMED:
            raise get_adapter().validation_error("incorrect_code") from None
        return cleaned


class AuthenticateKeyForm(AuthenticateWebAuthnForm):  # type: ignore[misc]
    credential = CredentialField(required=True, widget=forms.HiddenInput)

    def clean_credential(self) -> Authenticator:
        try:
            authenticator: Authenticator = super().clean_credential()
        except MALFORMED:
            raise get_adapter().validation_error("incorrect_code") from None
        return authenticator


class ReauthenticateKeyForm(AuthenticateKeyForm, ReauthenticateWebAuthnForm):  # type: ignore[misc]
    """Signing in again with a key: the same credential checks, allauth's reauthentication otherwise."""

"""Sign-up that never says whether an address already has an account (enumeration, hazard H13).

allauth hides a taken address only when email verification is mandatory for everyone; Bounceback keeps it
optional for signing in (operator-made and demo accounts sign in without it). So sign-up itself always ends
the same way, "we sent you an email", whichever the address:

- a new address gets its account, check-ups started in this browser move to it (``user_signed_up``), and a
  confirmation email; the link signs the person in (``ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION``);
- a taken address gets no account and no change; its owner gets allauth's "account already exists" email
  (no health data: the email only offers a password reset).

Kept out of forms.py: allauth builds its sign-up form on ``forms.OnboardingForm``, so importing allauth's forms
there would be circular.
"""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from allauth.account.internal.flows.login import perform_login
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.internal.userkit import filter_users_by_email
from allauth.account.models import Login
from allauth.account.utils import get_next_redirect_url
from django.http import HttpRequest, HttpResponse

from bounceback.safety.crisis import COUNTRY_COOKIE
from bounceback.safety.web import remember_country

MANDATORY = app_settings.EmailVerificationMethod.MANDATORY


class PrivateSignupForm(SignupForm):  # type: ignore[misc]
    def validate_unique_email(self, value: str) -> str:
        self.account_already_exists = bool(filter_users_by_email(value))
        return str(get_adapter().validate_unique_email(value))

    def try_save(self, request: HttpRequest) -> tuple[Any, HttpResponse]:
        email = self.cleaned_data["email"]
        user = None
        if self.account_already_exists:
            response = perform_login(
                request, Login(user=None, email=email, signup=True, email_verification=MANDATORY)
            )
        else:
            user = self.save(request)
            response = complete_signup(
                request, user=user, email_verification=MANDATORY, redirect_url=get_next_redirect_url(request)
            )
        # Not signed in yet: the crisis lines follow the country the person just chose (both ways alike).
        if COUNTRY_COOKIE not in request.COOKIES:
            remember_country(response, self.cleaned_data["country"])
        return user, response

"""Sign-up that never says whether an address already has an account (enumeration, hazard H13).

allauth does the core of it: with email verification mandatory and ``ACCOUNT_PREVENT_ENUMERATION``, a new
address gets an account that cannot sign in until the link in its confirmation email is followed, and a taken
address gets no account while its owner gets allauth's "account already exists" email (no health data: it only
offers a password reset). Both answer "we sent you an email", and nobody is signed in.

This form adds what allauth leaves different between the two paths, or missing:

- **Time.** Creating an account hashes the password (argon2, the slowest step by far); a taken address skips
  that. Here it hashes the typed password too, and throws the hash away.
- **The crisis lines.** Nobody is signed in yet, so the country just chosen goes into the crisis-country cookie
  (on both paths, when it differs from the one the browser holds).
- **The browser's check-ups.** Nothing moves at sign-up. The address typed is noted in the session (on both
  paths); check-ups this browser started without an account go to that account when its owner confirms the
  address here, or signs in to it here (``checkups/signals.py``), never to any other account.

Kept out of forms.py: allauth builds its sign-up form on ``forms.OnboardingForm``, so importing allauth's forms
there would be circular.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.utils import get_next_redirect_url
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse

from bounceback.safety.crisis import COUNTRY_COOKIE
from bounceback.safety.web import remember_country

SIGNED_UP_AS = "bb_signed_up_as"
"""Session key: the address this browser last signed up with (lower-cased), whether or not it was new."""


def signed_up_as(request: HttpRequest) -> str:
    """The address this browser signed up with, if any (its check-ups are waiting for that account)."""
    value = request.session.get(SIGNED_UP_AS, "")
    return value if isinstance(value, str) else ""


class PrivateSignupForm(SignupForm):  # type: ignore[misc]
    def try_save(self, request: HttpRequest) -> tuple[Any, HttpResponse]:
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])  # the hash a new account costs (timing, see above)
        user, response = super().try_save(request)
        if response is None:
            # A new account: allauth's view would finish the sign-up; finish it here, so that both paths leave
            # through the lines below.
            response = complete_signup(request, user=user, redirect_url=get_next_redirect_url(request))
        request.session[SIGNED_UP_AS] = str(self.cleaned_data["email"]).lower()
        if request.COOKIES.get(COUNTRY_COOKIE) != self.cleaned_data["country"]:
            remember_country(response, self.cleaned_data["country"])
        return user, response

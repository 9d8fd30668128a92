"""Where signing in leads: members to their check-ups, clinicians to their dashboard, clinic administrators to
the clinic page (a ``?next=`` address still wins, as allauth does before asking the adapter)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .models import Role

HOME_BY_ROLE: dict[str, str] = {Role.CLINICIAN: "bb-dashboard", Role.OPERATOR: "bb-clinic"}
"""URL names of the apps above this one (reversed by name, never imported)."""


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        name = HOME_BY_ROLE.get(str(getattr(request.user, "role", "")), "")
        if name:
            try:
                return reverse(name)
            except NoReverseMatch:  # a site without the care apps' pages
                pass
        return str(super().get_login_redirect_url(request))

"""Addresses of a check-up's pages that reveal nothing about the answers.

A step's name ("asq", "pcl5", "phq9_rest") would tell anyone reading an access log that this person reported
thoughts of self-harm or screened positive. Each step is addressed instead by a keyed hash of the check-up and
the step, different for every check-up and meaningless without the site's secret key; actions that change a
check-up (next, back, decline the optional questions, "I am safe", finish) travel in the form body, never in
the path.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from bounceback.instruments.battery import Step

from .models import CheckUp

_SALT = "bounceback.checkups.step"
TOKEN_LENGTH = 16


def step_token(checkup: CheckUp, step_id: str) -> str:
    return salted_hmac(_SALT, f"{checkup.public_id}:{step_id}", algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def step_for_token(checkup: CheckUp, token: str) -> Step | None:
    """The step a token names for this check-up, or None (a token of another check-up names nothing here)."""
    if len(token) != TOKEN_LENGTH:
        return None
    steps = checkup.battery.steps
    return next((s for s in steps if constant_time_compare(step_token(checkup, s.id), token)), None)


def step_url(checkup: CheckUp, step_id: str) -> str:
    return reverse("bb-step", args=[checkup.public_id, step_token(checkup, step_id)])


def checkup_url(checkup: CheckUp) -> str:
    return reverse("bb-checkup", args=[checkup.public_id])

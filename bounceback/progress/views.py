"""The progress page. Thin: look up through the access function, build the pure page, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from bounceback.accounts.models import User
from bounceback.tracking.actions import keeps_checkins

from .access import progress_of
from .page import progress_page


@never_cache
@login_required
@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    records, days, today = progress_of(user, audit="progress.read")
    context = {"page": progress_page(records, days, today), "keeps_checkins": keeps_checkins(user)}
    return render(request, "progress/progress.html", context)

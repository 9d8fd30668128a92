"""The progress page. Thin: look up through the access function, build the pure page, render."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from bounceback.accounts.models import User
from bounceback.safety.web import country_for
from bounceback.tracking.actions import keeps_checkins

from .access import progress_of
from .page import progress_page
from .report_access import report_of

logger = logging.getLogger(__name__)


@never_cache
@login_required
@require_safe
def progress(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    records, days, today = progress_of(user, audit="progress.read")
    context = {"page": progress_page(records, days, today), "keeps_checkins": keeps_checkins(user)}
    return render(request, "progress/progress.html", context)


@never_cache
@login_required
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    """The member's own report as a PDF download: no id in the address, never cached, audited as a read."""
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    try:
        # Imported here: WeasyPrint loads Debian's Pango when imported, and a server without it must still run
        # every other page (the operators' guide names the packages).
        from .pdf import report_pdf
    except OSError:
        logger.error("The PDF report needs Pango: apt-get install -y libpango-1.0-0 libpangoft2-1.0-0")
        return render(request, "progress/report_unavailable.html", status=503)
    pdf = report_pdf(report_of(user, country=country_for(request)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="bounceback-report.pdf"'
    response["Cache-Control"] = "no-store"
    return response

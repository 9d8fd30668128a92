"""Public pages: home, the instrument catalogue, "Get help now", the privacy notice, terms and about page, and
the favicon."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from bounceback.alerts.health import report as alerts_health
from bounceback.checkups.pages import checkup_time
from bounceback.instruments import NOT_SHIPPED, all_instruments, get
from bounceback.instruments.battery import STEPS
from bounceback.reminders.health import report as reminders_health
from bounceback.safety.crisis import country_choices, is_choice, resources_for
from bounceback.safety.web import country_for, remember_country
from bounceback.video.health import report as video_health

from .catalogue import instrument_page
from .errors import render_error


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "front/home.html",
        {"instruments": all_instruments(include_disabled=False), "checkup_time": checkup_time()},
    )


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    battery_order = list(dict.fromkeys(s.instrument_id for s in STEPS))
    instruments = sorted(
        all_instruments(), key=lambda i: battery_order.index(i.id) if i.id in battery_order else len(STEPS)
    )
    enabled = {i.id for i in instruments if i.licence.enabled_by_default}
    enabled |= set(settings.BOUNCEBACK_ENABLED_INSTRUMENTS)
    return render(
        request,
        "catalogue/list.html",
        {
            "instruments": instruments,
            "battery_ids": set(battery_order),
            "enabled_ids": enabled,
            "not_shipped": NOT_SHIPPED.values(),
        },
    )


@require_safe
def instrument_detail(request: HttpRequest, instrument_id: str) -> HttpResponse:
    try:
        instrument = get(instrument_id)
    except KeyError:
        raise Http404("No such instrument") from None
    return render(request, "catalogue/detail.html", {"page": instrument_page(instrument)})


@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    """Crisis resources for the chosen country, with a switcher. No database, no session: it works when
    everything else is down. Choosing a country keeps it in a cookie."""
    chosen = request.GET.get("country", "").upper()
    context: dict[str, object] = {"countries": country_choices()}
    if is_choice(chosen):
        context["crisis"] = resources_for(chosen)
    else:
        chosen = country_for(request)
    context["chosen"] = chosen
    response = render(request, "front/help.html", context)
    if is_choice(request.GET.get("country", "").upper()):
        remember_country(response, chosen)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with crisis resources, rendered without context processors (no database, no session)."""
    return render_error(request, "500.html", 500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, "403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent from an expired or another page. The reason is for logs, not people."""
    return render_error(request, "403_csrf.html", 403)


FAVICON = (Path(__file__).resolve().parent.parent / "static" / "bounceback" / "favicon.ico").read_bytes()
"""The logo mark at 16, 32 and 48 px (made from static/bounceback/logo.svg), read once: browsers ask for
/favicon.ico on their own, and it is served without the database or the session."""


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(FAVICON, content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=60 * 60 * 24 * 7)
    return response


def _policies() -> dict[str, object]:
    """The figures the privacy notice, terms and about page quote, from the settings that enforce them."""
    return {
        "visitor_retention_days": settings.BOUNCEBACK_VISITOR_RETENTION_DAYS,
        "idle_minutes": settings.BOUNCEBACK_IDLE_MINUTES,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "contact_email": settings.BOUNCEBACK_CONTACT_EMAIL,
    }


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "front/privacy.html", _policies())


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "front/terms.html", _policies())


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "front/about.html", _policies())


@require_safe
def young_people(request: HttpRequest) -> HttpResponse:
    """For under-18s: accounts are for adults, nothing is stored, and help is there at any age."""
    return render(request, "front/young_people.html")


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not. The crisis
    pages do not depend on it (they need no database). With the database up it also reports background work
    (``reminders.health``): the scheduler's heartbeat and the outbox's oldest waiting send, and "status":
    "degraded" when either is wrong (still 200: the site itself works); and whether video visits have a TURN
    relay (``video.health``: "degraded" in production without one); and the safety alerts (``alerts.health``:
    open ones, the oldest's wait, any past its next rung, clinics with nobody on call: "degraded" for the
    last two)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body: dict[str, object] = {"database": "ok", **reminders_health()}
    except DatabaseError:
        return JsonResponse({"database": "unavailable"}, status=503)
    video = video_health()
    if video.pop("degraded"):
        body["status"] = "degraded"  # production without a TURN relay (hazard H30)
    body["video"] = video
    alerts = alerts_health()
    if alerts.pop("degraded"):
        body["status"] = "degraded"  # an alert past its rung (no scheduler), or a clinic with nobody on call
    body["alerts"] = alerts
    return JsonResponse(body, status=200)

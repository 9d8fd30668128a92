"""The safety alert pages: the list with acknowledging and the follow-up (clinicians, on-call, administrators),
and choosing who is on call (administrators). Thin: access, action, render."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from bounceback.accounts.models import User
from bounceback.audit.record import record
from bounceback.reminders.rules import zone as zone_of
from bounceback.safety.models import SafetyKind

from . import access, actions, loop
from .models import Alert

STAGE_WORDS = {
    loop.Stage.CLINICIANS: "the member's clinicians",
    loop.Stage.ON_CALL: "the on-call clinician",
    loop.Stage.ADMIN: "the clinic's administrators",
}
KIND_WORDS = {
    "acute_suicide_risk": "Acute suicide risk (ASQ: thoughts of suicide right now)",
    "suicide_risk": "Suicide risk (ASQ positive screen)",
    "suicidal_ideation": "PHQ-9 item 9 answered above “Not at all”",
}
assert set(KIND_WORDS) == set(SafetyKind.values)


def _staff_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not access.handles_alerts(user):
        raise Http404(access.NOT_FOUND)
    return user


def _row(alert: Alert, zone: ZoneInfo) -> dict[str, Any]:
    state = actions.state_of(alert)
    policy = actions.policy_of(alert.clinic)
    due = loop.next_due(state, policy)
    following = loop.advance(state, due, policy)[1] if due is not None else []
    return {
        "alert": alert,
        "kind": KIND_WORDS[alert.kind],
        "acute": state.severity is loop.Severity.ACUTE,
        "raised": alert.raised_at.astimezone(zone),
        "stage": STAGE_WORDS[loop.Stage(alert.stage)],
        "next_at": due.astimezone(zone) if due is not None else None,
        "next_to": STAGE_WORDS[following[0].stage] if following else "",
        "steps": [
            (s.at.astimezone(zone), STAGE_WORDS[loop.Stage(s.stage)], s.repeat, s.recipients)
            for s in alert.steps.all()
        ],
        "follow_up_due": loop.follow_up_due(state, policy).astimezone(zone),
        "follow_up_overdue": loop.follow_up_overdue(state, timezone.now(), policy),
        "action": loop.ACTION_LABELS[loop.Action(alert.action)] if alert.action else "",
        "acknowledged": alert.acknowledged_at.astimezone(zone) if alert.acknowledged_at else None,
    }


@never_cache
@login_required
@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    zone = zone_of(user.time_zone)
    alerts = sorted(access.alerts_for(user), key=lambda a: loop.rank(actions.state_of(a)))
    record(user, "alert.list.read", "user", str(user.public_id))
    rows = [_row(a, zone) for a in alerts]
    return render(
        request,
        "alerts/list.html",
        {
            "open_rows": [r for r in rows if r["acknowledged"] is None],
            "done_rows": [r for r in rows if r["acknowledged"] is not None],
            "actions": [(a.value, loop.ACTION_LABELS[a]) for a in loop.Action],
            "zone": str(zone),
        },
    )


@never_cache
@login_required
@require_POST
def acknowledge(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _staff_user(request)
    alert = access.get_alert(user, public_id)
    try:
        actions.acknowledge(user, alert, request.POST.get("action", ""), request.POST.get("note", ""))
    except actions.AlertError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Acknowledged. The alert will not go further.")
    return redirect("bb-alerts")


@never_cache
@login_required
@require_POST
def follow_up(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _staff_user(request)
    actions.record_follow_up(user, access.get_alert(user, public_id))
    messages.success(request, "Follow-up contact recorded.")
    return redirect("bb-alerts")


@never_cache
@login_required
def on_call(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    clinic = access.clinic_administered_by(user)
    staff = access.staff_of_clinic(clinic)
    if request.method == "POST":
        chosen = next(
            (s.user for s in staff if str(s.user.public_id) == request.POST.get("person", "")), None
        )
        if chosen is None:
            messages.error(request, "Choose someone on the clinic's staff.")
        else:
            actions.set_on_call(user, clinic, chosen)
            messages.success(request, "On-call changed.")
            return redirect("bb-alerts-on-call")
    current = access.on_call_of(clinic)
    return render(request, "alerts/on_call.html", {"clinic": clinic, "staff": staff, "current": current})

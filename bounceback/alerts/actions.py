"""Every write of the crisis loop: raising an alert from a safety event, moving it up the ladder, acknowledging
it, recording the follow-up, choosing who is on call. Each owns its transaction and audit entry; the state
changes themselves are ``loop.py``'s, applied under a row lock so two schedulers never send a rung twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bounceback.accounts.models import User
from bounceback.audit.record import hold_chain, record
from bounceback.care.models import CareRelationship
from bounceback.clinics.models import Clinic, Staff
from bounceback.reminders.notices import Notice, notify
from bounceback.safety.models import SafetyEvent

from . import loop, routing
from .models import Alert, AlertStep, OnCall

logger = logging.getLogger("bounceback.alerts")

ALERT_NOTICE = Notice(
    kind="alert",
    subject="Bounceback: a member needs your attention",
    body="A member's answers need your attention. Open your alerts on Bounceback and acknowledge.",
    path="/alerts/",
)
"""The same words at every stage and for every kind: no name, no answer, no flag (hazard H18)."""


class AlertError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


def policy_of(clinic: Clinic) -> loop.Policy:
    return loop.Policy(
        acute=timedelta(minutes=max(1, clinic.acute_alert_minutes)),
        non_acute=timedelta(minutes=max(1, clinic.non_acute_alert_minutes)),
    )


def state_of(alert: Alert) -> loop.Alert:
    return loop.Alert(
        kind=alert.kind,
        raised_at=alert.raised_at,
        stage=loop.Stage(alert.stage),
        notified_at=alert.notified_at,
        rounds=alert.rounds,
        acknowledged_at=alert.acknowledged_at,
        action=loop.Action(alert.action) if alert.action else None,
        follow_up_done_at=alert.follow_up_done_at,
    )


def _apply(alert: Alert, state: loop.Alert) -> None:
    alert.kind = state.kind
    alert.stage = int(state.stage)
    alert.notified_at = state.notified_at
    alert.rounds = state.rounds
    alert.acknowledged_at = state.acknowledged_at
    alert.action = state.action.value if state.action else ""
    alert.follow_up_done_at = state.follow_up_done_at


def _send(alert: Alert, step: loop.Step, now: datetime) -> None:
    people = routing.recipients(alert, step.stage, repeat=step.repeat)
    ref = f"{alert.public_id}:{int(step.stage)}:{alert.rounds}"
    for person in people:
        notify(person, ALERT_NOTICE.kind, ref, send_at=now)
    AlertStep.objects.create(
        alert=alert, at=now, stage=int(step.stage), repeat=step.repeat, recipients=len(people)
    )
    record(None, "alert.notify", "alert", str(alert.public_id))
    if not people:
        logger.error("alert %s: nobody to notify at stage %d", alert.public_id, int(step.stage))


def still_wanted(ref: str, recipient: User) -> bool:
    """An alert's notice goes only while the alert is unacknowledged."""
    public_id = ref.split(":", 1)[0]
    return Alert.objects.filter(public_id=public_id, acknowledged_at__isnull=True).exists()


def raise_for_event(event: SafetyEvent, now: datetime | None = None) -> list[Alert]:
    """Raise (or strengthen) the alert of the event's check-up at each clinic caring for its member. Called in
    the transaction that saved the answer, each clinic in its own savepoint: nothing here may lose the answer."""
    now = now or timezone.now()
    if event.user_id is None:  # a visitor's check-up: nobody is in care (no alert; H11)
        return []
    member = event.user
    assert member is not None
    raised = []
    for clinic, has_clinician in routing.clinics_caring_for(member, now).values():
        try:
            with transaction.atomic():
                raised.append(_raise_at(event, member, clinic, has_clinician, now))
        except Exception as error:
            logger.error("alert for event %s not raised now: %s", event.public_id, type(error).__name__)
    return raised


def _raise_at(event: SafetyEvent, member: User, clinic: Clinic, has_clinician: bool, now: datetime) -> Alert:
    alert = Alert.objects.select_for_update().filter(checkup_id=event.checkup_id, clinic=clinic).first()
    if alert is None:
        state, step = loop.raise_alert(event.kind, now, has_clinician=has_clinician)
        try:
            with transaction.atomic():
                alert = Alert(checkup_id=event.checkup_id, member=member, clinic=clinic, raised_at=now)
                _apply(alert, state)
                alert.save()
        except IntegrityError:  # raised at the same moment by another event of this check-up
            alert = Alert.objects.select_for_update().get(checkup_id=event.checkup_id, clinic=clinic)
        else:
            record(None, "alert.raise", "alert", str(alert.public_id))
            _send(alert, step, now)
            return alert
    state, steps = loop.stronger(
        state_of(alert), event.kind, now, policy_of(clinic), has_clinician=has_clinician
    )
    if state != state_of(alert):
        _apply(alert, state)
        alert.save()
        record(None, "alert.strengthen", "alert", str(alert.public_id))
    for step in steps:
        _send(alert, step, now)
    return alert


def escalate_due(now: datetime | None = None) -> int:
    """Move every unacknowledged alert whose waiting time ran out up its ladder (the scheduler's job); first
    raise any alert a safety event of a member in care is missing. Returns the number of notices sent."""
    now = now or timezone.now()
    reconcile(now)
    sent = 0
    for pk in Alert.objects.unacknowledged().values_list("pk", flat=True):
        with transaction.atomic():
            hold_chain()  # the chain before the alert's row, as an answer's save takes them (no deadlock)
            alert = Alert.objects.select_for_update().select_related("clinic").filter(pk=pk).first()
            if alert is None or alert.acknowledged_at is not None:
                continue
            state, steps = loop.advance(state_of(alert), now, policy_of(alert.clinic))
            if not steps:
                continue
            _apply(alert, state)
            alert.save()
            record(None, "alert.escalate", "alert", str(alert.public_id))
            for step in steps:
                _send(alert, step, now)
                sent += 1
    return sent


def reconcile(now: datetime, window: timedelta = timedelta(days=7)) -> int:
    """Raise the alerts that recent safety events of members in care are missing (a failure when the answer
    was saved, or an alert deleted). Returns how many were raised; each is logged. Runs every scheduler round:
    it reads only the events of members in care (or recently so), their alerts in one query, and each member's
    clinics once."""
    missing = 0
    in_care = CareRelationship.objects.exclude(ended_at__lt=now - routing.RECENTLY_ENDED).values("member_id")
    events = list(
        SafetyEvent.objects.filter(created_at__gte=now - window, user_id__in=in_care).select_related("user")
    )
    have: dict[int, set[int]] = {}
    for checkup_id, clinic_id in Alert.objects.filter(
        checkup_id__in={e.checkup_id for e in events}
    ).values_list("checkup_id", "clinic_id"):
        have.setdefault(checkup_id, set()).add(clinic_id)
    caring: dict[int, dict[int, tuple[Clinic, bool]]] = {}
    for event in events:
        member = event.user
        assert member is not None
        clinics = caring.setdefault(member.pk, routing.clinics_caring_for(member, now))
        for clinic_id in set(clinics) - have.get(event.checkup_id, set()):
            clinic, has_clinician = clinics[clinic_id]
            with transaction.atomic():
                hold_chain()
                _raise_at(event, member, clinic, has_clinician, now)
            have.setdefault(event.checkup_id, set()).add(clinic_id)
            logger.error("alert for event %s was missing: raised by reconciliation", event.public_id)
            missing += 1
    return missing


@transaction.atomic
def acknowledge(user: User, alert: Alert, action: str, note: str, now: datetime | None = None) -> Alert:
    """Someone who may handle the alert acted: the ladder stops. The note is encrypted; the audit holds ids."""
    now = now or timezone.now()
    if not routing.may_handle(user, alert):
        raise AlertError("alert", "No such alert.")
    hold_chain()
    try:
        chosen = loop.Action(action)
    except ValueError:
        raise AlertError("action", "Choose what you did.") from None
    text = (note or "").strip()
    if len(text) > 2000:
        raise AlertError("note", "Keep the note to 2,000 characters.")
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.acknowledged_at is not None:
        return locked
    _apply(locked, loop.acknowledge(state_of(locked), now, chosen))
    locked.acknowledged_by = user
    locked.note = text
    locked.save()
    record(user, "alert.acknowledge", "alert", str(locked.public_id))
    return locked


@transaction.atomic
def record_follow_up(user: User, alert: Alert, now: datetime | None = None) -> Alert:
    now = now or timezone.now()
    if not routing.may_handle(user, alert):
        raise AlertError("alert", "No such alert.")
    hold_chain()
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.follow_up_done_at is None:
        _apply(locked, loop.record_follow_up(state_of(locked), now))
        locked.follow_up_by = user
        locked.save()
        record(user, "alert.follow_up", "alert", str(locked.public_id))
    return locked


@transaction.atomic
def set_on_call(admin: User | None, clinic: Clinic, person: User) -> OnCall:
    """Choose who is on call (an active staff member of the clinic). ``admin`` None: an operator's command."""
    if not Staff.objects.filter(user_id=person.pk, clinic=clinic, active=True).exists():
        raise AlertError("on_call", "Choose someone on the clinic's staff.")
    chosen, _ = OnCall.objects.update_or_create(
        clinic=clinic, defaults={"user": person, "changed_at": timezone.now()}
    )
    record(admin, "clinic.on_call", "clinic", str(clinic.public_id))
    return chosen

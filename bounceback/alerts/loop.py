"""The closed crisis loop as a pure state machine (no Django, no database, no clock of its own).

A suicide-risk flag from a member in care raises one alert per check-up. Who hears of it climbs a ladder until
a person acknowledges it:

1. the member's clinicians (at once; straight to the on-call contact when the member has no active clinician);
2. the clinic's on-call contact, once the alert has waited ``limit`` unacknowledged (1 hour for an acute flag,
   24 hours otherwise, set per clinic);
3. the clinic's administrators, after another ``limit``;
4. then the on-call contact and the administrators again every ``limit``, until someone acknowledges it.

Viewing is not acknowledging: only ``acknowledge`` with an action stops the ladder. Every positive screen also
starts a follow-up contact that is due within 48 hours of the flag and stays open until recorded as done.

A worker that was down catches up in one step: it moves the alert to the stage its waiting time has reached and
sends one notice for that stage (not one for every missed rung); the ladder keeps its timetable (the next rung
falls due one waiting time after the rung just reached fell due).
The database layer (``models.py``, ``actions.py``) stores these fields and runs ``advance`` under a row lock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum


class Severity(StrEnum):
    ACUTE = "acute"
    """An ASQ acute positive: thoughts of suicide right now."""
    NON_ACUTE = "non_acute"
    """An ASQ non-acute positive, or PHQ-9 item 9 above "Not at all"."""


class Stage(IntEnum):
    CLINICIANS = 0
    ON_CALL = 1
    ADMIN = 2


class Action(StrEnum):
    """What the person acknowledging did (required: a bare "seen" does not close the loop)."""

    CONTACTED = "contacted"
    SAFETY_PLAN = "safety_plan"
    BOOKED = "booked"
    EMERGENCY = "emergency"


ACTION_LABELS = {
    Action.CONTACTED: "Contacted the member",
    Action.SAFETY_PLAN: "Reviewed the safety plan with the member",
    Action.BOOKED: "Booked a visit",
    Action.EMERGENCY: "Referred to emergency services",
}


KIND_SEVERITY = {
    "acute_suicide_risk": Severity.ACUTE,
    "suicide_risk": Severity.NON_ACUTE,
    "suicidal_ideation": Severity.NON_ACUTE,
}
"""The safety event kinds (``safety.models.SafetyKind``) and the severity of the alert each raises."""

KIND_RANK = {"acute_suicide_risk": 0, "suicide_risk": 1, "suicidal_ideation": 2}
"""Most urgent first: acute, then an ASQ non-acute positive, then item 9 alone (hazard H08, T08)."""

FOLLOW_UP = timedelta(hours=48)


@dataclass(frozen=True)
class Policy:
    """A clinic's waiting times before an unacknowledged alert goes up the ladder."""

    acute: timedelta = timedelta(hours=1)
    non_acute: timedelta = timedelta(hours=24)
    follow_up: timedelta = FOLLOW_UP

    def __post_init__(self) -> None:
        if self.acute <= timedelta(0) or self.non_acute <= timedelta(0) or self.follow_up <= timedelta(0):
            raise ValueError("waiting times must be positive")

    def limit(self, severity: Severity) -> timedelta:
        return self.acute if severity is Severity.ACUTE else self.non_acute


@dataclass(frozen=True)
class Alert:
    kind: str
    """The strongest safety event kind of the check-up so far."""
    raised_at: datetime
    stage: Stage
    notified_at: datetime
    """When the current stage was last notified (the ladder counts from here)."""
    rounds: int = 0
    """How many times the top stage has been notified again."""
    acknowledged_at: datetime | None = None
    action: Action | None = None
    follow_up_done_at: datetime | None = None

    @property
    def severity(self) -> Severity:
        return KIND_SEVERITY[self.kind]

    @property
    def open(self) -> bool:
        return self.acknowledged_at is None


@dataclass(frozen=True)
class Step:
    """A notice to send: to whom (the stage) and whether it is a repeat of that stage."""

    stage: Stage
    repeat: bool = False


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("times must carry their zone")
    return moment


def raise_alert(kind: str, now: datetime, *, has_clinician: bool) -> tuple[Alert, Step]:
    """A new alert and its first notice: the clinicians, or the on-call contact when there is no active one."""
    if kind not in KIND_SEVERITY:
        raise ValueError(f"not a safety event kind: {kind!r}")
    stage = Stage.CLINICIANS if has_clinician else Stage.ON_CALL
    return Alert(kind=kind, raised_at=_aware(now), stage=stage, notified_at=now), Step(stage)


def stronger(
    alert: Alert, kind: str, now: datetime, policy: Policy, *, has_clinician: bool
) -> tuple[Alert, list[Step]]:
    """Another flag in the same check-up. A weaker or equal one changes nothing (ten item-9 edits are one alert).
    A stronger kind (an acute positive after item 9) makes the alert that kind: an open alert whose new, shorter
    waiting time has already run out goes up at once; an alert acknowledged before the stronger answer came is
    opened again and starts the ladder afresh."""
    if kind not in KIND_SEVERITY:
        raise ValueError(f"not a safety event kind: {kind!r}")
    if KIND_RANK[kind] >= KIND_RANK[alert.kind]:
        return alert, []
    if not alert.open:
        fresh, step = raise_alert(kind, now, has_clinician=has_clinician)
        return replace(fresh, raised_at=alert.raised_at, follow_up_done_at=None), [step]
    return advance(replace(alert, kind=kind), now, policy)


def next_due(alert: Alert, policy: Policy) -> datetime | None:
    """When the ladder next moves if nobody acknowledges (None once acknowledged)."""
    if not alert.open:
        return None
    return alert.notified_at + policy.limit(alert.severity)


def advance(alert: Alert, now: datetime, policy: Policy) -> tuple[Alert, list[Step]]:
    """Move the alert as far up the ladder as its waiting time has reached by ``now``; at most one notice."""
    _aware(now)
    due = next_due(alert, policy)
    if due is None or now < due:
        return alert, []
    limit = policy.limit(alert.severity)
    rungs = 1 + int((now - due) / limit)  # how many waiting times have passed since the last notice
    stage = alert.stage
    rounds = alert.rounds
    for _ in range(rungs):
        if stage < Stage.ADMIN:
            stage = Stage(stage + 1)
        else:
            rounds += 1
    moved = replace(alert, stage=stage, rounds=rounds, notified_at=due + (rungs - 1) * limit)
    return moved, [Step(stage, repeat=rounds > alert.rounds)]


def acknowledge(alert: Alert, now: datetime, action: Action) -> Alert:
    """Someone acted: the ladder stops. Acknowledging twice keeps the first."""
    if not isinstance(action, Action):
        raise ValueError("choose what was done")
    if not alert.open:
        return alert
    return replace(alert, acknowledged_at=_aware(now), action=action)


def follow_up_due(alert: Alert, policy: Policy) -> datetime:
    return alert.raised_at + policy.follow_up


def follow_up_overdue(alert: Alert, now: datetime, policy: Policy) -> bool:
    return alert.follow_up_done_at is None and now > follow_up_due(alert, policy)


def record_follow_up(alert: Alert, now: datetime) -> Alert:
    if alert.follow_up_done_at is not None:
        return alert
    return replace(alert, follow_up_done_at=_aware(now))


def rank(alert: Alert) -> tuple[int, int, datetime]:
    """Sort key for a caseload: open before acknowledged, then by kind (acute first), oldest first."""
    return (0 if alert.open else 1, KIND_RANK[alert.kind], alert.raised_at)

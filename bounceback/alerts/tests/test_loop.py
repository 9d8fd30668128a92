"""The crisis loop's state machine, table by table, with no database (hazards H05, H06, H08)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bounceback.alerts.loop import (
    Action,
    Alert,
    Policy,
    Stage,
    Step,
    acknowledge,
    advance,
    follow_up_due,
    follow_up_overdue,
    next_due,
    raise_alert,
    rank,
    record_follow_up,
    stronger,
)

T0 = datetime(2026, 3, 7, 2, 0, tzinfo=UTC)  # 02:00 on a Saturday
POLICY = Policy()
H = timedelta(hours=1)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("kind", "has_clinician", "stage"),
    [
        ("acute_suicide_risk", True, Stage.CLINICIANS),
        ("suicide_risk", True, Stage.CLINICIANS),
        ("suicidal_ideation", True, Stage.CLINICIANS),
        ("acute_suicide_risk", False, Stage.ON_CALL),  # no active clinician: never routed to no one (H05)
        ("suicidal_ideation", False, Stage.ON_CALL),
    ],
)
def test_a_new_alert_goes_to_the_clinicians_or_straight_to_on_call(
    kind: str, has_clinician: bool, stage: Stage
) -> None:
    alert, step = raise_alert(kind, T0, has_clinician=has_clinician)
    assert (alert.stage, step, alert.open) == (stage, Step(stage), True)


# (hours after the flag, stage reached, notices sent by a worker that looks every minute) for an acute alert
ACUTE_LADDER = [
    (0.5, Stage.CLINICIANS, []),
    (59 / 60, Stage.CLINICIANS, []),
    (1.0, Stage.ON_CALL, [Step(Stage.ON_CALL)]),
    (1.5, Stage.ON_CALL, []),
    (2.0, Stage.ADMIN, [Step(Stage.ADMIN)]),
    (3.0, Stage.ADMIN, [Step(Stage.ADMIN, repeat=True)]),
    (4.0, Stage.ADMIN, [Step(Stage.ADMIN, repeat=True)]),
]


def test_an_unacknowledged_acute_alert_climbs_every_hour_and_repeats_at_the_top() -> None:
    alert, _ = raise_alert("acute_suicide_risk", T0, has_clinician=True)
    minute = timedelta(minutes=1)
    now = T0
    seen: dict[float, tuple[Stage, list[Step]]] = {}
    steps_at: list[tuple[datetime, Step]] = []
    while now <= at(4):
        alert, steps = advance(alert, now, POLICY)
        steps_at += [(now, s) for s in steps]
        for hours, _stage, _steps in ACUTE_LADDER:
            if now == at(hours) or (now < at(hours) < now + minute):
                seen[hours] = (alert.stage, steps)
        now += minute
    for hours, stage, _ in ACUTE_LADDER:
        assert seen[hours][0] == stage, hours
    assert steps_at == [
        (at(1), Step(Stage.ON_CALL)),
        (at(2), Step(Stage.ADMIN)),
        (at(3), Step(Stage.ADMIN, repeat=True)),
        (at(4), Step(Stage.ADMIN, repeat=True)),
    ]


def test_a_non_acute_alert_waits_24_hours_per_rung_and_a_clinic_may_set_its_own() -> None:
    alert, _ = raise_alert("suicidal_ideation", T0, has_clinician=True)
    assert advance(alert, at(23.9), POLICY) == (alert, [])
    assert advance(alert, at(24), POLICY)[0].stage == Stage.ON_CALL
    quick = Policy(acute=timedelta(minutes=15), non_acute=timedelta(hours=4))
    assert advance(alert, at(4), quick)[0].stage == Stage.ON_CALL
    assert next_due(alert, quick) == at(4)


def test_a_worker_down_for_hours_catches_up_with_one_notice_and_keeps_the_timetable() -> None:
    alert, _ = raise_alert("acute_suicide_risk", T0, has_clinician=True)
    caught, steps = advance(alert, at(2.5), POLICY)  # restarted after two and a half hours
    assert (caught.stage, steps) == (Stage.ADMIN, [Step(Stage.ADMIN)])
    assert caught.notified_at == at(2)
    assert next_due(caught, POLICY) == at(3)
    assert advance(caught, at(2.6), POLICY) == (caught, [])  # nothing twice
    again, steps = advance(caught, at(5.5), POLICY)
    assert (
        steps == [Step(Stage.ADMIN, repeat=True)] and again.rounds == 3 and next_due(again, POLICY) == at(6)
    )


def test_advance_is_idempotent_for_the_same_moment() -> None:
    alert, _ = raise_alert("acute_suicide_risk", T0, has_clinician=False)
    once, steps = advance(alert, at(1), POLICY)
    assert steps == [Step(Stage.ADMIN)]
    assert advance(once, at(1), POLICY) == (once, [])


@pytest.mark.parametrize("action", list(Action))
def test_acknowledging_with_an_action_stops_the_ladder(action: Action) -> None:
    alert, _ = raise_alert("acute_suicide_risk", T0, has_clinician=True)
    done = acknowledge(alert, at(0.5), action)
    assert not done.open and done.action is action and next_due(done, POLICY) is None
    assert advance(done, at(10), POLICY) == (done, [])
    assert acknowledge(done, at(1), Action.CONTACTED) == done  # the first acknowledgement stands


def test_acknowledging_needs_an_action_and_times_need_zones() -> None:
    alert, _ = raise_alert("suicide_risk", T0, has_clinician=True)
    with pytest.raises(ValueError):
        acknowledge(alert, at(1), "seen")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        raise_alert("suicide_risk", datetime(2026, 3, 7, 2), has_clinician=True)
    with pytest.raises(ValueError):
        raise_alert("feeling_low", T0, has_clinician=True)
    with pytest.raises(ValueError):
        Policy(acute=timedelta(0))


@pytest.mark.parametrize(
    ("first", "then", "changes"),
    [
        ("suicidal_ideation", "suicidal_ideation", False),  # ten item-9 edits: one alert, unchanged
        ("suicide_risk", "suicidal_ideation", False),
        ("acute_suicide_risk", "suicide_risk", False),
        ("suicidal_ideation", "suicide_risk", True),
        ("suicidal_ideation", "acute_suicide_risk", True),
    ],
)
def test_only_a_stronger_flag_changes_an_alert(first: str, then: str, changes: bool) -> None:
    alert, _ = raise_alert(first, T0, has_clinician=True)
    after, _steps = stronger(alert, then, at(0.1), POLICY, has_clinician=True)
    assert (after != alert) is changes


def test_an_acute_answer_hours_after_item_9_escalates_on_the_acute_timetable_at_once() -> None:
    alert, _ = raise_alert("suicidal_ideation", T0, has_clinician=True)
    after, steps = stronger(alert, "acute_suicide_risk", at(3), POLICY, has_clinician=True)
    assert after.kind == "acute_suicide_risk" and steps and after.stage > Stage.CLINICIANS


def test_a_stronger_flag_after_acknowledgement_opens_the_alert_again() -> None:
    alert, _ = raise_alert("suicidal_ideation", T0, has_clinician=True)
    done = acknowledge(alert, at(1), Action.CONTACTED)
    reopened, steps = stronger(done, "acute_suicide_risk", at(2), POLICY, has_clinician=True)
    assert reopened.open and reopened.stage == Stage.CLINICIANS and steps == [Step(Stage.CLINICIANS)]
    assert next_due(reopened, POLICY) == at(3)


def test_a_follow_up_is_due_within_48_hours_and_tracked_until_done() -> None:
    alert, _ = raise_alert("suicide_risk", T0, has_clinician=True)
    alert = acknowledge(alert, at(0.2), Action.CONTACTED)  # acknowledging is not the follow-up
    assert follow_up_due(alert, POLICY) == at(48)
    assert not follow_up_overdue(alert, at(48), POLICY)
    assert follow_up_overdue(alert, at(48.1), POLICY)
    done = record_follow_up(alert, at(50))
    assert not follow_up_overdue(done, at(100), POLICY)
    assert record_follow_up(done, at(60)) == done


def test_open_alerts_rank_first_then_acute_then_asq_then_item_9_oldest_first() -> None:
    item9 = raise_alert("suicidal_ideation", at(0), has_clinician=True)[0]
    asq = raise_alert("suicide_risk", at(1), has_clinician=True)[0]
    acute_new = raise_alert("acute_suicide_risk", at(3), has_clinician=True)[0]
    acute_old = raise_alert("acute_suicide_risk", at(2), has_clinician=True)[0]
    done = acknowledge(
        raise_alert("acute_suicide_risk", at(0), has_clinician=True)[0], at(0.5), Action.CONTACTED
    )
    ordered: list[Alert] = sorted([item9, done, asq, acute_new, acute_old], key=rank)
    assert ordered == [acute_old, acute_new, asq, item9, done]

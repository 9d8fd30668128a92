"""Plan rules as a table (pure, no database): hazard H29 and the plan's safety ordering."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict

import pytest

from bounceback.instruments.battery import score_battery
from bounceback.plans import content
from bounceback.plans.content import ACTIONS, EVIDENCE, TAILORING
from bounceback.plans.rules import build_plan

CALM = {f"brs_{n}": 4 if n % 2 else 2 for n in range(1, 7)}  # normal resilience (4.00)
LOW_MOOD = {"phq9_1": 2, "phq9_2": 2} | {f"phq9_{n}": 2 for n in range(3, 10)} | {"phq9_9": 0}
SUPPORTED = {"osss3_1": 4, "osss3_2": 5, "osss3_3": 5, "ucla3_1": 1, "ucla3_2": 1, "ucla3_3": 1}
ALONE = {"osss3_1": 1, "osss3_2": 1, "osss3_3": 1, "ucla3_1": 3, "ucla3_2": 3, "ucla3_3": 3}
ACTIVE = {"evs_days": 5, "evs_minutes": 40}
INACTIVE = {"evs_days": 0}


def plan_for(answers: dict[str, int], context: tuple[str, ...] = ()) -> list[str]:
    return build_plan(score_battery(answers), answers, context).action_ids


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (CALM | SUPPORTED | ACTIVE | {"phq9_1": 0, "phq9_2": 0, "phq9_9": 0},
         ["keep_connected", "sleep", "mindfulness", "professional_if_needed", "keep_moving"]),
        (CALM | ALONE | INACTIVE | {"phq9_1": 0, "phq9_2": 0, "phq9_9": 0},
         ["build_support", "ease_loneliness", "move_more", "sleep", "mindfulness", "professional_if_needed"]),
        (CALM | SUPPORTED | ACTIVE | LOW_MOOD,
         ["see_professional", "sleep", "keep_connected", "eating", "mindfulness", "keep_moving"]),
        (CALM | SUPPORTED | ACTIVE | {"phq9_1": 0, "phq9_2": 0, "phq9_9": 1, "asq_1": 1, "asq_2": 0, "asq_3": 0, "asq_4": 0, "asq_5": 0},
         ["safety_now", "keep_connected", "sleep", "mindfulness", "keep_moving"]),
    ],
    ids=["calm", "alone-inactive", "low-mood", "item9-non-acute"],
)  # fmt: skip
def test_it_builds_the_plan_in_priority_order(answers: dict[str, int], expected: list[str]) -> None:
    assert plan_for(answers) == expected


def test_it_puts_talking_to_a_professional_first_after_a_non_acute_positive() -> None:
    answers = CALM | LOW_MOOD | {"phq9_9": 2, "asq_1": 1, "asq_2": 1, "asq_3": 0, "asq_4": 0, "asq_5": 0}
    plan = build_plan(score_battery(answers), answers)
    assert plan.action_ids[:2] == ["safety_now", "see_professional"]
    assert not plan.acute


def test_it_marks_an_acute_plan() -> None:
    answers = {
        "phq9_1": 0,
        "phq9_2": 0,
        "phq9_9": 3,
        "asq_1": 1,
        "asq_2": 1,
        "asq_3": 1,
        "asq_4": 0,
        "asq_5": 1,
    }
    plan = build_plan(score_battery(answers), answers)
    assert plan.acute and plan.action_ids[0] == "safety_now"


def test_it_always_includes_professional_help() -> None:
    for answers in (CALM, CALM | SUPPORTED | ACTIVE, {}):
        ids = plan_for(answers)
        assert {"safety_now", "see_professional", "professional_if_needed"} & set(ids), ids


def test_it_raises_sleep_when_sleep_is_a_problem() -> None:
    answers = CALM | LOW_MOOD | {"phq9_3": 3}
    items = {i.action.id: i for i in build_plan(score_battery(answers), answers).items}
    assert items["sleep"].priority == 1
    assert items["sleep"].reason == "You told us sleep has been a problem."


def test_it_tailors_to_what_the_person_is_going_through() -> None:
    plan = build_plan(score_battery(CALM), CALM, ("loss", "job_loss", "unknown"))
    assert plan.tailoring == (TAILORING["loss"], TAILORING["job_loss"])


def test_it_cites_evidence_for_every_action() -> None:
    for action in ACTIONS.values():
        assert action.evidence, action.id
        for key in action.evidence:
            assert key in EVIDENCE, (action.id, key)
        assert action.why and action.how and action.first_step
    for evidence in EVIDENCE.values():
        assert evidence.url.startswith("https://")
        assert any(evidence.id in a.evidence for a in ACTIONS.values()), f"{evidence.id} is cited by nothing"


def test_it_sets_no_weight_or_calorie_targets() -> None:
    banned = re.compile(
        r"\bcalorie|\bkcal\b|lose weight|weight loss|\bBMI\b|\bdiet(ing)?\b(?! quality)|\bpounds\b|\bkg\b",
        re.I,
    )
    for action in ACTIONS.values():
        for text in (action.title, action.why, action.first_step, *action.how):
            assert not banned.search(text), (action.id, text)


def test_it_tells_people_to_stop_if_a_practice_makes_them_feel_worse() -> None:
    for action_id in ("mindfulness", "move_more"):
        assert content.STOP_IF_WORSE in ACTIONS[action_id].how


def content_checksum() -> str:
    payload = {
        "actions": [asdict(a) for a in ACTIONS.values()],
        "evidence": [asdict(e) for e in EVIDENCE.values()],
        "tailoring": TAILORING,
        "stop": content.STOP_IF_WORSE,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def test_it_matches_the_approved_plan_content() -> None:
    assert content_checksum() == content.APPROVED_SHA256, (
        "The plan content changed. After clinical review, record the new checksum in "
        f"bounceback/plans/content.py: APPROVED_SHA256 = {content_checksum()!r}"
    )

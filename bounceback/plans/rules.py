"""Plan rules: from results and context to a prioritised resilience plan. Pure functions, table-tested.

Rules (most urgent first):
- Any suicide-risk flag → "talk to a professional about these thoughts" first (after an acute ASQ the crisis
  banner also stays on every page).
- PHQ-9 ≥ 10, GAD-7 ≥ 10, PC-PTSD-5 positive or PCL-5 probable PTSD → "talk to a professional", high.
- Otherwise professional help is still in the plan, last: "know when to reach for help" (hazard H09).
- Social support: OSSS-3 poor → reach out (high); UCLA-3 lonely → ease loneliness (high); otherwise keep your
  people close.
- Exercise: EVS below 150 minutes a week → move more (high when inactive); otherwise keep moving.
- Sleep: PHQ-9 item 3 or PCL-5 item 20 at "more than half the days" / "moderately" or more → high.
- Eating: PHQ-9 item 5 at "more than half the days" or more → included (no weight or calorie targets).
- Mindfulness: always offered; high when anxiety (GAD-2/GAD-7 positive) or low resilience (BRS) shows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bounceback.instruments import ACUTE_FLAG, SAFETY_FLAGS, Result, refers

from .content import ACTIONS, EVIDENCE, PILLARS, TAILORING, Action, Evidence

HIGH, MEDIUM, LOW = 1, 2, 3
CONCERN_LABELS = {
    "phq9": "your depression questions",
    "phq8": "your depression questions",
    "gad7": "your anxiety questions",
    "pcptsd5": "your answers about a frightening event",
    "pcl5": "your post-traumatic stress questions",
}
"""How the plan names each instrument whose result is in a referral band (the definitions' ``refer``)."""


@dataclass(frozen=True)
class PlanItem:
    action: Action
    priority: int
    reason: str
    """Why this is in the plan for this person, in plain words (which result led to it)."""

    @property
    def pillar(self) -> str:
        return PILLARS[self.action.pillar]

    @property
    def sources(self) -> list[Evidence]:
        return [EVIDENCE[key] for key in self.action.evidence]


@dataclass(frozen=True)
class Plan:
    items: tuple[PlanItem, ...]
    tailoring: tuple[str, ...]
    acute: bool

    @property
    def action_ids(self) -> list[str]:
        return [i.action.id for i in self.items]


def _band(results: Mapping[str, Result], instrument_id: str) -> str | None:
    result = results.get(instrument_id)
    return result.band if result is not None and result.complete else None


def build_plan(
    results: Mapping[str, Result], answers: Mapping[str, int | None], context: Collection[str] = ()
) -> Plan:
    flags: set[str] = set()
    for result in results.values():
        flags |= result.flags
    items: list[PlanItem] = []

    def add(action_id: str, priority: int, reason: str) -> None:
        items.append(PlanItem(ACTIONS[action_id], priority, reason))

    # Professional help: always present; its rank depends on the results.
    if flags & SAFETY_FLAGS:
        add("safety_now", 0, "You told us about thoughts of death or of hurting yourself.")
    concerns = [CONCERN_LABELS[r.instrument_id] for r in results.values() if refers(r)]
    if concerns:
        add("see_professional", HIGH, "Recommended because of " + " and ".join(concerns) + ".")
    elif not flags & SAFETY_FLAGS:
        add("professional_if_needed", LOW, "Part of every plan: screening can miss things.")

    # Social support
    if _band(results, "osss3") == "poor":
        add("build_support", HIGH, "Your answers suggest little support you can count on right now.")
    if _band(results, "ucla3") == "lonely":
        add("ease_loneliness", HIGH, "Your answers suggest you often feel lonely.")
    if _band(results, "osss3") in {"moderate", "strong"} and _band(results, "ucla3") != "lonely":
        add("keep_connected", MEDIUM, "The people around you are a strength in hard times.")

    # Self-care: exercise, sleep, eating
    evs = _band(results, "evs")
    if evs == "inactive":
        add("move_more", HIGH, "You are not exercising at the moment.")
    elif evs == "insufficiently_active":
        add("move_more", MEDIUM, "You are below 150 minutes of activity a week.")
    elif evs == "sufficiently_active":
        add("keep_moving", LOW, "You already meet the activity guideline.")
    poor_sleep = (answers.get("phq9_3") or 0) >= 2 or (answers.get("pcl5_20") or 0) >= 2
    add(
        "sleep",
        HIGH if poor_sleep else MEDIUM,
        "You told us sleep has been a problem." if poor_sleep else "Sleep protects mood in hard times.",
    )
    if (answers.get("phq9_5") or 0) >= 2:
        add("eating", MEDIUM, "You told us appetite or eating has been a problem.")

    # Mindfulness
    anxious = _band(results, "gad2") == "positive" or _band(results, "gad7") in {"mild", "moderate", "severe"}
    low_resilience = _band(results, "brs") == "low"
    reason = (
        "It can help with the worry and stress your answers suggest."
        if anxious
        else "It builds resilience, which your answers suggest is low right now."
        if low_resilience
        else "A few minutes a day helps with stress."
    )
    add("mindfulness", HIGH if anxious or low_resilience else MEDIUM, reason)

    ordered = tuple(sorted(items, key=lambda i: i.priority))
    tailoring = tuple(TAILORING[c] for c in context if c in TAILORING)
    return Plan(ordered, tailoring, ACUTE_FLAG in flags)

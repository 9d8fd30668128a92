"""The default check-up, stepped, as data: which items to ask next, given the answers so far.

Order and rules (instrument spec, "Decisions" 1-3 and 9):

1. BRS.
2. PHQ-2, asked as PHQ-9 items 1 and 2 (the answers are reused when stepping up, never asked twice).
3. PHQ-9 items 3-9 (and the unscored difficulty item 10) when PHQ-2 ≥ 3; otherwise item 9 on its own, with the
   PHQ-9 stem and options unchanged. Item 9 is asked on every path.
4. The ASQ, immediately after any item-9 answer above 0; its acuity question only after a "yes".
5. GAD-2, asked as GAD-7 items 1 and 2; the rest of the GAD-7 when GAD-2 ≥ 3.
6. The PC-PTSD-5 exposure question; the five items after a "yes"; the PCL-5 offered (it may be declined) when
   the PC-PTSD-5 count is 3 or more.
7. OSSS-3, UCLA-3, the Exercise Vital Sign (minutes only after days above 0), SWLS.

Pure functions over a mapping of item ids to answers; the web view, the API and tests all walk the same steps.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import cache

from .base import Item, Result, risk_flags
from .registry import get, score

Answered = Mapping[str, int | None]


def _given(answers: Answered, item_id: str) -> int | None:
    return answers.get(item_id)


def _sum(answers: Answered, *item_ids: str) -> int:
    return sum(answers.get(i) or 0 for i in item_ids)


def _always(_answers: Answered) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    id: str
    instrument_id: str
    """The instrument whose instructions, recall period and attribution frame this page."""
    items: tuple[str, ...]
    applies: Callable[[Answered], bool] = _always
    """Decided from earlier steps only, so it is always decidable when the step is reached."""
    optional_items: tuple[str, ...] = ()
    """Shown on the page but not needed for the page to count as answered (PHQ-9 item 10)."""
    declinable: bool = False
    """An offered follow-up the person may decline (PCL-5)."""

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(i for i in self.items if i not in self.optional_items)

    def done(self, answers: Answered) -> bool:
        return all(_given(answers, i) is not None for i in self.required)


def _numbered(prefix: str, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{prefix}_{n}" for n in range(first, last + 1))


def _phq2_positive(a: Answered) -> bool:
    return _sum(a, "phq9_1", "phq9_2") >= 3


def _pcptsd5_positive(a: Answered) -> bool:
    return _gate_open("pcptsd5", "pcptsd5_1", a) and _sum(a, *_numbered("pcptsd5", 1, 5)) >= 3


def _gate_open(instrument_id: str, item_id: str, a: Answered) -> bool:
    """The instrument's own follow-up rule for this item (its definition's gate)."""
    gate = get(instrument_id).gate_for(item_id)
    assert gate is not None, f"{instrument_id} has no gate for {item_id}"
    return gate.opens(a)


def _phq9_risk(a: Answered) -> bool:
    """The ASQ follows whenever PHQ-9's risk rule fires (item 9 above 0)."""
    return bool(risk_flags(get("phq9"), a))


STEPS: tuple[Step, ...] = (
    Step("brs", "brs", _numbered("brs", 1, 6)),
    Step("phq2", "phq9", ("phq9_1", "phq9_2")),
    Step("phq9_rest", "phq9", _numbered("phq9", 3, 10), _phq2_positive, optional_items=("phq9_10",)),
    Step("phq9_item9", "phq9", ("phq9_9",), lambda a: not _phq2_positive(a)),
    Step("asq", "asq", _numbered("asq", 1, 4), _phq9_risk),
    Step("asq_acuity", "asq", ("asq_5",), lambda a: _phq9_risk(a) and _gate_open("asq", "asq_5", a)),
    Step("gad2", "gad7", ("gad7_1", "gad7_2")),
    Step("gad7_rest", "gad7", _numbered("gad7", 3, 7), lambda a: _sum(a, "gad7_1", "gad7_2") >= 3),
    Step("pcptsd5_exposure", "pcptsd5", ("pcptsd5_exposure",)),
    Step("pcptsd5", "pcptsd5", _numbered("pcptsd5", 1, 5), lambda a: _gate_open("pcptsd5", "pcptsd5_1", a)),
    Step("pcl5", "pcl5", _numbered("pcl5", 1, 20), _pcptsd5_positive, declinable=True),
    Step("osss3", "osss3", _numbered("osss3", 1, 3)),
    Step("ucla3", "ucla3", _numbered("ucla3", 1, 3)),
    Step("evs_days", "evs", ("evs_days",)),
    Step("evs_minutes", "evs", ("evs_minutes",), lambda a: _gate_open("evs", "evs_minutes", a)),
    Step("swls", "swls", _numbered("swls", 1, 5)),
)


class Battery:
    """A check-up's steps and the rules that walk them: the default stepped check-up (:data:`DEFAULT`), or a
    focused re-assessment of chosen instruments asked in full (:func:`focused`). Pure; the same walk serves
    the web pages, the actions, scoring and tests."""

    def __init__(self, steps: tuple[Step, ...]) -> None:
        self.steps = steps
        self.steps_by_id = {s.id: s for s in steps}
        self.items: frozenset[str] = frozenset(i for s in steps for i in s.items)
        conditional_item9 = {"phq9_9"} & {i for s in steps for i in s.items}
        self.always_asked: frozenset[str] = frozenset(
            {i for s in steps if s.applies is _always for i in s.items} | conditional_item9
        )
        """Items every path asks, whatever the earlier answers (item 9 is on both PHQ paths), so saving one
        needs no read of the answers so far; every other item is a follow-up, checked with :meth:`is_asked`."""

    def is_asked(self, item_id: str, answers: Answered, declined: Collection[str] = frozenset()) -> bool:
        """Whether this check-up asks this item given the answers so far: a follow-up only once its condition
        holds (the ASQ after item 9 above 0, its acuity question after a "yes", the PCL-5 unless declined).

        An item of an unconditional step is always asked (item 9 too, on one path or the other).
        """
        return any(
            item_id in step.items and step.applies(answers) and not (step.declinable and step.id in declined)
            for step in self.steps
        )

    def applicable_steps(self, answers: Answered, declined: Collection[str] = frozenset()) -> list[Step]:
        """The steps on this person's path as far as the answers so far decide it.

        A step is included once every step before it is answered (its condition is then decidable); the first
        unanswered step ends the list.
        """
        path: list[Step] = []
        for step in self.steps:
            if not step.applies(answers) or (step.declinable and step.id in declined):
                continue
            path.append(step)
            if not step.done(answers):
                break
        return path

    def next_step(self, answers: Answered, declined: Collection[str] = frozenset()) -> Step | None:
        """The first step on the path with a required item unanswered, or None when the check-up is done."""
        path = self.applicable_steps(answers, declined)
        if path and not path[-1].done(answers):
            return path[-1]
        return None

    def remaining_items_range(
        self, answers: Answered, declined: Collection[str] = frozenset()
    ) -> tuple[int, int]:
        """Items still to ask from here: on the shortest path, and at most (if every follow-up still undecided
        applies). The upper bound never rises as the person goes on, so a time estimate built on it never
        jumps."""
        path = self.applicable_steps(answers, declined)
        path_ids = {s.id for s in path}
        reached = self.steps.index(path[-1]) if path else -1
        shortest: set[str] = set()
        longest: set[str] = set()
        for index, step in enumerate(self.steps):
            unanswered = {i for i in step.required if _given(answers, i) is None}
            if step.id in path_ids:
                shortest |= unanswered
            elif index > reached:
                shortest |= unanswered & self.always_asked
                if step.declinable and step.id in declined:
                    continue
            else:
                continue  # a follow-up before this point whose condition did not hold: decided, never asked
            longest |= unanswered
        return len(shortest), len(longest | shortest)

    def parts(self, answers: Answered, declined: Collection[str] = frozenset()) -> int:
        """Pages on the shortest path from here: those reached so far, and those still ahead that every path
        asks (item 9's page counted once, whichever PHQ path it is on)."""
        path = self.applicable_steps(answers, declined)
        reached = self.steps.index(path[-1]) if path else -1
        count, covered = len(path), {i for s in path for i in s.items}
        for step in self.steps[reached + 1 :]:
            always = set(step.items) & self.always_asked
            if step.applies is _always or always - covered:
                count += 1
                covered |= always
        return count

    def administered(
        self, answers: Answered, declined: Collection[str] = frozenset()
    ) -> dict[str, dict[str, int | None]]:
        """Each instrument the path administered (reached, or with any answer), in battery order, with its
        answers under the instrument's own item ids (PHQ-2 and GAD-2 read from the long forms' first two items).

        The PHQ-9 appears once item 9 is reached: complete only when stepped up (or asked in full); after the
        item-9-only path it is incomplete (no total) but still carries the suicidal-ideation flag.
        """
        reached = {s.id for s in self.applicable_steps(answers, declined)}
        reached |= {s.id for s in self.steps if any(_given(answers, i) is not None for i in s.items)}
        subsets: dict[str, dict[str, int | None]] = {}
        for step in self.steps:
            if step.id not in reached:
                continue
            if step.id in ("phq2", "gad2"):
                subsets[step.id] = _subset(answers, step.id, step.instrument_id)
            elif step.instrument_id not in subsets:
                subsets[step.instrument_id] = _subset(answers, step.instrument_id)
        return subsets

    def score(self, answers: Answered, declined: Collection[str] = frozenset()) -> dict[str, Result]:
        """Score every instrument the path administered, by instrument id, in battery order."""
        return {
            instrument_id: score(instrument_id, subset)
            for instrument_id, subset in self.administered(answers, declined).items()
        }


DEFAULT = Battery(STEPS)
"""The default stepped check-up."""

STEPS_BY_ID = DEFAULT.steps_by_id
ALWAYS_ASKED: frozenset[str] = DEFAULT.always_asked
INSTRUMENT_OF: dict[str, str] = {i: s.instrument_id for s in STEPS for i in s.items}
"""The instrument each battery item belongs to (PHQ-2's items are the PHQ-9's first two)."""

FOCUSABLE = ("brs", "phq9", "gad7")
"""Instruments a focused re-assessment can ask in full (the ones that fall due for tracking)."""


def focused(instruments: Collection[str]) -> Battery:
    """A re-assessment asking each chosen instrument in full, in the default battery's order. The PHQ-9 keeps
    its safety rule: the ASQ right after any item-9 answer above 0, its acuity question after a "yes"."""
    unknown = sorted(set(instruments) - set(FOCUSABLE))
    if unknown or not instruments:
        raise ValueError(
            f"a re-assessment asks some of {', '.join(FOCUSABLE)}, not {', '.join(unknown) or 'none'}"
        )
    return _focused(tuple(i for i in FOCUSABLE if i in instruments))


@cache
def _focused(instruments: tuple[str, ...]) -> Battery:
    steps: list[Step] = []
    for instrument_id in instruments:
        if instrument_id == "phq9":
            steps.append(Step("phq9", "phq9", _numbered("phq9", 1, 10), optional_items=("phq9_10",)))
            steps.extend(STEPS_BY_ID[s] for s in ("asq", "asq_acuity"))
        else:
            items = tuple(item.id for item in get(instrument_id).items)
            steps.append(Step(instrument_id, instrument_id, items))
    return Battery(tuple(steps))


def battery_for(instruments: Collection[str]) -> Battery:
    """The battery of a check-up: the default when it names no instruments, else the focused re-assessment."""
    return focused(instruments) if instruments else DEFAULT


def item_of(item_id: str) -> Item:
    """The definition of one battery item (its text, options or range)."""
    return get(INSTRUMENT_OF[item_id]).item(item_id)


def is_asked(item_id: str, answers: Answered, declined: Collection[str] = frozenset()) -> bool:
    """:meth:`Battery.is_asked` of the default check-up."""
    return DEFAULT.is_asked(item_id, answers, declined)


def next_step(answers: Answered, declined: Collection[str] = frozenset()) -> Step | None:
    """:meth:`Battery.next_step` of the default check-up."""
    return DEFAULT.next_step(answers, declined)


def next_items(answers: Answered, declined: Collection[str] = frozenset()) -> tuple[str, ...]:
    """The item ids of the next page to ask, or () when the battery is complete."""
    step = next_step(answers, declined)
    return step.items if step else ()


def _subset(answers: Answered, instrument_id: str, source_prefix: str | None = None) -> dict[str, int | None]:
    instrument = get(instrument_id)
    prefix = source_prefix or instrument_id
    return {item.id: answers.get(f"{prefix}_{item.id.rsplit('_', 1)[1]}") for item in instrument.items}


def score_battery(answers: Answered, declined: Collection[str] = frozenset()) -> dict[str, Result]:
    """Score every instrument the default check-up administered, by instrument id, in battery order."""
    return DEFAULT.score(answers, declined)

"""Hazard T04 (battery part) and Decisions 1–3, 9: every path through the default battery.

Each walk calls next_items() until it returns (), answering every page it is given. At every step the page
must equal the page of an independent reference model of the battery (written from the contract). At the end
of every walk, invariants that do not depend on the model are checked again: PHQ-9 item 9 is always asked,
the ASQ comes immediately after any item 9 answer above 0, no item is asked twice, and the walk terminates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bounceback.instruments import get
from bounceback.instruments.battery import ALWAYS_ASKED, is_asked, next_items

Answers = dict[str, Any]
Page = tuple[str, ...]


def _ids(prefix: str, first: int, last: int) -> Page:
    return tuple(f"{prefix}_{n}" for n in range(first, last + 1))


BRS = _ids("brs", 1, 6)
PHQ2 = ("phq9_1", "phq9_2")
PHQ9_REST = _ids("phq9", 3, 10)  # items 3-9 plus the optional difficulty item 10
PHQ9_ITEM9 = ("phq9_9",)
ASQ_SCREEN = _ids("asq", 1, 4)
ASQ_ACUITY = ("asq_5",)
GAD2 = ("gad7_1", "gad7_2")
GAD7_REST = _ids("gad7", 3, 7)
PC_EXPOSURE = ("pcptsd5_exposure",)
PC_SYMPTOMS = _ids("pcptsd5", 1, 5)
PCL5 = _ids("pcl5", 1, 20)
OSSS3 = _ids("osss3", 1, 3)
UCLA3 = _ids("ucla3", 1, 3)
EVS_DAYS = ("evs_days",)
EVS_MINUTES = ("evs_minutes",)
SWLS = _ids("swls", 1, 5)

OPTIONAL = frozenset({"phq9_10"})
LONGEST_BATTERY = 15  # pages on the longest possible path
BATTERY_INSTRUMENTS = ("brs", "phq9", "asq", "gad7", "pcptsd5", "pcl5", "osss3", "ucla3", "evs", "swls")


# ------------------------------------------------------------------------------------------------------------
# Reference model of the battery
# ------------------------------------------------------------------------------------------------------------


def _plan(answers: Answers, declined: frozenset[str]) -> Iterator[Page]:
    """The pages in order; conditions are evaluated only once the pages before them are answered."""

    def v(item: str) -> int:
        return int(answers[item])

    yield BRS
    yield PHQ2
    yield PHQ9_REST if v("phq9_1") + v("phq9_2") >= 3 else PHQ9_ITEM9
    if v("phq9_9") > 0:
        yield ASQ_SCREEN
        if any(v(item) == 1 for item in ASQ_SCREEN):
            yield ASQ_ACUITY
    yield GAD2
    if v("gad7_1") + v("gad7_2") >= 3:
        yield GAD7_REST
    yield PC_EXPOSURE
    if v("pcptsd5_exposure") == 1:
        yield PC_SYMPTOMS
        if sum(v(item) for item in PC_SYMPTOMS) >= 3 and "pcl5" not in declined:
            yield PCL5
    yield OSSS3
    yield UCLA3
    yield EVS_DAYS
    if v("evs_days") > 0:
        yield EVS_MINUTES
    yield SWLS


def _pending(answers: Answers, page: Page) -> bool:
    return any(answers.get(item) is None for item in page if item not in OPTIONAL)


def reference_next(answers: Answers, declined: frozenset[str] = frozenset()) -> Page:
    for page in _plan(answers, declined):
        if _pending(answers, page):
            return page
    return ()


# ------------------------------------------------------------------------------------------------------------
# The answers each walk gives to each page
# ------------------------------------------------------------------------------------------------------------

ONE_PAIR_PER_SUM: tuple[tuple[int, int], ...] = ((0, 0), (1, 0), (1, 1), (0, 3), (3, 1), (2, 3), (3, 3))
ALL_ASQ_PATTERNS: tuple[tuple[int, ...], ...] = tuple(
    tuple((mask >> bit) & 1 for bit in range(4)) for mask in range(16)
)
ASQ_CLASSES: tuple[tuple[int, ...], ...] = (
    (0, 0, 0, 0),
    (1, 0, 0, 0),
    (0, 1, 0, 0),
    (0, 0, 1, 0),
    (0, 0, 0, 1),
)


@dataclass(frozen=True)
class Branches:
    phq2_pairs: tuple[tuple[int, int], ...] = ONE_PAIR_PER_SUM
    item9: tuple[int, ...] = (0, 1, 2, 3)
    difficulty: tuple[int | None, ...] = (2, None)  # phq9_10 answered, or left out
    asq_patterns: tuple[tuple[int, ...], ...] = ASQ_CLASSES
    gad2_pairs: tuple[tuple[int, int], ...] = ONE_PAIR_PER_SUM
    exposure: tuple[int, ...] = (0, 1)
    pc_counts: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
    decline_pcl5: tuple[bool, ...] = (False, True)
    evs_days: tuple[int, ...] = (0, 3)


def _choices(page: Page, declined: frozenset[str], b: Branches) -> list[tuple[Answers, frozenset[str]]]:
    def fill(value: int) -> list[tuple[Answers, frozenset[str]]]:
        return [(dict.fromkeys(page, value), declined)]

    if page == BRS:
        return [({"brs_1": 4, "brs_2": 2, "brs_3": 3, "brs_4": 1, "brs_5": 5, "brs_6": 3}, declined)]
    if page == PHQ2:
        return [({"phq9_1": a, "phq9_2": c}, declined) for a, c in b.phq2_pairs]
    if page == PHQ9_REST:
        options: list[tuple[Answers, frozenset[str]]] = []
        for item9 in b.item9:
            for difficulty in b.difficulty:
                answers: Answers = {item: 1 for item in PHQ9_REST if item not in ("phq9_9", "phq9_10")}
                answers["phq9_9"] = item9
                if difficulty is not None:
                    answers["phq9_10"] = difficulty
                options.append((answers, declined))
        return options
    if page == PHQ9_ITEM9:
        return [({"phq9_9": item9}, declined) for item9 in b.item9]
    if page == ASQ_SCREEN:
        return [(dict(zip(ASQ_SCREEN, pattern, strict=True)), declined) for pattern in b.asq_patterns]
    if page == ASQ_ACUITY:
        return [({"asq_5": 0}, declined), ({"asq_5": 1}, declined)]
    if page == GAD2:
        return [({"gad7_1": a, "gad7_2": c}, declined) for a, c in b.gad2_pairs]
    if page == PC_EXPOSURE:
        return [({"pcptsd5_exposure": e}, declined) for e in b.exposure]
    if page == PC_SYMPTOMS:
        options = []
        for count in b.pc_counts:
            answers = {item: int(n < count) for n, item in enumerate(PC_SYMPTOMS)}
            for decline in b.decline_pcl5 if count >= 3 else (False,):
                options.append((answers, declined | {"pcl5"} if decline else declined))
        return options
    if page == EVS_DAYS:
        return [({"evs_days": days}, declined) for days in b.evs_days]
    if page == EVS_MINUTES:
        return [({"evs_minutes": 30}, declined)]
    if page in (GAD7_REST, PCL5, UCLA3):
        return fill(2 if page == GAD7_REST else 1)
    if page == OSSS3:
        return fill(3)
    if page == SWLS:
        return fill(5)
    raise AssertionError(f"no answers defined for page {page}")


# ------------------------------------------------------------------------------------------------------------
# The walk
# ------------------------------------------------------------------------------------------------------------


@dataclass
class Walker:
    branches: Branches
    known_ids: frozenset[str]
    leaves: int = 0
    seen_pages: set[Page] = field(default_factory=set)

    def walk(self, answers: Answers, declined: frozenset[str], path: list[tuple[Page, Answers]]) -> None:
        page = next_items(answers, declined=declined)
        expected = reference_next(answers, declined)

        def where() -> str:  # formatted only when an assertion fails
            return f"after pages {[p for p, _ in path]} with answers {answers} and declined {set(declined)}"

        assert isinstance(page, tuple), where()
        assert page == expected, f"got {page}, expected {expected} {where()}"
        if page not in self.seen_pages:
            self.seen_pages.add(page)
            assert set(page) <= self.known_ids, f"unknown item ids in {page}"
        if not page:
            self.leaves += 1
            check_finished_walk(path, answers, declined)
            return
        assert len(path) < LONGEST_BATTERY, f"the battery does not terminate: {where()}"
        asked = {item for p, _ in path for item in p}
        assert not asked & set(page), f"{sorted(asked & set(page))} asked again {where()}"
        for page_answers, next_declined in _choices(page, declined, self.branches):
            self.walk({**answers, **page_answers}, next_declined, [*path, (page, page_answers)])


def check_finished_walk(path: list[tuple[Page, Answers]], answers: Answers, declined: frozenset[str]) -> None:
    """Invariants of a finished walk, checked without the reference model."""
    pages = [page for page, _ in path]
    asked = [item for page in pages for item in page]

    def where() -> str:  # formatted only when an assertion fails
        return f"path {pages} answers {answers} declined {set(declined)}"

    assert len(asked) == len(set(asked)), f"an item was asked twice: {where()}"
    assert all(answers.get(item) is not None for item in asked if item not in OPTIONAL), where()

    # Decisions 3: item 9 is asked of everyone; Decisions 9: the ASQ comes right after any item 9 answer > 0.
    assert "phq9_9" in asked, f"PHQ-9 item 9 never asked: {where()}"
    item9_page = next(n for n, page in enumerate(pages) if "phq9_9" in page)
    asq_asked = [item for item in asked if item.startswith("asq_")]
    if answers["phq9_9"] > 0:
        assert pages[item9_page + 1] == ASQ_SCREEN, f"ASQ not immediately after item 9: {where()}"
        wants_acuity = any(answers[item] == 1 for item in ASQ_SCREEN)
        assert ("asq_5" in asked) is wants_acuity, where()
        if wants_acuity:
            assert pages[item9_page + 2] == ASQ_ACUITY, where()
    else:
        assert asq_asked == [], f"ASQ asked after item 9 = 0: {where()}"

    # Decision 2: the PHQ-2 is PHQ-9 items 1-2; step-up to the full PHQ-9 at PHQ-2 >= 3.
    stepped_up = answers["phq9_1"] + answers["phq9_2"] >= 3
    assert all((f"phq9_{n}" in asked) is stepped_up for n in range(3, 9)), where()
    assert ("phq9_10" in asked) is stepped_up, where()
    assert not any(item.startswith("phq2_") or item.startswith("phq8_") for item in asked), where()

    assert all((item in asked) is (answers["gad7_1"] + answers["gad7_2"] >= 3) for item in GAD7_REST), where()
    exposed = answers["pcptsd5_exposure"] == 1
    assert all((item in asked) is exposed for item in PC_SYMPTOMS), where()
    offer_pcl5 = exposed and sum(answers[item] for item in PC_SYMPTOMS) >= 3 and "pcl5" not in declined
    assert all((item in asked) is offer_pcl5 for item in PCL5), where()
    assert ("evs_minutes" in asked) is (answers["evs_days"] > 0), where()
    for always in (*BRS, *PHQ2, *GAD2, *PC_EXPOSURE, *OSSS3, *UCLA3, *EVS_DAYS, *SWLS):
        assert always in asked, f"{always} never asked: {where()}"

    # Decisions 1: the instruments come in the battery's order.
    first_seen = [item.rsplit("_", 1)[0] for item in asked]
    order = list(dict.fromkeys(first_seen))
    assert order == [name for name in BATTERY_INSTRUMENTS if name in order], where()


def _known_ids() -> frozenset[str]:
    return frozenset(item.id for instrument in BATTERY_INSTRUMENTS for item in get(instrument).items)


def _expected_leaves(b: Branches) -> int:
    asq = sum(2 if any(pattern) else 1 for pattern in b.asq_patterns)
    after_item9 = sum(asq if item9 > 0 else 1 for item9 in b.item9)
    phq = sum(after_item9 * (len(b.difficulty) if a + c >= 3 else 1) for a, c in b.phq2_pairs)
    pc = sum(len(b.decline_pcl5) if count >= 3 else 1 for count in b.pc_counts)
    ptsd = sum(pc if e == 1 else 1 for e in b.exposure)
    return phq * len(b.gad2_pairs) * ptsd * len(b.evs_days)


# ------------------------------------------------------------------------------------------------------------
# Every path
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phq1", "phq2"), ONE_PAIR_PER_SUM, ids=[f"phq2-sum-{a + c}" for a, c in ONE_PAIR_PER_SUM]
)
def test_it_walks_every_path_of_the_battery(phq1: int, phq2: int) -> None:
    # PHQ-2 sum (0-6, one test each) x item 9 (0-3) x difficulty item answered or left out x ASQ (all no, each
    # single yes; asq_5 0/1) x GAD-2 sums 0-6 x exposure no/yes x PC-PTSD-5 counts 0-5 x PCL-5 declined or not
    # x EVS days 0 or > 0.
    branches = Branches(phq2_pairs=((phq1, phq2),))
    walker = Walker(branches, _known_ids())
    walker.walk({}, frozenset(), [])
    assert walker.leaves == _expected_leaves(branches) > 0


@pytest.mark.parametrize("item9", [1, 2, 3])
@pytest.mark.parametrize(("phq1", "phq2"), [(0, 0), (1, 1), (2, 1), (3, 3)])
def test_it_walks_every_asq_combination(item9: int, phq1: int, phq2: int) -> None:
    # All 16 answers to ASQ 1-4 (and asq_5 0/1 after any yes) for every item 9 answer above 0.
    branches = Branches(
        phq2_pairs=((phq1, phq2),),
        item9=(item9,),
        asq_patterns=ALL_ASQ_PATTERNS,
        gad2_pairs=((0, 0), (3, 3)),
        exposure=(1,),
        pc_counts=(3,),
        evs_days=(0, 7),
    )
    walker = Walker(branches, _known_ids())
    walker.walk({}, frozenset(), [])
    assert (
        walker.leaves
        == _expected_leaves(branches)
        == 1 * (1 + 15 * 2) * (2 if phq1 + phq2 >= 3 else 1) * 2 * 2 * 2
    )


@pytest.mark.parametrize(("gad1", "gad2"), [(a, c) for a in range(4) for c in range(4)])
def test_it_walks_every_phq2_and_gad2_answer_pair(gad1: int, gad2: int) -> None:
    branches = Branches(
        phq2_pairs=tuple((a, c) for a in range(4) for c in range(4)),
        item9=(0, 1),
        difficulty=(None,),
        asq_patterns=((0, 0, 0, 0), (1, 1, 1, 1)),
        gad2_pairs=((gad1, gad2),),
        exposure=(0, 1),
        pc_counts=(2, 3),
        evs_days=(0, 1),
    )
    walker = Walker(branches, _known_ids())
    walker.walk({}, frozenset(), [])
    assert walker.leaves == _expected_leaves(branches)


# ------------------------------------------------------------------------------------------------------------
# Single steps
# ------------------------------------------------------------------------------------------------------------


def _answered(*pages: Page, value: int = 0) -> Answers:
    return {item: value for page in pages for item in page}


def test_it_starts_with_the_brs() -> None:
    assert next_items({}) == BRS
    assert next_items({}, declined=frozenset()) == BRS


def test_it_asks_the_phq2_as_phq9_items_1_and_2() -> None:
    assert next_items(_answered(BRS, value=3)) == PHQ2


@pytest.mark.parametrize(("phq1", "phq2"), [(a, c) for a in range(4) for c in range(4)])
def test_it_asks_item9_alone_or_with_the_full_phq9(phq1: int, phq2: int) -> None:
    answers = {**_answered(BRS, value=3), "phq9_1": phq1, "phq9_2": phq2}
    assert next_items(answers) == (PHQ9_REST if phq1 + phq2 >= 3 else PHQ9_ITEM9)


def test_it_returns_a_partly_answered_page_whole_until_every_item_is_answered() -> None:
    answers: Answers = {}
    pages: list[Page] = []
    declined: frozenset[str] = frozenset()
    values = {PHQ2: 3, PHQ9_REST: 1, ASQ_SCREEN: 1, ASQ_ACUITY: 0, GAD2: 2, PC_EXPOSURE: 1, PC_SYMPTOMS: 1}
    while page := next_items(answers, declined=declined):
        assert len(pages) < LONGEST_BATTERY
        pages.append(page)
        required = [item for item in page if item not in OPTIONAL]
        full = dict.fromkeys(page, values.get(page, 1))
        for gap in required:
            for empty in ("absent", "none"):
                partial = {**answers, **full}
                if empty == "absent":
                    del partial[gap]
                else:
                    partial[gap] = None
                assert next_items(partial, declined=declined) == page, (page, gap, empty)
        answers.update(full)
    assert pages == [
        BRS,
        PHQ2,
        PHQ9_REST,
        ASQ_SCREEN,
        ASQ_ACUITY,
        GAD2,
        GAD7_REST,
        PC_EXPOSURE,
        PC_SYMPTOMS,
        PCL5,
        OSSS3,
        UCLA3,
        EVS_DAYS,
        EVS_MINUTES,
        SWLS,
    ]
    assert len(pages) == LONGEST_BATTERY
    assert next_items(answers, declined=declined) == ()


def test_it_does_not_wait_for_the_optional_difficulty_item() -> None:
    answers = {**_answered(BRS, value=3), "phq9_1": 3, "phq9_2": 0, **_answered(PHQ9_REST[:-1])}
    assert next_items(answers) == GAD2
    assert next_items({**answers, "phq9_10": None}) == GAD2
    assert next_items({**answers, "phq9_10": 1}) == GAD2
    del answers["phq9_5"]
    assert next_items({**answers, "phq9_10": 1}) == PHQ9_REST


def test_it_asks_the_asq_right_after_item9_asked_alone() -> None:
    base = {**_answered(BRS, value=3), "phq9_1": 1, "phq9_2": 1}
    assert next_items({**base, "phq9_9": 1}) == ASQ_SCREEN
    assert next_items({**base, "phq9_9": 0}) == GAD2
    screened = {**base, "phq9_9": 3, **_answered(ASQ_SCREEN)}
    assert next_items(screened) == GAD2
    assert next_items({**screened, "asq_4": 1}) == ASQ_ACUITY
    assert next_items({**screened, "asq_4": 1, "asq_5": 0}) == GAD2


def test_it_skips_a_pcl5_declined_from_the_start() -> None:
    answers = {
        **_answered(BRS, value=3),
        **_answered(PHQ2, PHQ9_ITEM9, GAD2),
        "pcptsd5_exposure": 1,
        **_answered(PC_SYMPTOMS, value=1),
    }
    assert next_items(answers) == PCL5
    assert next_items(answers, declined=frozenset({"pcl5"})) == OSSS3
    assert next_items(answers, declined=frozenset({"swls"})) == PCL5


def test_it_stays_finished() -> None:
    answers = {
        **_answered(BRS, value=3),
        **_answered(PHQ2, PHQ9_ITEM9, GAD2, PC_EXPOSURE),
        **_answered(OSSS3, UCLA3, SWLS, value=3),
        "evs_days": 0,
    }
    assert next_items(answers) == ()
    assert next_items(answers) == ()
    assert reference_next(answers) == ()


# --- What may be saved: only what the battery asks given the answers so far ------------------------------


@pytest.mark.parametrize(("phq1", "phq2"), [(a, c) for a in range(4) for c in range(4)])
def test_item9_may_always_be_saved(phq1: int, phq2: int) -> None:
    assert "phq9_9" in ALWAYS_ASKED
    assert is_asked("phq9_9", {"phq9_1": phq1, "phq9_2": phq2})
    assert is_asked("phq9_9", {})


def test_unconditional_items_may_be_saved_before_anything_else() -> None:
    for item_id in (*BRS, *PHQ2, *GAD2, *PC_EXPOSURE, *OSSS3, *UCLA3, "evs_days", "swls_1"):
        assert item_id in ALWAYS_ASKED, item_id
        assert is_asked(item_id, {}), item_id


@pytest.mark.parametrize(
    ("item_id", "closed", "opened"),
    [
        ("phq9_3", {"phq9_1": 1, "phq9_2": 1}, {"phq9_1": 2, "phq9_2": 1}),
        ("asq_1", {"phq9_9": 0}, {"phq9_9": 1}),
        ("asq_5", {"phq9_9": 1, "asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0}, {"phq9_9": 1, "asq_3": 1}),
        ("gad7_3", {"gad7_1": 1, "gad7_2": 1}, {"gad7_1": 3, "gad7_2": 0}),
        ("pcptsd5_1", {"pcptsd5_exposure": 0}, {"pcptsd5_exposure": 1}),
        (
            "pcl5_1",
            {"pcptsd5_exposure": 1, "pcptsd5_1": 1},
            {"pcptsd5_exposure": 1, **dict.fromkeys(PC_SYMPTOMS, 1)},
        ),
        ("evs_minutes", {"evs_days": 0}, {"evs_days": 2}),
    ],
)
def test_a_follow_up_may_be_saved_only_once_its_condition_holds(
    item_id: str, closed: Answers, opened: Answers
) -> None:
    assert item_id not in ALWAYS_ASKED
    assert not is_asked(item_id, {})
    assert not is_asked(item_id, closed)
    assert is_asked(item_id, opened)


def test_a_declined_pcl5_may_not_be_saved() -> None:
    opened = {"pcptsd5_exposure": 1, **dict.fromkeys(PC_SYMPTOMS, 1)}
    assert not is_asked("pcl5_1", opened, declined=["pcl5"])

"""Hazard T01/T02: score() against an independent reference scorer over the whole answer space.

The reference below is written from the specification (docs: instruments.md, "Decisions", §2, §3.1, §3.3–3.13,
§3.16) and the scoring contract, without reading the implementation. Hypothesis draws answer sets that include
valid values, integral floats (2.0), None and absent keys, and score() must agree with the reference on total,
band, completeness, flags and missing items.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bounceback.instruments import ScoringError, get, score

Answers = dict[str, Any]

# ------------------------------------------------------------------------------------------------------------
# The answer space, from the contract: item id -> (lowest, highest) allowed value.
# ------------------------------------------------------------------------------------------------------------


def _items(prefix: str, n: int, lo: int, hi: int) -> tuple[tuple[str, int, int], ...]:
    return tuple((f"{prefix}_{i}", lo, hi) for i in range(1, n + 1))


ITEM_RANGES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "phq9": _items("phq9", 10, 0, 3),
    "phq8": _items("phq8", 8, 0, 3),
    "phq2": _items("phq2", 2, 0, 3),
    "gad7": _items("gad7", 7, 0, 3),
    "gad2": _items("gad2", 2, 0, 3),
    "brs": _items("brs", 6, 1, 5),
    "pcptsd5": (("pcptsd5_exposure", 0, 1), *_items("pcptsd5", 5, 0, 1)),
    "pcl5": _items("pcl5", 20, 0, 4),
    "swls": _items("swls", 5, 1, 7),
    "osss3": (("osss3_1", 1, 4), ("osss3_2", 1, 5), ("osss3_3", 1, 5)),
    "ucla3": _items("ucla3", 3, 1, 3),
    "evs": (("evs_days", 0, 7), ("evs_minutes", 0, 1440)),
    "asq": _items("asq", 5, 0, 1),
    "who5": _items("who5", 5, 0, 5),
}
INSTRUMENTS: tuple[str, ...] = tuple(ITEM_RANGES)
UNSCORED: frozenset[str] = frozenset({"phq9_10"})
NUMERIC_ITEMS: frozenset[str] = frozenset({"evs_days", "evs_minutes"})


def scored_ids(instrument: str) -> tuple[str, ...]:
    return tuple(item for item, _, _ in ITEM_RANGES[instrument] if item not in UNSCORED)


# Bands of the sum-scored instruments: (lowest total of the band, band code), ascending.
SUM_BANDS: dict[str, tuple[tuple[int, str], ...]] = {
    "phq9": ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately_severe"), (20, "severe")),
    "phq8": ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately_severe"), (20, "severe")),
    "gad7": ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
    "phq2": ((0, "negative"), (3, "positive")),
    "gad2": ((0, "negative"), (3, "positive")),
    "pcl5": ((0, "below_threshold"), (33, "probable_ptsd")),
    "swls": (
        (5, "extremely_dissatisfied"),
        (10, "dissatisfied"),
        (15, "slightly_dissatisfied"),
        (20, "neutral"),
        (21, "slightly_satisfied"),
        (26, "satisfied"),
        (31, "extremely_satisfied"),
    ),
    "osss3": ((3, "poor"), (9, "moderate"), (12, "strong")),
    "ucla3": ((3, "not_lonely"), (6, "lonely")),
    "who5": ((0, "poor_wellbeing"), (13, "adequate_wellbeing")),
}


def band_of(bands: tuple[tuple[int, str], ...], total: int) -> str:
    chosen = bands[0][1]
    assert total >= bands[0][0], f"total {total} below the lowest band"
    for lowest, code in bands:
        if total >= lowest:
            chosen = code
    return chosen


def evs_band(total: int) -> str:
    if total == 0:
        return "inactive"
    return "insufficiently_active" if total < 150 else "sufficiently_active"


def brs_band(scored_sum: int) -> str:
    # mean < 3.00 low; 3.00 <= mean <= 4.30 normal; mean > 4.30 high, compared exactly on the sum of six items
    mean = Fraction(scored_sum, 6)
    if mean < 3:
        return "low"
    if mean <= Fraction(430, 100):
        return "normal"
    return "high"


# ------------------------------------------------------------------------------------------------------------
# Reference scorer
# ------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    total: int | Fraction | None
    band: str | None
    complete: bool
    flags: frozenset[str] = frozenset()
    # flags that the specification leaves open (score() may or may not raise them)
    optional_flags: frozenset[str] = frozenset()
    # exact tuple of missing items when the contract pins it down; otherwise None, and only
    # ``missing_required`` (a subset) is checked
    missing: tuple[str, ...] | None = ()
    missing_required: frozenset[str] = frozenset()
    # another band the contract's wording can be read to allow (see the ASQ note in reference_score)
    other_band: str | None = None


def _value(answers: Mapping[str, Any], item: str) -> int | None:
    raw = answers.get(item)
    if raw is None:
        return None
    assert not isinstance(raw, bool)
    assert float(raw).is_integer()
    return int(raw)


def _incomplete(missing: tuple[str, ...] | None, flags: frozenset[str] = frozenset(), **kw: Any) -> Expected:
    return Expected(total=None, band=None, complete=False, flags=flags, missing=missing, **kw)


def _dsm5_rule(values: Mapping[str, int | None]) -> bool:
    def endorsed(first: int, last: int) -> int:
        count = 0
        for n in range(first, last + 1):
            v = values[f"pcl5_{n}"]
            if v is not None and v >= 2:
                count += 1
        return count

    return endorsed(1, 5) >= 1 and endorsed(6, 7) >= 1 and endorsed(8, 14) >= 2 and endorsed(15, 20) >= 2


def reference_score(instrument: str, answers: Mapping[str, Any]) -> Expected:
    values = {item: _value(answers, item) for item, _, _ in ITEM_RANGES[instrument]}
    scored = scored_ids(instrument)
    missing = tuple(item for item in scored if values[item] is None)

    if instrument == "pcptsd5":
        exposure = values["pcptsd5_exposure"]
        if exposure is None:
            return _incomplete(None, missing_required=frozenset({"pcptsd5_exposure"}))
        if exposure == 0:
            return Expected(total=0, band="negative", complete=True)
        symptoms = tuple(f"pcptsd5_{n}" for n in range(1, 6))
        gaps = tuple(item for item in symptoms if values[item] is None)
        if gaps:
            return _incomplete(gaps)
        count = sum(values[item] or 0 for item in symptoms)
        return Expected(total=count, band="positive" if count >= 3 else "negative", complete=True)

    if instrument == "evs":
        days, minutes = values["evs_days"], values["evs_minutes"]
        if days is None:
            return _incomplete(None, missing_required=frozenset({"evs_days"}))
        if days == 0:
            return Expected(total=0, band="inactive", complete=True)
        if minutes is None:
            return _incomplete(("evs_minutes",))
        return Expected(total=days * minutes, band=evs_band(days * minutes), complete=True)

    if instrument == "asq":
        screen = tuple(values[f"asq_{n}"] for n in range(1, 5))
        acuity = values["asq_5"]
        flags = set()
        if any(v == 1 for v in screen):
            flags.add("suicide_risk")
        if acuity == 1:
            flags.add("acute_suicide_risk")
        # A declined (missing) screening question may count as positive (NIMH toolkit, Decisions 9); the
        # contract only requires the flag for an explicit yes, so it is allowed but not required here.
        optional = frozenset({"suicide_risk"}) if any(v is None for v in screen) else frozenset()
        gaps = tuple(f"asq_{n}" for n in range(1, 5) if values[f"asq_{n}"] is None)
        if gaps:
            return _incomplete(
                None, frozenset(flags), optional_flags=optional, missing_required=frozenset(gaps)
            )
        yes = sum(v or 0 for v in screen)
        if acuity == 1 and yes == 0:
            # Four noes and then a yes to "thoughts of killing yourself right now": the contract says both
            # "negative when all four are no" and "acute_positive when asq_5 is 1". The safe reading (acute) is
            # asserted by test_boundaries.py::test_it_treats_a_yes_to_asq5_as_acute_even_after_four_noes; here
            # either band is accepted so that this one case cannot hide other counterexamples.
            return Expected(
                total=0, band="acute_positive", complete=True, flags=frozenset(flags), other_band="negative"
            )
        if acuity == 1:
            band = "acute_positive"
        elif yes == 0:
            band = "negative"
        elif acuity == 0:
            band = "non_acute_positive"
        else:
            return _incomplete(("asq_5",), frozenset(flags))
        return Expected(total=yes, band=band, complete=True, flags=frozenset(flags))

    # Sum- and mean-scored instruments: every scored item is required, no prorating.
    flags = set()
    if instrument == "phq9" and (values["phq9_9"] or 0) > 0:
        flags.add("suicidal_ideation")
    if instrument == "pcl5" and _dsm5_rule(values):
        flags.add("dsm5_criteria_met")
    if missing:
        return _incomplete(missing, frozenset(flags))
    if instrument == "brs":
        raw = [values[f"brs_{n}"] or 0 for n in range(1, 7)]
        scored_sum = sum(6 - v if n in (2, 4, 6) else v for n, v in enumerate(raw, start=1))
        return Expected(total=Fraction(scored_sum, 6), band=brs_band(scored_sum), complete=True)
    total = sum(values[item] or 0 for item in scored)
    return Expected(
        total=total, band=band_of(SUM_BANDS[instrument], total), complete=True, flags=frozenset(flags)
    )


def assert_matches(instrument: str, answers: Mapping[str, Any], result: Any, expected: Expected) -> None:

    def where() -> str:  # formatted only when an assertion fails
        return f"{instrument} {dict(answers)!r}"

    assert result.complete is expected.complete, where()
    if expected.total is None:
        assert result.total is None, where()
    elif instrument == "brs":
        assert isinstance(result.total, float), where()
        assert math.isclose(result.total, float(expected.total), rel_tol=0, abs_tol=1e-9), where()
    else:
        assert isinstance(result.total, int), where()
        assert not isinstance(result.total, bool), where()
        assert result.total == expected.total, where()
    assert result.band in (expected.band, expected.other_band or expected.band), where()
    assert isinstance(result.flags, frozenset), where()
    assert expected.flags <= result.flags <= expected.flags | expected.optional_flags, (where(), result.flags)
    assert isinstance(result.missing, tuple), where()
    if expected.complete:
        assert result.missing == (), where()
    elif expected.missing is not None:
        assert result.missing == expected.missing, (where(), result.missing)
    else:
        unanswered = {item for item in scored_ids(instrument) if answers.get(item) is None}
        assert result.missing, where()
        assert len(set(result.missing)) == len(result.missing), where()
        assert expected.missing_required <= set(result.missing) <= unanswered, (where(), result.missing)
        order = scored_ids(instrument)
        assert list(result.missing) == sorted(result.missing, key=order.index), (where(), result.missing)


# ------------------------------------------------------------------------------------------------------------
# Strategies
# ------------------------------------------------------------------------------------------------------------

_ABSENT = "absent"


@st.composite
def answer_sets(draw: st.DrawFn, instrument: str, allow_gaps: bool = True) -> Answers:
    """Answers for one instrument: valid values (some as integral floats), None, or absent keys."""
    full = not allow_gaps or draw(st.booleans())
    answers: Answers = {}
    for item, lo, hi in ITEM_RANGES[instrument]:
        state = "value"
        if not full or item in UNSCORED:
            state = draw(st.sampled_from(["value", "value", "none", _ABSENT]))
        if state == _ABSENT:
            continue
        if state == "none":
            answers[item] = None
            continue
        value: int | float = draw(st.integers(min_value=lo, max_value=hi))
        if draw(st.integers(min_value=0, max_value=7)) == 0:
            value = float(value)
        answers[item] = value
    return answers


@st.composite
def instrument_and_answers(draw: st.DrawFn) -> tuple[str, Answers]:
    instrument = draw(st.sampled_from(INSTRUMENTS))
    return instrument, draw(answer_sets(instrument))


# ------------------------------------------------------------------------------------------------------------
# T01: the property test, one per instrument
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("instrument", INSTRUMENTS)
@settings(max_examples=250, deadline=None)
@given(data=st.data())
def test_it_scores_like_the_reference_over_the_whole_answer_space(
    instrument: str, data: st.DataObject
) -> None:
    answers = data.draw(answer_sets(instrument), label="answers")
    before = copy.deepcopy(answers)
    result = score(instrument, answers)
    assert answers == before, "score() must not modify the answers"
    assert_matches(instrument, answers, result, reference_score(instrument, answers))


EXHAUSTIVE_WITH_GAPS = ("pcptsd5", "evs", "asq")
EXHAUSTIVE = ("phq2", "gad2", "ucla3", "osss3", "who5", "brs", "gad7", "swls", *EXHAUSTIVE_WITH_GAPS)


@pytest.mark.parametrize("instrument", EXHAUSTIVE)
def test_it_scores_every_answer_set_of_the_smaller_instruments_like_the_reference(instrument: str) -> None:
    # Every complete answer set (and, for the conditional instruments, every mix with None and absent keys).
    ranges = ITEM_RANGES[instrument]
    gaps: tuple[object, ...] = (None, _ABSENT) if instrument in EXHAUSTIVE_WITH_GAPS else ()
    checked = 0
    for combination in itertools.product(*((*gaps, *range(lo, hi + 1)) for _, lo, hi in ranges)):
        answers: Answers = {
            item: value for (item, _, _), value in zip(ranges, combination, strict=True) if value != _ABSENT
        }
        assert_matches(instrument, answers, score(instrument, answers), reference_score(instrument, answers))
        checked += 1
    expected_count = math.prod(hi - lo + 1 + len(gaps) for _, lo, hi in ranges)
    assert checked == expected_count


@settings(max_examples=300, deadline=None)
@given(pair=instrument_and_answers())
def test_it_treats_integral_floats_as_the_integers(pair: tuple[str, Answers]) -> None:
    instrument, answers = pair
    as_ints = {k: (None if v is None else int(v)) for k, v in answers.items()}
    as_floats = {k: (None if v is None else float(v)) for k, v in answers.items()}
    a, b = score(instrument, as_ints), score(instrument, as_floats)
    assert (a.total, a.band, a.complete, a.flags, a.missing) == (
        b.total,
        b.band,
        b.complete,
        b.flags,
        b.missing,
    )
    if b.total is not None and instrument != "brs":
        assert type(b.total) is int


# ------------------------------------------------------------------------------------------------------------
# T02: any one scored item None or absent -> incomplete, no total, no band
# ------------------------------------------------------------------------------------------------------------

ALWAYS_REQUIRED: dict[str, tuple[str, ...]] = {
    instrument: scored_ids(instrument)
    for instrument in INSTRUMENTS
    if instrument not in ("pcptsd5", "evs", "asq")
}


@pytest.mark.parametrize("instrument", sorted(ALWAYS_REQUIRED))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_it_never_scores_when_one_scored_item_is_missing(instrument: str, data: st.DataObject) -> None:
    answers = data.draw(answer_sets(instrument, allow_gaps=False), label="answers")
    gap = data.draw(st.sampled_from(ALWAYS_REQUIRED[instrument]), label="gap")
    how = data.draw(st.sampled_from(["none", "absent"]), label="how")
    if how == "none":
        answers[gap] = None
    else:
        del answers[gap]
    result = score(instrument, answers)
    assert result.complete is False
    assert result.total is None
    assert result.band is None
    assert result.missing == (gap,)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_it_treats_conditional_gates_as_missing(data: st.DataObject) -> None:
    # PC-PTSD-5 exposure missing; EVS days missing; ASQ item 1-4 missing: never a total or band.
    instrument = data.draw(st.sampled_from(["pcptsd5", "evs", "asq"]))
    answers = data.draw(answer_sets(instrument, allow_gaps=False))
    gate = {"pcptsd5": "pcptsd5_exposure", "evs": "evs_days"}.get(instrument)
    if gate is None:
        gate = data.draw(st.sampled_from(["asq_1", "asq_2", "asq_3", "asq_4"]))
    answers[gate] = None
    result = score(instrument, answers)
    assert (result.complete, result.total, result.band) == (False, None, None)
    assert gate in result.missing


def test_it_needs_no_difficulty_item_for_a_complete_phq9() -> None:
    answers: Answers = {f"phq9_{n}": 1 for n in range(1, 10)}
    result = score("phq9", answers)
    assert (result.complete, result.total, result.band, result.missing) == (True, 9, "mild", ())
    for item10 in (None, 0, 3):
        assert score("phq9", {**answers, "phq9_10": item10}).total == 9


@pytest.mark.parametrize("item9", [1, 2, 3, 2.0])
def test_it_flags_suicidal_ideation_from_item9_alone(item9: int | float) -> None:
    result = score("phq9", {"phq9_9": item9})
    assert result.flags == frozenset({"suicidal_ideation"})
    assert (result.complete, result.total, result.band) == (False, None, None)
    assert result.missing == tuple(f"phq9_{n}" for n in range(1, 9))


def test_it_raises_no_flag_for_item9_zero_or_missing() -> None:
    assert score("phq9", {"phq9_9": 0}).flags == frozenset()
    assert score("phq9", {"phq9_9": None}).flags == frozenset()
    assert score("phq9", {}).flags == frozenset()


def test_it_reports_every_item_missing_for_empty_answers() -> None:
    for instrument in ALWAYS_REQUIRED:
        result = score(instrument, {})
        assert (result.complete, result.total, result.band) == (False, None, None), instrument
        assert result.missing == ALWAYS_REQUIRED[instrument], instrument


def test_it_defines_scoring_error_as_a_value_error() -> None:
    assert issubclass(ScoringError, ValueError)


# ------------------------------------------------------------------------------------------------------------
# get(): the definitions agree with the answer space above
# ------------------------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@pytest.mark.parametrize("instrument", INSTRUMENTS)
def test_it_defines_the_items_and_options_of_the_answer_space(instrument: str) -> None:
    definition = get(instrument)
    assert isinstance(definition.title, str)
    assert definition.title.strip()
    # the contract names .citation and .version without fixing their types: present and non-empty
    for attribute in ("citation", "version"):
        value = getattr(definition, attribute)
        assert value is not None, attribute
        assert str(value).strip(), attribute
    items = tuple(definition.items)
    assert [item.id for item in items] == [item for item, _, _ in ITEM_RANGES[instrument]]
    for item, (item_id, lo, hi) in zip(items, ITEM_RANGES[instrument], strict=True):
        assert isinstance(item.text, str), item_id
        assert item.text.strip(), item_id
        if item_id in UNSCORED:
            assert item.scored is False, item_id
        elif item_id != "pcptsd5_exposure":  # the gate adds nothing to the count; the contract leaves it open
            assert item.scored is True, item_id
        options = tuple(item.options)
        if item_id in NUMERIC_ITEMS:
            assert options == (), item_id
            continue
        values = [option.value for option in options]
        assert sorted(values) == list(range(lo, hi + 1)), item_id
        for option in options:
            assert not isinstance(option.value, bool), item_id
            assert isinstance(option.label, str), item_id
            assert option.label.strip(), item_id


def _labels(instrument: str, item_id: str) -> dict[int, str]:
    item = next(item for item in get(instrument).items if item.id == item_id)
    return {option.value: _norm(option.label) for option in item.options}


FREQUENCY_LABELS = {0: "not at all", 1: "several days", 2: "more than half the days", 3: "nearly every day"}


@pytest.mark.parametrize(
    ("instrument", "item_id"),
    [(i, item) for i in ("phq9", "phq8", "phq2", "gad7", "gad2") for item in scored_ids(i)],
)
def test_it_maps_the_phq_and_gad_options_to_their_published_values(instrument: str, item_id: str) -> None:
    # §2 rule 2 and §3.3/§3.6: the lowest option is "Not at all" (not "not at all sure"), value 0.
    assert _labels(instrument, item_id) == FREQUENCY_LABELS


@pytest.mark.parametrize(
    ("instrument", "item_id"),
    [(i, item) for i in ("pcptsd5", "asq") for item, _, _ in ITEM_RANGES[i]],
)
def test_it_codes_yes_as_one_and_no_as_zero(instrument: str, item_id: str) -> None:
    labels = _labels(instrument, item_id)
    assert labels[1].startswith("yes"), labels
    assert labels[0].startswith("no"), labels


def test_it_maps_the_other_published_anchors() -> None:
    brs = _labels("brs", "brs_2")  # a reversed item still stores the raw response 1-5
    assert "strongly disagree" in brs[1] and "strongly agree" in brs[5]
    swls = _labels("swls", "swls_1")
    assert "strongly disagree" in swls[1] and "strongly agree" in swls[7]
    who5 = _labels("who5", "who5_1")
    assert who5[5] == "all of the time" and who5[0] == "at no time"
    pcl5 = _labels("pcl5", "pcl5_1")
    assert pcl5 == {0: "not at all", 1: "a little bit", 2: "moderately", 3: "quite a bit", 4: "extremely"}
    ucla = _labels("ucla3", "ucla3_1")
    assert "hardly ever" in ucla[1] and "often" in ucla[3]
    osss = _labels("osss3", "osss3_2")
    assert osss[1] == "none" and osss[5] == "a lot"


VERBATIM: dict[str, tuple[str, ...]] = {
    "phq9": (
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
        "fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    # The Pfizer GAD-7 form prints items 1 and 7 without the commas that spec §3.6 (from an HL7 example)
    # shows; the form is the published instrument.
    "gad7": (
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ),
    "brs": (
        "I tend to bounce back quickly after hard times",
        "I have a hard time making it through stressful events",
        "It does not take me long to recover from a stressful event",
        "It is hard for me to snap back when something bad happens",
        "I usually come through difficult times with little trouble",
        "I tend to take a long time to get over set-backs in my life",
    ),
    "swls": (
        "In most ways my life is close to my ideal.",
        "The conditions of my life are excellent.",
        "I am satisfied with my life.",
        "So far I have gotten the important things I want in life.",
        "If I could live my life over, I would change almost nothing.",
    ),
    "who5": (
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    ),
    "asq": (
        "In the past few weeks, have you wished you were dead?",
        "In the past few weeks, have you felt that you or your family would be better off if you were dead?",
        "In the past week, have you been having thoughts about killing yourself?",
        "Have you ever tried to kill yourself?",
        "Are you having thoughts of killing yourself right now?",
    ),
    "ucla3": ("that you lack companionship?", "left out?", "isolated from others?"),
    "pcptsd5": (
        "Have you ever experienced this kind of event?",
        "had nightmares about the event(s) or thought about the event(s) when you did not want to?",
        "tried hard not to think about the event(s) or went out of your way to avoid situations that "
        "reminded you of the event(s)?",
        "been constantly on guard, watchful, or easily startled?",
        "felt numb or detached from people, activities, or your surroundings?",
        "felt guilty or unable to stop blaming yourself or others for the event(s) or any problems the "
        "event(s) may have caused?",
    ),
}


@pytest.mark.parametrize("instrument", sorted(VERBATIM))
def test_it_keeps_the_published_item_wording(instrument: str) -> None:
    # Decisions 8: item texts are reproduced verbatim (case of the first letter and spacing aside).
    texts = [_norm(item.text) for item in get(instrument).items]
    for n, wording in enumerate(VERBATIM[instrument]):
        assert _norm(wording) in texts[n], (instrument, n + 1, texts[n])


def test_it_places_the_phq9_difficulty_question_last_and_unscored() -> None:
    item10 = get("phq9").items[-1]
    assert item10.id == "phq9_10"
    assert item10.scored is False
    assert "how difficult have these problems made it for you" in _norm(item10.text)
    assert _labels("phq9", "phq9_10") == {
        0: "not difficult at all",
        1: "somewhat difficult",
        2: "very difficult",
        3: "extremely difficult",
    }


def test_it_rejects_an_unknown_instrument() -> None:
    with pytest.raises((ValueError, KeyError)):
        score("cdrisc25", {})
    with pytest.raises((ValueError, KeyError)):
        get("cssrs")

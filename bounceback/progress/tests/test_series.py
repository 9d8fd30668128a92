"""Each questionnaire over time: what is charted (hazards H20, H21), reliable change exactly as the instrument
library judges it, and the threshold written beside the chart. No database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from bounceback.instruments import INSTRUMENTS, Result, get, reliable_change, score
from bounceback.instruments.battery import score_battery
from bounceback.progress.series import (
    IMPROVED,
    NO_RELIABLE_CHANGE,
    NO_VERDICT,
    WORSENED,
    Point,
    Record,
    build_series,
    description,
    rows_of,
    series_of,
    step_of,
    threshold_of,
    where_you_stand,
)
from bounceback.test import CALM_ANSWERS

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def phq9(total: int) -> Result:
    """A complete PHQ-9 with this total (item 9 at 0)."""
    items = [0] * 9
    for n in range(total):
        items[n % 8] += 1
    return score("phq9", {f"phq9_{i + 1}": v for i, v in enumerate(items)})


def points(results: list[Result]) -> list[Point]:
    return [Point(START + timedelta(days=14 * n), r) for n, r in enumerate(results)]


def test_it_marks_each_change_as_the_library_judges_it() -> None:
    series = build_series(get("phq9"), points([phq9(t) for t in (16, 15, 10, 14, 20, 20)]))
    verdicts = [c.verdict for c in series.changes]
    assert verdicts == [NO_RELIABLE_CHANGE, IMPROVED, NO_RELIABLE_CHANGE, WORSENED, NO_RELIABLE_CHANGE]
    for change in series.changes:
        expected = reliable_change("phq9", change.before.total or 0, change.after.total or 0)
        assert change.reliable == expected
    assert series.overall is not None and series.overall.verdict == NO_RELIABLE_CHANGE  # 16 -> 20: +4
    assert (series.reliable_improvements, series.reliable_worsenings) == (1, 1)


@pytest.mark.parametrize("instrument_id", [i for i, d in INSTRUMENTS.items() if d.rci is not None])
def test_the_threshold_written_beside_the_chart_agrees_with_the_library_at_every_step(
    instrument_id: str,
) -> None:
    instrument = get(instrument_id)
    threshold = threshold_of(instrument)
    assert threshold is not None
    step = step_of(instrument)
    low = instrument.min_total
    k = 0
    while low + k * step <= instrument.max_total:
        change = k * step
        verdict = reliable_change(instrument_id, float(low), float(low + change))
        assert verdict.reliable == (change >= threshold.smallest), (instrument_id, change)
        k += 1
    assert f"A change of {threshold.smallest_text} points or more is reliable" in threshold.text


def test_it_writes_the_thresholds_in_points() -> None:
    texts = {i: threshold_of(get(i)) for i in ("phq9", "gad7", "brs", "osss3", "swls")}
    assert {i: t.smallest_text for i, t in texts.items() if t} == {
        "phq9": "5",
        "gad7": "4",
        "brs": "1.17",  # a mean of six items moves in sixths: 7/6 is the first step above 1.08
        "osss3": "4",
        "swls": "8",
    }
    assert texts["brs"] is not None and texts["brs"].smallest == Fraction(7, 6)
    assert "4.71" in (texts["phq9"].text if texts["phq9"] else "")


def test_an_instrument_without_parameters_gets_no_verdict() -> None:
    results = [score("ucla3", {"ucla3_1": a, "ucla3_2": a, "ucla3_3": a}) for a in (3, 1, 3)]
    series = build_series(get("ucla3"), points(results))
    assert series.threshold is None
    assert [c.verdict for c in series.changes] == [NO_VERDICT, NO_VERDICT]
    assert all(c.reliable is None for c in series.changes)
    assert "no reliable-change verdict" in rows_of(series)[1].change
    assert "No reliable-change parameters" in description(series)


def test_an_incomplete_result_is_a_gap_and_changes_join_the_complete_ones_around_it() -> None:
    incomplete = score("phq9", {"phq9_1": 3, "phq9_2": 3, "phq9_3": 2})
    assert not incomplete.complete and incomplete.total is None
    series = build_series(get("phq9"), points([phq9(16), incomplete, phq9(9)]))
    assert [p.total for p in series.points] == [16.0, None, 9.0]
    assert len(series.complete) == 2 and len(series.incomplete) == 1
    assert [(c.before.total, c.after.total, c.verdict) for c in series.changes] == [(16.0, 9.0, IMPROVED)]
    rows = rows_of(series)
    assert (rows[1].score, rows[1].band) == ("Not scored", "Not scored")
    assert "never counted as 0" in rows[1].change
    assert "dashed line" in description(series)


CALM = CALM_ANSWERS

LOW = {**CALM, "phq9_1": 2, "phq9_2": 2, **{f"phq9_{n}": 2 for n in range(3, 9)}, "phq9_10": 1}


def records(*checkups: dict[str, int]) -> list[Record]:
    out = []
    for n, answers in enumerate(checkups):
        for result in score_battery(answers).values():
            out.append(Record(n, START + timedelta(days=14 * n), result))
    return out


def test_an_item9_only_phq9_is_never_charted_as_a_phq9() -> None:
    # Check-up 1 stepped up to the full PHQ-9 (16); check-up 2 had PHQ-2 below 3: item 9 alone, no total (H20).
    by_id = {s.instrument.id: s for s in series_of(records(LOW, CALM))}
    assert [p.total for p in by_id["phq9"].points] == [16.0]
    assert by_id["phq9"].charted_elsewhere == 1
    assert [p.total for p in by_id["phq2"].points] == [1.0]  # charted under PHQ-2, only where PHQ-9 was not
    assert by_id["phq2"].charted_elsewhere == 1


def test_a_short_screen_is_not_charted_beside_its_complete_long_form_nor_the_asq_at_all() -> None:
    by_id = {s.instrument.id: s for s in series_of(records(LOW, LOW))}
    assert "phq2" not in by_id and "gad2" in by_id  # GAD-2 below 3 in both: no GAD-7 asked
    flagged = {**LOW, "phq9_9": 1, "asq_1": 0, "asq_2": 0, "asq_3": 0, "asq_4": 0}
    every = records(flagged)
    assert any(r.result.instrument_id == "asq" for r in every)
    assert "asq" not in {s.instrument.id for s in series_of(every)}


def test_it_orders_points_in_time_and_groups_results_by_check_up() -> None:
    late, early = records(LOW)[0], records(CALM)[0]
    swapped = [
        Record("b", START + timedelta(days=30), late.result),
        Record("a", START, early.result),
    ]
    (brs,) = series_of(swapped)
    assert [p.at for p in brs.points] == [START, START + timedelta(days=30)]


def test_it_says_where_the_member_started_and_where_they_are() -> None:
    series = build_series(get("phq9"), points([phq9(16), phq9(12), phq9(7)]))
    text = where_you_stand(series)
    assert text.startswith("First 16 (Moderately severe) on 2 March 2026; latest 7 (Mild) on 30 March 2026.")
    assert "down 9 points: a reliable improvement" in text
    one = build_series(get("phq9"), points([phq9(12)]))
    assert "One result so far" in where_you_stand(one)
    assert series_of([]) == []

"""The care pages' words (pure: no database)."""

from __future__ import annotations

from datetime import date, datetime

from bounceback.care.wording import join_words, long_day, long_moment, stopped_message


def test_it_joins_words_as_a_sentence_would() -> None:
    assert [join_words(w) for w in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == [
        "",
        "a",
        "a and b",
        "a, b and c",
    ]


def test_it_writes_days_and_moments_in_full() -> None:
    assert long_day(date(2027, 3, 12)) == "Friday 12 March 2027"
    assert long_moment(datetime(2027, 3, 12, 22, 5)) == "Friday 12 March 2027 at 22:05"


def test_it_says_what_stopped_and_what_another_share_still_shows() -> None:
    assert stopped_message("Dana", ["Safety plan"], []) == "Stopped. Dana can no longer see your safety plan."
    assert stopped_message("Dana", ["Safety plan"], ["Daily check-ins"]) == (
        "Stopped. Dana can no longer see your safety plan. Still shared through another share: your daily "
        "check-ins."
    )
    assert stopped_message("Dana", [], ["Daily check-ins"]) == (
        "Stopped. Dana can still see your daily check-ins through another share."
    )

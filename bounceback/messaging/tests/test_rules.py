"""The pure rules of messaging: what a subject and a message may hold, and the reply-time wording."""

from __future__ import annotations

import pytest

from bounceback.messaging.rules import (
    BODY_MAX,
    SUBJECT_MAX,
    Invalid,
    clean_body,
    clean_subject,
    reply_time,
    usually_replies,
)


def test_it_folds_a_subject_to_one_trimmed_line() -> None:
    assert clean_subject("  About   next\tweek \n") == "About next week"


def test_it_keeps_a_message_s_lines_but_not_runs_of_blank_ones() -> None:
    assert clean_body("  Hello,\r\n\r\n\r\n\r\nsee you   soon.  \n") == "Hello,\n\nsee you soon."


@pytest.mark.parametrize(
    ("clean", "field", "raw", "words"),
    [
        (clean_subject, "subject", "", "Please write a subject."),
        (clean_subject, "subject", " \t\n ", "Please write a subject."),
        (clean_subject, "subject", "x" * (SUBJECT_MAX + 1), "Please keep the subject to 120 characters"),
        (clean_subject, "subject", "x" * 10_000, "(this has 10,000)"),
        (clean_subject, "subject", "a\x00b", "The subject contains a control character"),
        (clean_body, "body", "", "Please write a message."),
        (clean_body, "body", "\n\n  \n", "Please write a message."),
        (clean_body, "body", "x" * (BODY_MAX + 1), "Please keep the message to 5,000 characters"),
        (clean_body, "body", "x" * 10_001, "(this has 10,001)"),
        (clean_body, "body", "\x00", "The message contains a control character"),
    ],
)
def test_it_refuses_what_cannot_be_sent_naming_the_field(clean, field, raw, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as caught:
        clean(raw)
    assert caught.value.field == field
    assert words in str(caught.value)


def test_it_takes_exactly_the_limits() -> None:
    assert len(clean_subject("s" * SUBJECT_MAX)) == SUBJECT_MAX
    assert len(clean_body("b" * BODY_MAX)) == BODY_MAX


def test_it_keeps_markup_as_typed_for_the_page_to_escape() -> None:
    assert clean_body("<script>alert(1)</script>") == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (48, "within 2 days"),
        (24, "within a day"),
        (36, "within 2 days"),
        (72, "within 3 days"),
        (8, "within 8 hours"),
        (1, "within an hour"),
        (0, "within a day"),
    ],
)
def test_it_words_the_reply_time(hours: int, words: str) -> None:
    assert reply_time(hours) == words


def test_it_names_the_clinician() -> None:
    assert usually_replies("Dana Example", 48) == "Dana Example usually replies within 2 days."

"""The safety plan's structure, without a database: the six steps in order, our own words, the bounds on what a
member writes, and the approved text (hazard H31)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import pytest

from bounceback.safetyplan import steps
from bounceback.safetyplan.steps import (
    BY_ID,
    CONTACT_STEPS,
    ENTRY_MAX_LENGTH,
    EVIDENCE,
    PHONE_MAX_LENGTH,
    REVIEW_AFTER_DAYS,
    STEP_IDS,
    STEPS,
    Unreadable,
    clean_phone,
    clean_text,
    entry_name,
    needs_review,
    tel_link,
)

WHERE = "Signs that a hard time is starting, sign 1"


def test_it_has_the_six_steps_of_safety_planning_in_order() -> None:
    assert STEP_IDS == (
        "warning_signs",
        "on_my_own",
        "company",
        "ask_for_help",
        "professionals",
        "safer_surroundings",
    )
    assert CONTACT_STEPS == ("ask_for_help", "professionals")
    assert [s.id for s in STEPS if s.crisis_lines] == ["professionals"]
    for step in STEPS:
        for text in (step.heading, step.prompt, step.example, step.item, step.add_label):
            assert text.strip() == text and text, step.id
        assert step.example.startswith("For example: "), step.id
    assert len({s.heading for s in STEPS}) == 6


def test_it_is_in_our_own_words_not_the_stanley_brown_forms() -> None:
    # The form's own headings and phrases (needing its authors' permission for electronic use) must not appear.
    theirs = (
        "warning signs",
        "internal coping",
        "coping strateg",
        "social settings",
        "provide distraction",
        "whom i can ask",
        "professionals or agencies",
        "agencies i can contact",
        "making the environment safe",
        "worth living for",
        "step 1",
    )
    ours = " ".join(
        [steps.INTRO, steps.HOW_TO, steps.NOT_A_SERVICE]
        + [t for s in STEPS for t in (s.heading, s.prompt, s.example, s.item, s.add_label)]
    ).lower()
    assert [phrase for phrase in theirs if phrase in ours] == []


def test_it_cites_the_evidence_with_dois() -> None:
    assert [s.id for s in EVIDENCE] == ["stanley-brown-2012", "stanley-2018", "nuij-2021"]
    for source in EVIDENCE:
        assert source.url.startswith("https://doi.org/10."), source.id
        assert source.supports and source.citation.endswith("."), source.id
    assert "Cogn Behav Pract 2012;19(2):256-264" in EVIDENCE[0].citation
    assert "JAMA Psychiatry 2018;75(9):894-900" in EVIDENCE[1].citation
    assert "Br J Psychiatry 2021;219(2):419-426" in EVIDENCE[2].citation


def content_checksum() -> str:
    payload = {
        "steps": [asdict(s) for s in STEPS],
        "evidence": [asdict(e) for e in EVIDENCE],
        "text": [steps.INTRO, steps.HOW_TO, steps.NOT_A_SERVICE, steps.EVIDENCE_NOTE],
        "bounds": [ENTRY_MAX_LENGTH, PHONE_MAX_LENGTH, steps.MAX_ENTRIES_PER_STEP, REVIEW_AFTER_DAYS],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def test_it_matches_the_approved_text() -> None:
    assert content_checksum() == steps.APPROVED_SHA256, (
        "The safety plan's text changed. After clinical review, record the new checksum in "
        f"bounceback/safetyplan/steps.py: APPROVED_SHA256 = {content_checksum()!r}"
    )


def test_it_names_each_entry_by_its_step() -> None:
    assert entry_name(BY_ID["warning_signs"], 1) == WHERE
    assert entry_name(BY_ID["ask_for_help"], 3) == "People I can tell when I am struggling, person 3"
    assert entry_name(BY_ID["ask_for_help"], None) == "People I can tell when I am struggling, add a person"


def test_it_keeps_text_as_typed_folding_whitespace_and_markup_untouched() -> None:
    assert clean_text("  Not sleeping \r\n and\tstaying in  ", "f", WHERE) == "Not sleeping and staying in"
    assert clean_text('<b>bold</b> & "quoted"', "f", WHERE) == '<b>bold</b> & "quoted"'
    assert clean_text("", "f", WHERE) == ""
    assert clean_text(" \n ", "f", WHERE) == ""
    assert clean_text("x" * ENTRY_MAX_LENGTH, "f", WHERE) == "x" * ENTRY_MAX_LENGTH
    assert clean_text("Cafe\u0301", "f", WHERE) == "Café"  # one form of each letter


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("x" * (ENTRY_MAX_LENGTH + 1), "please keep it to 200 characters (this has 201)"),
        ("x" * 10_000, "please keep it to 200 characters (this has 10,000)"),
        ("y" * 1_000_000, "please keep it to 200 characters (this has 1,000,000)"),
        ("nul\x00byte", "control character (such as a NUL byte)"),
        ("bell\x07", "control character"),
        ("escape\x1b[31m", "control character"),
        ("c1\x85", "control character"),
        ("lone \ud800 surrogate", "control character"),
    ],
)
def test_it_refuses_what_it_cannot_hold_naming_the_field(raw: str, says: str) -> None:
    with pytest.raises(Unreadable) as refused:
        clean_text(raw, "e-1-text", WHERE)
    assert refused.value.field == "e-1-text"
    assert str(refused.value).startswith(WHERE + ": ")
    assert says in str(refused.value)


@pytest.mark.parametrize(
    ("raw", "kept", "tel"),
    [
        ("", "", ""),
        ("  ", "", ""),
        ("111", "111", "tel:111"),
        ("07700 900123", "07700 900123", "tel:07700900123"),
        ("+44 20 7946 0958", "+44 20 7946 0958", "tel:+442079460958"),
        ("(555) 010-0199", "(555) 010-0199", "tel:5550100199"),
        ("555.010.0199", "555.010.0199", "tel:5550100199"),
    ],
)
def test_it_takes_phone_numbers_as_people_write_them(raw: str, kept: str, tel: str) -> None:
    assert clean_phone(raw, "p", WHERE) == kept
    assert tel_link(kept) == tel


@pytest.mark.parametrize(
    "raw",
    [
        "12",
        "call me",
        "1" * 21,
        "+" + "1 " * 20,
        "١٢٣٤٥",  # Arabic-Indic digits
        "１２３４５",  # full-width digits
        "555-0199 ext 2",
        "44+20",
        "++44 20",
        "tel:5550199",
        "<script>",
        "555\x000199",
        "9" * 10_000,
    ],
)
def test_it_refuses_what_is_not_a_phone_number(raw: str) -> None:
    with pytest.raises(Unreadable) as refused:
        clean_phone(raw, "e-1-phone", WHERE)
    assert refused.value.field == "e-1-phone"
    assert str(refused.value).startswith(f"{WHERE}, phone number: please use digits")


def test_it_asks_for_a_look_after_ninety_days() -> None:
    now = datetime(2026, 6, 3, 12, tzinfo=UTC)
    assert not needs_review(None, now)
    assert not needs_review(now - timedelta(days=REVIEW_AFTER_DAYS - 1), now)
    assert needs_review(now - timedelta(days=REVIEW_AFTER_DAYS), now)

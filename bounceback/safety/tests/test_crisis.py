"""Crisis resources as data (hazard H12, test T12)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from bounceback.safety.crisis import DEFAULT_COUNTRY, FALLBACK, RESOURCES, CountryResources, resources_for

MAX_AGE = timedelta(days=180)
ALL = [*RESOURCES.values(), FALLBACK]


@pytest.mark.parametrize("entry", ALL, ids=[e.code or "fallback" for e in ALL])
def test_it_has_a_recent_check_against_a_source(entry: CountryResources) -> None:
    assert entry.source.startswith("https://")
    assert date.today() - entry.verified <= MAX_AGE, (
        f"crisis resources for {entry.name} were last checked {entry.verified}: check them against the source "
        "and update the date"
    )


@pytest.mark.parametrize("entry", ALL, ids=[e.code or "fallback" for e in ALL])
def test_it_has_one_emergency_contact_and_well_formed_links(entry: CountryResources) -> None:
    assert sum(1 for c in entry.contacts if c.emergency) == 1
    assert entry.support, "at least one place to talk to someone"
    for contact in entry.contacts:
        if contact.call:
            assert re.fullmatch(r"\+?\d{3,15}", contact.call), contact.call
            assert contact.tel_link == f"tel:{contact.call}"
        if contact.text:
            parts = urlsplit(contact.sms_link)
            assert parts.scheme == "sms"
            assert re.fullmatch(r"\+?\d{3,15}", parts.path)
            if contact.text_body:
                assert parse_qs(parts.query)["body"] == [contact.text_body]
        if contact.url:
            assert contact.url.startswith("https://")


def test_it_defaults_to_the_us_resources() -> None:
    us = resources_for(DEFAULT_COUNTRY)
    assert us.emergency.call == "911"
    calls = {c.call for c in us.contacts}
    texts = {(c.text, c.text_body) for c in us.contacts}
    assert "988" in calls
    assert ("988", "") in texts
    assert ("741741", "HOME") in texts


def test_it_falls_back_for_an_unknown_or_missing_country() -> None:
    for code in ("ZZ", "", None, "gb-x"):
        entry = resources_for(code)
        assert entry is FALLBACK
        assert not entry.emergency.call
        assert "emergency number" in entry.emergency.how


def test_it_reads_the_country_code_case_insensitively() -> None:
    assert resources_for("us") is RESOURCES["US"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("US", "Call or text 988 to talk to someone now, or call 911 if you are in danger."),
        ("GB", "Call 116 123 to talk to someone now, or call 999 if you are in danger."),
        ("CA", "Call or text 988 to talk to someone now, or call 911 if you are in danger."),
        ("ZZ", "Call your local emergency number if you are in danger, or find a crisis line near you."),
    ],
)
def test_it_says_what_to_do_right_now_for_each_country(code: str, expected: str) -> None:
    assert resources_for(code).acute_instruction == expected

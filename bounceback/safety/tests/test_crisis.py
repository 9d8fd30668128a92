"""Crisis resources as data (hazard H12, test T12)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from bounceback.safety.crisis import DEFAULT_COUNTRY, FALLBACK, RESOURCES, CountryResources, resources_for

MAX_AGE = timedelta(days=180)
ALL = [*RESOURCES.values(), FALLBACK]


def _today() -> date:
    """Today in UTC, so every machine agrees on the day the check falls due."""
    return datetime.now(UTC).date()


def what_to_recheck(entry: CountryResources) -> str:
    """The failure message: which entry, which numbers and links, against which source."""
    where = f'RESOURCES["{entry.code}"]' if entry.code else "FALLBACK"
    contacts = []
    for c in entry.contacts:
        ways = [
            f"call {c.call}" if c.call else "",
            (f"text {c.text_body} to {c.text}" if c.text_body else f"text {c.text}") if c.text else "",
            c.url,
        ]
        contacts.append(f"{c.name} ({', '.join(w for w in ways if w) or c.how})")
    return (
        f"crisis resources for {entry.name} ({where} in bounceback/safety/crisis.py) were last checked on "
        f"{entry.verified}, more than {MAX_AGE.days} days ago (due {entry.verified + MAX_AGE}). Re-check "
        f"every contact against {entry.source}: {'; '.join(contacts)}. Then set verified= to the day of the check."
    )


@pytest.mark.parametrize("entry", ALL, ids=[e.code or "fallback" for e in ALL])
def test_it_has_a_recent_check_against_a_source(entry: CountryResources) -> None:
    # Deliberately date-dependent (docs/operators.md): numbers change, so a stale check fails CI and says
    # exactly what to re-check.
    assert all(part.strip().startswith("https://") for part in entry.source.split(";")), entry.source
    # a date in the future would keep the check from ever falling due (a day's grace for time zones)
    assert entry.verified <= _today() + timedelta(days=1), f"{entry.name}: verified {entry.verified} is ahead"
    assert _today() - entry.verified <= MAX_AGE, what_to_recheck(entry)


def test_it_says_what_to_recheck_when_a_check_is_stale() -> None:
    message = what_to_recheck(RESOURCES["GB"])
    assert 'RESOURCES["GB"] in bounceback/safety/crisis.py' in message
    assert f"last checked on {RESOURCES['GB'].verified}" in message
    assert "Samaritans (call 116123, https://www.samaritans.org/)" in message
    assert "Shout (text SHOUT to 85258, https://giveusashout.org/)" in message
    assert RESOURCES["GB"].source in message
    assert "FALLBACK in bounceback/safety/crisis.py" in what_to_recheck(FALLBACK)


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

"""The pure safety rules (no database): the safety gate and the crisis-country rule (hazards H04, H12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bounceback.instruments import INSTRUMENTS, SAFETY_FLAGS, SAFETY_ITEMS
from bounceback.safety.rules import crisis_country, safety_state

T0 = datetime(2026, 3, 8, 12, tzinfo=UTC)


def test_no_event_no_gate() -> None:
    state = safety_state([], None)
    assert (state.flagged, state.needs_gate, state.acute, state.asq_positive) == (False, False, False, False)


def test_a_flag_needs_the_gate_until_the_person_confirms_they_are_safe() -> None:
    events = [("suicidal_ideation", T0)]
    assert safety_state(events, None).needs_gate
    assert not safety_state(events, T0 + timedelta(seconds=1)).needs_gate


def test_a_later_flag_brings_the_gate_back() -> None:
    events = [("suicidal_ideation", T0), ("acute_suicide_risk", T0 + timedelta(minutes=2))]
    state = safety_state(events, T0 + timedelta(minutes=1))
    assert state.needs_gate and state.acute and state.flagged


def test_the_asq_positive_is_named() -> None:
    assert safety_state([("suicide_risk", T0)], None).asq_positive


def test_safety_flags_and_items_come_from_the_definitions() -> None:
    assert {"suicidal_ideation", "suicide_risk", "acute_suicide_risk"} == SAFETY_FLAGS
    assert {"phq9_9", "asq_1", "asq_2", "asq_3", "asq_4", "asq_5"} == SAFETY_ITEMS
    # Every flag a risk rule raises is a safety flag; no other instrument declares one.
    raisers = {i.id for i in INSTRUMENTS.values() if i.all_safety_flags}
    assert raisers == {"phq9", "asq"}


@pytest.mark.parametrize(
    ("chosen", "signed_in", "account", "started_with", "expected"),
    [
        ("GB", True, "US", "CA", "GB"),  # the person's own choice wins
        ("", True, "CA", "GB", "CA"),  # a member: the account's country
        ("", True, "", "GB", "US"),  # a member without a country: the default, not the check-up's
        ("", False, "", "GB", "GB"),  # a visitor in a check-up: the country it began with
        ("", False, "", "", "US"),  # anyone else: the default
        ("XX", False, "", "QQ", "US"),  # unknown codes never count
    ],
)
def test_the_crisis_country_rule(
    chosen: str, signed_in: bool, account: str, started_with: str, expected: str
) -> None:
    got = crisis_country(
        chosen=chosen, signed_in=signed_in, account=account, started_with=started_with, default="US"
    )
    assert got == expected

"""The room's window, the signal checks and the TURN credentials: plain Python, no database."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from bounceback.video.ice import for_browser, parse_servers, turn_configured, turn_credentials
from bounceback.video.signals import (
    CANDIDATE_MAX,
    PAYLOAD_MAX,
    SignalError,
    check,
    check_since,
    check_state,
)
from bounceback.video.window import CLOSES_AFTER, OPENS_BEFORE, RoomState, room_state

START = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
END = START + timedelta(minutes=50)
SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"


def test_it_opens_the_room_ten_minutes_before_and_closes_it_after_the_end() -> None:
    assert timedelta(minutes=10) == OPENS_BEFORE
    opens, closes = START - OPENS_BEFORE, END + CLOSES_AFTER
    assert room_state(START, END, opens - timedelta(microseconds=1)) is RoomState.BEFORE
    assert room_state(START, END, opens) is RoomState.OPEN
    assert room_state(START, END, closes - timedelta(microseconds=1)) is RoomState.OPEN
    assert room_state(START, END, closes) is RoomState.CLOSED


def test_it_keeps_only_the_keys_each_kind_needs() -> None:
    offer = check("offer", json.dumps({"session": "abc_1", "sdp": SDP, "extra": "<b>x</b>"}))
    assert json.loads(offer.payload) == {"session": "abc_1", "sdp": SDP}
    candidate = check(
        "candidate",
        json.dumps({"session": "abc", "candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMid": "0",
                    "sdpMLineIndex": 0}),
    )  # fmt: skip
    assert json.loads(candidate.payload)["sdpMid"] == "0"
    assert check("hello", "").payload == '{"reply":false}'
    assert check("bye", "{}").payload == "{}"


@pytest.mark.parametrize(
    ("kind", "payload", "field", "words"),
    [
        ("shout", "{}", "kind", "must be one of"),
        (None, "{}", "kind", "must be one of"),
        ("offer", "x" * (PAYLOAD_MAX + 1), "payload", "at most 32,000 characters"),
        ("offer", "not json", "payload", "JSON object"),
        ("offer", "[1, 2]", "payload", "JSON object"),
        ("offer", "[" * 5000 + "]" * 5000, "payload", "JSON object"),
        ("offer", "{\x00}", "payload", "not allowed"),
        ("offer", json.dumps({"session": "a b", "sdp": SDP}), "payload.session", "letters, digits"),
        ("offer", json.dumps({"session": "a", "sdp": ""}), "payload.sdp", "must not be empty"),
        ("offer", json.dumps({"session": "a", "sdp": 5}), "payload.sdp", "must be text"),
        ("answer", json.dumps({"session": "a", "sdp": "v=0\u0000"}), "payload.sdp", "not allowed"),
        (
            "candidate",
            json.dumps({"session": "a", "candidate": "c" * (CANDIDATE_MAX + 1)}),
            "payload.candidate",
            "at most 1,000 characters",
        ),
        ("candidate", json.dumps({"session": "a", "candidate": "", "sdpMLineIndex": -1}), "payload.sdpMLineIndex", "0 to 64"),
        ("candidate", json.dumps({"session": "a", "candidate": "", "sdpMLineIndex": True}), "payload.sdpMLineIndex", "0 to 64"),
        ("hello", json.dumps({"reply": "yes"}), "payload.reply", "true or false"),
    ],
)  # fmt: skip
def test_it_refuses_hostile_signals_naming_the_field_and_limit(
    kind: object, payload: str, field: str, words: str
) -> None:
    with pytest.raises(SignalError) as refused:
        check(kind, payload)
    assert refused.value.field == field
    assert words in str(refused.value)
    assert "<" not in str(refused.value) and "\x00" not in str(refused.value)


@pytest.mark.parametrize("since", ["-1", "1.5", "9" * 19, "١٢", "<script>", "1e3"])
def test_it_refuses_a_since_that_is_not_a_small_whole_number(since: str) -> None:
    with pytest.raises(SignalError, match="since: must be a whole number"):
        check_since(since)


def test_it_reads_since_and_state() -> None:
    assert check_since("") == 0 and check_since("42") == 42
    assert check_state("connected") == "connected" and check_state(None) == "joining"
    with pytest.raises(SignalError, match="state: must be one of"):
        check_state("<b>")


def test_it_makes_coturn_rest_api_credentials_that_expire() -> None:
    now = datetime(2026, 3, 10, tzinfo=UTC)
    username, password = turn_credentials("s3cret", now, "tag")
    expires, tag = username.split(":")
    assert int(expires) == int(now.timestamp()) + 4 * 3600 and tag == "tag"
    expected = base64.b64encode(hmac.new(b"s3cret", username.encode(), hashlib.sha1).digest()).decode()
    assert password == expected


def test_it_gives_turn_servers_credentials_and_never_the_secret() -> None:
    servers = parse_servers(
        '[{"urls": "stun:turn.example.org:3478"}, {"urls": ["turn:turn.example.org:3478?transport=udp"]}]'
    )
    now = datetime(2026, 3, 10, tzinfo=UTC)
    given = for_browser(servers, "s3cret", now, "tag")
    assert given[0] == {"urls": "stun:turn.example.org:3478"}
    assert given[1]["username"].endswith(":tag") and given[1]["credential"]
    assert "s3cret" not in json.dumps(given)
    assert turn_configured(servers, "s3cret")
    assert not turn_configured(servers, "")  # a TURN server nobody can use
    assert for_browser(servers, "", now, "tag") == [{"urls": "stun:turn.example.org:3478"}]
    assert not turn_configured(parse_servers('[{"urls": "stun:stun.example.org"}]'), "s3cret")
    assert parse_servers("") == []


@pytest.mark.parametrize(
    "raw", ["{}", "not json", '[{"urls": "http://x"}]', '[{"url": "stun:x"}]', "[1]", '[{"urls": []}]']
)
def test_it_refuses_ice_servers_that_are_not_a_list_of_stun_or_turn_addresses(raw: str) -> None:
    with pytest.raises(ValueError, match="BOUNCEBACK_ICE_SERVERS"):
        parse_servers(raw)

"""The STUN and TURN servers a browser is given for a call (pure: no Django).

``BOUNCEBACK_ICE_SERVERS`` lists them as ``RTCPeerConnection``'s ``iceServers`` does. A TURN server listed
without a username gets short-lived credentials made from ``BOUNCEBACK_TURN_SECRET`` the way coturn's
``use-auth-secret`` (the "TURN REST API") checks them: the username is the expiry time in Unix seconds, a colon
and an opaque tag, and the password is base64(HMAC-SHA1(secret, username)). The secret itself never reaches the
browser.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

CREDENTIAL_LIFETIME = timedelta(hours=4)
"""How long TURN credentials handed to a browser at join work (longer than any visit's room stays open)."""
SCHEMES = ("stun:", "stuns:", "turn:", "turns:")


def parse_servers(raw: str) -> list[dict[str, Any]]:
    """The setting's JSON as a list of servers, or ValueError saying what is wrong."""
    if not raw.strip():
        return []
    try:
        servers = json.loads(raw)
    except ValueError:
        raise ValueError("BOUNCEBACK_ICE_SERVERS must be a JSON list") from None
    if not isinstance(servers, list):
        raise ValueError("BOUNCEBACK_ICE_SERVERS must be a JSON list")
    for server in servers:
        urls = server.get("urls") if isinstance(server, dict) else None
        listed = [urls] if isinstance(urls, str) else urls
        if (
            not isinstance(listed, list)
            or not listed
            or not all(isinstance(u, str) and u.startswith(SCHEMES) for u in listed)
        ):
            raise ValueError(
                "each of BOUNCEBACK_ICE_SERVERS needs urls: one or more stun:, stuns:, turn: or turns: addresses"
            )
    return servers


def is_turn(server: Mapping[str, Any]) -> bool:
    urls = server.get("urls")
    listed = [urls] if isinstance(urls, str) else list(urls or [])
    return any(str(u).startswith(("turn:", "turns:")) for u in listed)


def turn_credentials(secret: str, now: datetime, tag: str) -> tuple[str, str]:
    """(username, password) that coturn with ``use-auth-secret`` and this ``static-auth-secret`` accepts until
    ``now`` + ``CREDENTIAL_LIFETIME``."""
    expires = int((now + CREDENTIAL_LIFETIME).timestamp())
    username = f"{expires}:{tag}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def for_browser(
    servers: Sequence[Mapping[str, Any]], secret: str, now: datetime, tag: str
) -> list[dict[str, Any]]:
    """The servers as the browser gets them: TURN servers without a username get time-limited credentials
    (and are left out when no secret is set, since they could not be used)."""
    given = []
    for server in servers:
        entry = dict(server)
        if is_turn(entry) and "username" not in entry:
            if not secret:
                continue
            entry["username"], entry["credential"] = turn_credentials(secret, now, tag)
        given.append(entry)
    return given


def turn_configured(servers: Sequence[Mapping[str, Any]], secret: str) -> bool:
    """Whether a browser behind a strict NAT can be relayed: a TURN server with credentials it can use."""
    return any(is_turn(s) and ("username" in s or secret) for s in servers)

"""Invitation tokens: 32 random bytes in the link, only their SHA-256 in the database (pure)."""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{40,64}")
"""What ``secrets.token_urlsafe(32)`` gives (43 characters), with room; anything else is no token."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """The stored form of a token: its SHA-256 in hex. A leaked table holds no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(text: str) -> bool:
    return TOKEN_PATTERN.fullmatch(text) is not None

"""Encrypt and decrypt free text with the keys in ``settings.BOUNCEBACK_ENCRYPTION_KEYS`` (Fernet, newest first).

The first key encrypts; every key decrypts, so an operator adds a new key in front, runs ``bounceback
rotate-keys`` (which re-encrypts every value under the newest key) and only then removes the old one. The keys
are their own secret, never derived from ``SECRET_KEY``. A value no configured key opens raises
:class:`UndecryptableError`: never a guess, never the raw token in its place.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class UndecryptableError(RuntimeError):
    """A stored value that no configured key decrypts (its key was removed, or the value was altered)."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"A value in {where} cannot be decrypted with any key in BOUNCEBACK_ENCRYPTION_KEYS: the key it was "
            "encrypted with has been removed, or the stored value was altered. Put the old key back (after the "
            "newest one) and run `bounceback rotate-keys` before removing it again."
        )
        self.where = where


@lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    if not keys:
        raise RuntimeError("BOUNCEBACK_ENCRYPTION_KEYS is empty: nothing can be encrypted")
    each = [Fernet(key) for key in keys]
    return MultiFernet(each), each[0]


def _current() -> tuple[MultiFernet, Fernet]:
    # Keyed by the keys themselves, so a changed setting (override_settings in tests) takes effect at once.
    return _fernets(tuple(settings.BOUNCEBACK_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    """A Fernet token (ASCII) for ``text`` under the newest key; a different token every time."""
    return _current()[0].encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, where: str = "an encrypted column") -> str:
    """The text ``token`` holds, with whichever configured key opens it; :class:`UndecryptableError` if none."""
    try:
        return _current()[0].decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise UndecryptableError(where) from None


def is_current(token: str) -> bool:
    """Whether ``token`` is already encrypted under the newest key (rotation leaves it alone)."""
    try:
        _current()[1].decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeError):
        return False
    return True


def rotate(token: str, where: str = "an encrypted column") -> str:
    """The same text re-encrypted under the newest key (its original timestamp kept)."""
    try:
        return _current()[0].rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise UndecryptableError(where) from None

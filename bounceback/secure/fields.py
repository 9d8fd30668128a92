"""A text column encrypted at rest: the database holds a Fernet token, Python sees the text.

Django models declare ``EncryptedTextField(...)`` like a ``TextField``. The empty string is stored as itself (so
"no note" needs no key); everything else is encrypted under the newest key of ``BOUNCEBACK_ENCRYPTION_KEYS``
and decrypted with whichever key opens it. The tokens are randomised, so the database cannot search or compare
the text: a query on the column other than ``isnull`` or ``= ""`` is refused rather than silently matching
nothing. ``bounceback rotate-keys`` finds every such column through :func:`encrypted_fields`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from .crypto import decrypt, encrypt


class EmptyOnlyExact(Exact):
    """``note=""`` (is the text empty?) is the one comparison that works on randomised tokens."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.target.model._meta.label}.{self.lhs.target.name} is encrypted: it can only be "
                "compared with the empty string"
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    description = "Text encrypted at rest with Fernet (keys in BOUNCEBACK_ENCRYPTION_KEYS)"

    def where(self) -> str:
        model = getattr(self, "model", None)
        return f"{model._meta.label}.{self.name}" if model is not None else "an encrypted column"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(str(value), self.where())

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return EmptyOnlyExact
        raise FieldError(
            f"{self.where()} is encrypted: the database cannot search it ({lookup_name!r}); "
            "only isnull and the empty string work"
        )


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model (concrete, not proxies), in a stable order."""
    found = [
        (model, field)
        for model in apps.get_models()
        if not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1].name))

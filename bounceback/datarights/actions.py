"""Deleting an account and everything it holds: one action, one transaction, one audit entry.

The web page (after the password, a two-factor code when the account has one, and a typed confirmation) and
``bounceback delete-account`` (an operator's, with ``--yes``) both call ``delete_account``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from bounceback.accounts.models import User
from bounceback.audit.record import record

from .registry import erase_order

DELETE = "account.delete"
"""The audit verb: the entry names the account by its public id, which afterwards links to nothing."""


@dataclass(frozen=True)
class Deleted:
    """What a deletion removed: the account's public id and the rows deleted, by model label."""

    public_id: str
    rows: dict[str, int] = field(default_factory=dict)

    def count(self, label: str) -> int:
        return self.rows.get(label, 0)


def delete_account(user: User, *, actor: User | None) -> Deleted:
    """Delete ``user`` and everything every app keeps about them (each app's ``personal.erase``, highest app
    first, the user itself last), in one transaction: all of it goes, or, on any error, none of it.

    ``actor`` is the person themselves (the web page) or None for the system (an operator's command). The audit
    entry is written first, in the same transaction, so a deletion is never without its entry; the audit trail
    itself is kept (see ``audit/personal.py``). The caller checks who may delete (password, code, confirmation).
    """
    with transaction.atomic(durable=True):
        account = User.objects.select_for_update().get(pk=user.pk)
        public_id = str(account.public_id)
        record(actor, DELETE, "user", public_id)
        rows: Counter[str] = Counter()
        for part in erase_order():
            rows.update(part.erase(account))
    return Deleted(public_id, {label: n for label, n in sorted(rows.items()) if n})

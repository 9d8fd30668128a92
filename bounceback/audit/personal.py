"""The audit trail's part in the member's export and account deletion (``bounceback/datarights/registry.py``).

Exported: what the person did and what was done to their account (when, what kind of actor, the fixed verb and
the opaque ids: the trail never holds content). Kept when the account is deleted: the trail is append-only (on
PostgreSQL the database itself refuses UPDATE and DELETE), and who did what must stay checkable. Its rows name
the person only by the account's primary key (``actor_id``, a number never reused) and its random public id,
which after the deletion link to nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q

from .models import AuditEvent

AUDIT_COLUMNS = ("at", "actor_kind", "action", "target_type", "target_id")


def _trail(user: AbstractBaseUser) -> Iterable[dict[str, object]]:
    mine = Q(actor_id=user.pk) | Q(target_type="user", target_id=str(getattr(user, "public_id", "")))
    return list(AuditEvent.objects.filter(mine).order_by("at", "pk").values(*AUDIT_COLUMNS))


TABLES = (("audit_trail", AuditEvent, AUDIT_COLUMNS, _trail),)

KEPT = {
    AuditEvent: "the audit trail is append-only, so that who did what can always be checked; its entries hold "
    "fixed verbs and random ids, never content, and after the deletion the account's number and public id "
    "in them link to nothing",
}


def erase(user: AbstractBaseUser) -> dict[str, int]:
    """Nothing: the trail is kept (``KEPT``)."""
    return {}

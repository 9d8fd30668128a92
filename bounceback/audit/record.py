"""Record an audit event: called by actions (writes) and by the access functions (reads)."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from bounceback.accounts.models import User

from .models import AuditEvent


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target_type: str,
    target_id: str,
) -> None:
    """Append who did what to which record. Health data never goes in: ids and fixed verbs only.

    ``actor`` None is the system itself (a command run by an operator); an anonymous user is a visitor.
    """
    user = actor if isinstance(actor, User) else None
    kind = user.role if user is not None else ("system" if actor is None else "visitor")
    AuditEvent.objects.create(
        actor=user, actor_kind=kind, action=action, target_type=target_type, target_id=str(target_id)
    )

"""Record an audit event: called by actions (writes) and by the access functions (reads).

The audit app sits below accounts in the dependency order: it knows the user model only as
``settings.AUTH_USER_MODEL`` and reads the actor's ``role`` without importing ``bounceback.accounts``.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from .models import AuditEvent

SYSTEM = "system"
"""The actor kind for the system itself: a command run by an operator."""
VISITOR = "visitor"
"""The actor kind for someone not signed in."""
USER = "user"
"""The actor kind for a signed-in user whose user model has no role."""


def actor_kind(actor: AbstractBaseUser | AnonymousUser | None) -> str:
    """member, clinician, operator, researcher (the user's role), visitor or system."""
    if actor is None:
        return SYSTEM
    if not actor.is_authenticated:
        return VISITOR
    return str(getattr(actor, "role", "") or USER)


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target_type: str,
    target_id: str,
) -> None:
    """Append who did what to which record. Health data never goes in: ids and fixed verbs only.

    ``actor`` None is the system itself (a command run by an operator); an anonymous user is a visitor.
    """
    signed_in = actor if actor is not None and actor.is_authenticated else None
    AuditEvent.objects.create(
        actor_id=signed_in.pk if signed_in is not None else None,
        actor_public_id=str(getattr(signed_in, "public_id", "") or ""),
        actor_kind=actor_kind(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
    )

"""``{% due_panel %}``: what is due and overdue, and unread reminders, for the signed-in member (on My
check-ups). Reads through the access functions; writes nothing."""

from __future__ import annotations

from typing import Any

from django import template

from bounceback.accounts.models import User

from ..access import due_plan_of, is_reminded, unread_notifications_of
from ..views import due_context

register = template.Library()


@register.inclusion_tag("reminders/_due.html", takes_context=True)
def due_panel(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    if not isinstance(user, User) or not is_reminded(user):
        return {"hidden": True}
    return {
        **due_context(user, due_plan_of(user)),
        "notifications": unread_notifications_of(user),
        "next": "me",
        "csrf_token": context.get("csrf_token"),
    }

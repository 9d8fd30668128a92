"""``{% messages_nav %}``: the Messages link in the site's navigation, with the number of unread threads, for
members in care and clinicians. Reads through the access functions; writes nothing."""

from __future__ import annotations

from typing import Any

from django import template

from bounceback.accounts.models import User

from ..access import in_care, unread_count, uses_messaging

register = template.Library()


@register.inclusion_tag("messaging/_nav.html", takes_context=True)
def messages_nav(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not uses_messaging(user) or not in_care(user):
        return {"shown": False}
    return {"shown": True, "unread": unread_count(user)}

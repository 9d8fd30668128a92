"""The count of unread notices in the header, for anyone signed in. Evaluated only when a page shows it, so the
crisis pages (which never load the session or the user) are untouched."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from .models import Notification
from .rules import REASSESSMENT


def notices(request: HttpRequest) -> dict[str, Callable[[], int]]:
    def notice_count() -> int:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or not session.accessed or user is None or not user.is_authenticated:
            return 0
        return (
            Notification.objects.filter(member_id=user.pk, read_at__isnull=True)
            .exclude(item=REASSESSMENT)
            .count()
        )

    return {"notice_count": notice_count}

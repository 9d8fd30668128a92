"""What the tracking app keeps about a member (daily check-ins, the journal note decrypted for its owner): its
part of the member's export and of the account deletion (``bounceback/datarights/registry.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from bounceback.accounts.models import User

from .models import CheckIn
from .questions import NAMES

CHECKIN_COLUMNS = ("public_id", "day", *NAMES, "created_at", "updated_at")


def _checkins(user: User) -> Iterable[dict[str, object]]:
    return list(CheckIn.objects.of_owner(user.pk).order_by("day").values(*CHECKIN_COLUMNS))


TABLES = (("checkins", CheckIn, CHECKIN_COLUMNS, _checkins),)

ERASED = (CheckIn,)


def erase(user: User) -> dict[str, int]:
    return dict(CheckIn.objects.of_owner(user.pk).delete()[1])

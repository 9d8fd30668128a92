"""Times as a person reads them: on their own clock, with the zone named (pure: no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bounceback.clinics.availability import Slot, by_local_day, format_start, in_zone, zone_name


@dataclass(frozen=True)
class Shown:
    """One slot or visit for a page: the value sent back in forms, and the words shown."""

    start: str
    day: str
    time: str
    ends: str
    zone: str

    @property
    def label(self) -> str:
        return f"{self.day}, {self.time} to {self.ends}"


def day_words(local: datetime) -> str:
    return f"{local:%A} {local.day} {local:%B %Y}"


def shown(starts_at: datetime, ends_at: datetime, zone: str) -> Shown:
    local = in_zone(starts_at, zone)
    return Shown(
        start=format_start(starts_at),
        day=day_words(local),
        time=f"{local:%H:%M}",
        ends=f"{in_zone(ends_at, zone):%H:%M}",
        zone=zone_name(starts_at, zone),
    )


def days_of(slots: list[Slot], zone: str) -> list[tuple[str, list[Shown]]]:
    """Slots grouped by the viewer's local day, each day's words with its slots."""
    return [
        (
            day_words(in_zone(day_slots[0].starts_at, zone)),
            [shown(s.starts_at, s.ends_at, zone) for s in day_slots],
        )
        for _day, day_slots in by_local_day(slots, zone)
    ]

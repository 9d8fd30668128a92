"""A visit as a calendar invitation (RFC 5545, built with ``icalendar``): METHOD:REQUEST for a booked visit,
METHOD:CANCEL for a cancelled one, the same UID for the life of the appointment and SEQUENCE from
``Appointment.sequence`` so calendars update the event rather than adding another.

Times are UTC (``...Z``), never floating, so every calendar shows the visit at the right moment in its own zone.
Nothing about health: the summary is "Bounceback visit", the description says where to join; no reason, no
notes, no clinician's credentials (hazards H18, H22).
"""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar, Event

from .models import Appointment, Status

PRODID = "-//Bounceback//Visits//EN"
SUMMARY = "Bounceback visit"
DESCRIPTION = "Join from your Bounceback visits page at the time of the visit."


def uid_of(appointment: Appointment, domain: str) -> str:
    return f"visit-{appointment.public_id}@{domain}"


def invitation(appointment: Appointment, *, url: str, domain: str, now: datetime) -> bytes:
    """The .ics file of one visit. ``url`` is the visit's page (absolute), ``domain`` the site's host."""
    cancelled = appointment.status == Status.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid_of(appointment, domain))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", appointment.starts_at.astimezone(UTC))
    event.add("dtend", appointment.ends_at.astimezone(UTC))
    event.add("summary", SUMMARY)
    event.add("description", DESCRIPTION)
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return bytes(calendar.to_ical())

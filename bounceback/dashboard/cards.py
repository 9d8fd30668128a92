"""Each caseload row as HTML, built in Python: a caseload of a hundred members with three trend lines each is
several thousand template nodes, which Django's template engine renders ten times slower than this. Every text
is escaped here (``html.escape``); the trend lines come from ``trend.sparkline``, which escapes its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from html import escape
from zoneinfo import ZoneInfo

from django.utils.safestring import SafeString, mark_safe

from bounceback.care.models import Kind
from bounceback.progress.series import format_points
from bounceback.reminders.rules import INSTRUMENT_NAMES, zone

from .access import Member
from .caseload import ALERT_WORDS, Row
from .trend import CHANGE_WORDS, scale, sparkline

SHARED_WORDS: dict[str, str] = {
    Kind.RESULTS.value: "results",
    Kind.CHECKINS.value: "daily check-ins",
    Kind.SAFETY_PLAN.value: "safety plan",
}
CHANGE_SHORT = {"improved": "Reliably better", "worsened": "Reliably worse"}
SHAPES = {"improved": "a diamond", "worsened": "a triangle", "no_reliable_change": "a circle"}


def moment(at: datetime | None, tz_name: str) -> str:
    if at is None:
        return ""
    local = at.astimezone(_zone(tz_name))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


@cache
def _zone(tz_name: str) -> ZoneInfo:
    return zone(tz_name)


def _trends(row: Row, n: int, member_zone: str) -> list[str]:
    out = ['<ul class="trend-list">']
    for t in row.trends:
        score = format_points(t.latest.total, scale(t.instrument)[2])
        band = f" ({escape(t.band_label)})" if t.band_label else ""
        change = f". <strong>{CHANGE_SHORT[t.direction]}</strong>" if t.direction in CHANGE_SHORT else ""
        out.append(
            f"<li><p><strong>{escape(t.name)}</strong>: {score}{band}, "
            f"{escape(moment(t.latest.at, member_zone))}{change}</p>"
            f"{sparkline(t, f'trend-{n}-{t.instrument}')}"
        )
        if t.direction in CHANGE_SHORT:  # (no reliable change: the chart's words say so)
            out.append(
                f'<p class="small">The latest is {CHANGE_WORDS[t.direction]} (Jacobson–Truax); '
                f"{SHAPES[t.direction]} marks it.</p>"
            )
        out.append("</li>")
    out.append("</ul>")
    return out


def card(
    row: Row,
    member: Member,
    n: int,
    tz_name: str,
    member_url: Callable[[str], str],
    assign_url: Callable[[str], str],
) -> SafeString:
    facts = member.facts
    name = escape(facts.name)
    key = facts.key
    title = f'<a href="{escape(member_url(key))}">{name}</a>' if facts.shared else name
    out = [f'<li class="card"><h2>{title}</h2>']
    if row.reason:
        out.append(f'<p class="meta">{escape(row.reason)}</p>')
    if row.worst_alert is not None:
        many = f" ({len(facts.alerts)} open)" if len(facts.alerts) > 1 else ""
        out.append(
            f'<p class="alert-badge"><strong>Open safety alert:</strong> '
            f"{escape(ALERT_WORDS.get(row.worst_alert.kind, ''))}, raised "
            f'{escape(moment(row.worst_alert.raised_at, tz_name))}{many}. <a href="/alerts/">Go to alerts to '
            "acknowledge it</a></p>"
        )
    if "results" in facts.shared:
        if row.trends:
            out += _trends(row, n, member.in_care.member.time_zone or "UTC")
        else:
            out.append("<p>No complete result of a tracked measure in the last 16 weeks.</p>")
    else:
        out.append('<p class="small">Results not shared with you now.</p>')
    if facts.shared:
        listed = ", ".join(SHARED_WORDS[k] for k in Kind.values if k in facts.shared)
        out.append(f'<p class="small">Shares with you now: {escape(listed)}.</p>')
    if facts.overdue:
        listed = ", ".join(INSTRUMENT_NAMES[i] for i in facts.overdue)
        out.append(f"<p><strong>Overdue:</strong> {escape(listed)}.</p>")
    if facts.next_visit is not None:
        out.append(f"<p>Next visit: {escape(moment(facts.next_visit, tz_name))} ({escape(tz_name)}).</p>")
    assigned = sorted({INSTRUMENT_NAMES[a.instrument] for a in member.assigned})
    asked = f"You asked for: {escape(', '.join(assigned))}. " if assigned else ""
    out.append(
        f'<p class="small">{asked}<a href="{escape(assign_url(key))}">Assign measures'
        f'<span class="visually-hidden"> to {name}</span></a></p></li>'
    )
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped

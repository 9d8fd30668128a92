"""``trusted_svg`` and ``trusted_table``: a chart drawn by ``progress.charts`` or a table built by ``progress.tables``
(every text in them escaped there) into the page as markup."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def trusted_svg(markup: str) -> SafeString:
    """Only for markup built by ``bounceback.progress.charts``, which escapes every text it draws."""
    if not markup.startswith("<svg ") or not markup.endswith("</svg>"):
        raise ValueError("trusted_svg takes a chart drawn by bounceback.progress.charts")
    return mark_safe(markup)  # noqa: S308 - built by progress.charts, which escapes every text


@register.filter
def trusted_table(markup: str) -> SafeString:
    """Only for markup built by ``bounceback.progress.tables``, which escapes every text it writes."""
    if not markup.startswith('<table class="progress-table">') or not markup.endswith("</table>"):
        raise ValueError("trusted_table takes a table built by bounceback.progress.tables")
    return mark_safe(markup)  # noqa: S308 - built by progress.tables, which escapes every text

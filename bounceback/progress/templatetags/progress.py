"""``trusted_svg``: a chart drawn by ``progress.charts`` (every text in it escaped there) into the page as markup."""

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

"""``printable_svg``: a chart drawn by ``progress.charts`` as the PDF report embeds it.

WeasyPrint does not implement SVG's ``paint-order``, so a label's white halo (a wide white stroke meant to sit
under the letters on screen) would be painted over them and hide the value. The report drops the halo; the
labels stay dark on the light band shades.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from bounceback.progress.charts import HALO

from .progress import trusted_svg

register = template.Library()

HALO_ATTRIBUTES = f' stroke="{HALO}" stroke-width="3" paint-order="stroke"'


@register.filter
def printable_svg(markup: str) -> SafeString:
    """Only for markup built by ``bounceback.progress.charts`` (checked by ``trusted_svg``)."""
    return trusted_svg(markup.replace(HALO_ATTRIBUTES, ""))

"""The report as a PDF: our HTML and the progress page's SVG charts, laid out by WeasyPrint (Debian's Pango).

Nothing is fetched while rendering: the stylesheet is inlined in the template, the charts are inline SVG, and
the URL fetcher refuses every address but a ``data:`` one (never the network, never a file), so a report cannot
leak that it was made, nor be changed by anything outside it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .report import Report

TEMPLATE = "progress/report.html"

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per page at INFO: noise


class RefusedFetch(ValueError):
    """A report asked for something outside itself."""


class OfflineFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
    """Serves ``data:`` URLs only; refuses anything else (and notes what was asked, for the tests)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        self.refused.append(url)
        raise RefusedFetch(f"A report fetches nothing: refused {url[:80]!r}")


def html_of(report: Report) -> str:
    return render_to_string(TEMPLATE, {"report": report})


def pdf_from_html(html: str, fetcher: OfflineFetcher | None = None) -> bytes:
    document = HTML(string=html, url_fetcher=fetcher or OfflineFetcher(), media_type="print")
    pdf = document.write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def report_pdf(report: Report) -> bytes:
    return pdf_from_html(html_of(report))

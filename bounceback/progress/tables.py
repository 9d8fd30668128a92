"""The data tables beside the charts (their text alternative), as HTML markup.

Pure Python (no Django). Built here rather than in a template because a long history has hundreds of rows and the
page must stay fast (a template renders them several times slower), and because the PDF report will use the same
tables. Every text is escaped; each cell carries its column's name (``data-label``) so a phone can show the table
one row at a time, labelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Table:
    caption: str
    """Read by screen readers (hidden on screen: the summary that opens the table names it)."""
    columns: tuple[str, ...]
    """Headings, the first being the row headers' (a date or a week)."""
    labels: tuple[str, ...]
    """Each column's short name, shown before each value when a phone lays the rows out one by one."""
    rows: Sequence[Sequence[str]]


def table_html(table: Table) -> str:
    if len(table.columns) != len(table.labels):
        raise ValueError("a table needs one label per column")
    labels = [escape(label, quote=True) for label in table.labels]
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
    body = []
    for row in table.rows:
        if len(row) != len(labels):
            raise ValueError(f"a row of {len(row)} cells in a table of {len(labels)} columns")
        first, *rest = row
        cells = "".join(
            f'<td data-label="{label}">{escape(value)}</td>'
            for label, value in zip(labels[1:], rest, strict=True)
        )
        body.append(f'<tr><th scope="row" data-label="{labels[0]}">{escape(first)}</th>{cells}</tr>')
    return (
        f'<table class="progress-table"><caption class="visually-hidden">{escape(table.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )

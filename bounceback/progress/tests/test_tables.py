"""The data tables beside the charts: escaped, labelled for a phone, one cell per column. No database."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from bounceback.progress.tables import Table, table_html


def test_it_escapes_every_text_and_labels_every_cell() -> None:
    markup = table_html(
        Table("Results <b>", ("Date", "Score & band"), ("Date", 'Sco"re'), [("1 May", "<script>x</script>")])
    )
    table = ET.fromstring(markup)  # noqa: S314 - our own markup, parsed to check it is well formed
    assert table.get("class") == "progress-table"
    assert table.findtext("caption") == "Results <b>"
    assert [th.text for th in table.iter("th") if th.get("scope") == "col"] == ["Date", "Score & band"]
    (row,) = [r for r in table.iter("tr") if r.find("td") is not None]
    header, cell = row.find("th"), row.find("td")
    assert header is not None and cell is not None
    assert (header.get("scope"), header.get("data-label"), header.text) == ("row", "Date", "1 May")
    assert (cell.get("data-label"), cell.text) == ('Sco"re', "<script>x</script>")
    assert "<script>" not in markup


def test_it_refuses_a_row_that_does_not_fit_its_columns() -> None:
    with pytest.raises(ValueError, match="a row of 3 cells in a table of 2 columns"):
        table_html(Table("t", ("a", "b"), ("a", "b"), [("1", "2", "3")]))
    with pytest.raises(ValueError, match="one label per column"):
        table_html(Table("t", ("a", "b"), ("a",), []))

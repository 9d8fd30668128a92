from __future__ import annotations

from pathlib import Path

from bounceback.instruments import INSTRUMENTS
from bounceback.instruments.markdown import reference_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "instruments.md"


def test_it_keeps_docs_instruments_md_in_step_with_the_definitions() -> None:
    assert DOC.read_text() == reference_markdown(), (
        "docs/instruments.md is out of date: run `bounceback write_instrument_docs`"
    )


def test_it_documents_every_instrument_item_and_band() -> None:
    text = reference_markdown()
    for instrument in INSTRUMENTS.values():
        assert f"`{instrument.id}` (version {instrument.version})" in text
        for item in instrument.items:
            assert f"`{item.id}`" in text
        for band in instrument.bands:
            assert f"`{band.code}`" in text

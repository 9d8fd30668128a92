"""Turn an instrument definition into what the catalogue page shows: generated, never written twice."""

from __future__ import annotations

from dataclasses import dataclass

from bounceback.instruments import Instrument, Item
from bounceback.instruments.base import Band


@dataclass(frozen=True)
class BandRow:
    band: Band
    range_text: str


@dataclass(frozen=True)
class ItemRow:
    number: int
    item: Item
    response: str
    """The answer format in words: the options with their values, or the numeric range."""


@dataclass(frozen=True)
class InstrumentPage:
    instrument: Instrument
    items: list[ItemRow]
    bands: list[BandRow]
    rci_text: str


def _response_text(item: Item) -> str:
    if item.options:
        return "; ".join(f"{o.label} = {o.value}" for o in item.options)
    return f"a whole number from {item.min_value} to {item.max_value} {item.unit}".strip()


def instrument_page(instrument: Instrument) -> InstrumentPage:
    rci = instrument.rci
    rci_text = ""
    if rci is not None:
        points = f"{rci.threshold:.2f}" if instrument.decimals else f"{rci.threshold:.1f}"
        rci_text = f"A change of more than {points} points is reliable. {rci.source.text}"
    return InstrumentPage(
        instrument=instrument,
        items=[ItemRow(n, item, _response_text(item)) for n, item in enumerate(instrument.items, start=1)],
        bands=[BandRow(b, b.range_text(instrument.decimals)) for b in instrument.bands],
        rci_text=rci_text,
    )

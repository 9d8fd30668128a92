"""Variant (a), the I/O floor: read the file with polars, add four empty result columns per instrument, write it.

usage: io_floor.py INPUT OUTPUT INSTRUMENT [INSTRUMENT ...]
"""

from __future__ import annotations

import sys

import polars as pl


def main(source: str, target: str, instruments: list[str]) -> None:
    frame = pl.read_csv(source)
    empty = []
    for instrument in instruments:
        empty += [
            pl.lit(None, pl.Int64).alias(f"{instrument}_total"),
            pl.lit(None, pl.String).alias(f"{instrument}_band"),
            pl.lit(None, pl.Boolean).alias(f"{instrument}_complete"),
            pl.lit(None, pl.String).alias(f"{instrument}_flags"),
        ]
    frame.with_columns(empty).write_csv(target)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])

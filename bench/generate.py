"""Synthetic survey files for the benchmark: an id column and every item of the chosen instruments.

Answers are uniform over each item's allowed values; with --blank-rate, that share of cells is left blank.

usage: generate.py OUTPUT ROWS INSTRUMENT [INSTRUMENT ...] [--blank-rate 0.01] [--seed 1]
"""

from __future__ import annotations

import argparse

import numpy as np
import polars as pl

from bounceback.instruments import get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    parser.add_argument("rows", type=int)
    parser.add_argument("instruments", nargs="+")
    parser.add_argument("--blank-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    chunk = 1_000_000
    with open(args.output, "wb") as handle:
        for start in range(0, args.rows, chunk):
            n = min(chunk, args.rows - start)
            columns: dict[str, pl.Series] = {"id": pl.Series(np.arange(start, start + n) + 10_000_000)}
            for instrument in (get(i) for i in args.instruments):
                for item in instrument.items:
                    allowed = np.array(item.allowed, dtype=np.int16)
                    values = pl.Series(item.id, allowed[rng.integers(0, len(allowed), n)])
                    if args.blank_rate:
                        values = values.scatter(np.flatnonzero(rng.random(n) < args.blank_rate), None)
                    columns[item.id] = values
            pl.DataFrame(columns).write_csv(handle, include_header=start == 0)


if __name__ == "__main__":
    main()

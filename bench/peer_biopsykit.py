"""Variant (c), the vectorised peer: pandas reads, biopsykit.questionnaires.phq scores, pandas writes.

Run in bench/out/peer-venv (biopsykit needs numpy<2). Missing codes are recoded to NaN first, as an analyst
must do: biopsykit refuses values outside 0-3, and sums whatever is left (pandas skips NaN).

usage: peer_biopsykit.py INPUT OUTPUT [--map SOURCE=ITEM ...] [--missing-values 7,9]
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from biopsykit.questionnaires import phq

ITEMS = [f"phq9_{n}" for n in range(1, 10)]


def main(argv: list[str]) -> None:
    source, target, rest = argv[0], argv[1], argv[2:]
    mapping: dict[str, str] = {}
    missing: list[float] = []
    while rest:
        flag = rest.pop(0)
        if flag == "--map":
            while rest and "=" in rest[0]:
                column, item = rest.pop(0).split("=", 1)
                mapping[column] = item
        elif flag == "--missing-values":
            missing = [float(code) for code in rest.pop(0).split(",")]
    frame = pd.read_csv(source)
    items = frame[list(mapping) or ITEMS].set_axis(ITEMS, axis=1)
    if missing:
        items = items.replace(missing, np.nan)
    frame["PHQ9"] = phq(items)["PHQ9"]
    frame.to_csv(target, index=False)


if __name__ == "__main__":
    main(sys.argv[1:])

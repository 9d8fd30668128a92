"""Variant (d): a pandas row-wise ``apply``, as an analyst typically writes it (PHQ-9 total, band, item 9 flag).

usage: pandas_apply.py INPUT OUTPUT
"""

from __future__ import annotations

import sys

import pandas as pd

ITEMS = [f"phq9_{n}" for n in range(1, 10)]


def phq9(row: pd.Series) -> pd.Series:
    values = [row[c] for c in ITEMS]
    flag = "suicidal_ideation" if row["phq9_9"] >= 1 else ""
    if any(pd.isna(v) for v in values):
        return pd.Series({"phq9_total": None, "phq9_band": None, "phq9_complete": False, "phq9_flags": flag})
    total = int(sum(values))
    if total <= 4:
        band = "minimal"
    elif total <= 9:
        band = "mild"
    elif total <= 14:
        band = "moderate"
    elif total <= 19:
        band = "moderately_severe"
    else:
        band = "severe"
    return pd.Series({"phq9_total": total, "phq9_band": band, "phq9_complete": True, "phq9_flags": flag})


def main(source: str, target: str) -> None:
    frame = pd.read_csv(source)
    results = frame.apply(phq9, axis=1)
    pd.concat([frame, results], axis=1).to_csv(target, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

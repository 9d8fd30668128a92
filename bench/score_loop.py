"""Variant (e): a per-row Python loop calling ``score()`` (csv module in and out).

usage: score_loop.py INPUT OUTPUT INSTRUMENT [INSTRUMENT ...] [--map SOURCE=ITEM ...] [--missing-values 7,9]
"""

from __future__ import annotations

import csv
import sys

from bounceback.instruments import get, score


def main(argv: list[str]) -> None:
    source, target, rest = argv[0], argv[1], argv[2:]
    instruments: list[str] = []
    mapping: dict[str, str] = {}
    missing: set[float] = set()
    while rest:
        arg = rest.pop(0)
        if arg == "--map":
            while rest and "=" in rest[0]:
                column, item = rest.pop(0).split("=", 1)
                mapping[item] = column
        elif arg == "--missing-values":
            missing = {float(code) for code in rest.pop(0).split(",")}
        else:
            instruments.append(arg)
    definitions = [get(i) for i in instruments]

    def value(text: str) -> float | None:
        number = float(text) if text.strip() else None
        return None if number in missing else number

    with open(source, newline="") as inp, open(target, "w", newline="") as out:
        reader = csv.reader(inp)
        header = next(reader)
        position = {name: n for n, name in enumerate(header)}
        columns = {
            item.id: position[mapping.get(item.id, item.id)]
            for d in definitions
            for item in d.items
            if mapping.get(item.id, item.id) in position
        }
        writer = csv.writer(out)
        writer.writerow(
            header + [f"{i}_{s}" for i in instruments for s in ("total", "band", "complete", "flags")]
        )
        for row in reader:
            extra: list[object] = []
            for instrument in definitions:
                answers = {i.id: value(row[columns[i.id]]) for i in instrument.items if i.id in columns}
                result = score(instrument.id, answers)
                extra += [result.total, result.band, result.complete, ";".join(sorted(result.flags))]
            writer.writerow(row + extra)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The repair log as people read it: repairs of one kind grouped, with the rows they were on
(`ticks: 214 Cyrillic 'х' read as ticks, rows 4-56`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.model import Repair


def row_ranges(rows: Iterable[int]) -> str:
    """`row 4`, `rows 4-6, 9`: sorted, consecutive rows as ranges."""
    ordered = sorted(set(rows))
    spans: list[list[int]] = []
    for row in ordered:
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    text = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)
    return f"row {text}" if len(ordered) == 1 else f"rows {text}"


def grouped(repairs: Iterable[Repair]) -> list[tuple[str, int, str]]:
    """(kind, first row, line) for each kind of repair, in the order kinds first occur: `ticks:
    3 Cyrillic 'х' read as ticks, rows 4-6; Research: 'x x x' read as a tick, row 9` (a repair
    made once is said in full)."""
    kinds: dict[str, dict[str, list[Repair]]] = {}
    for repair in repairs:
        kinds.setdefault(repair.kind, {}).setdefault(repair.what, []).append(repair)
    lines = []
    for kind, whats in kinds.items():
        parts = [
            f"{len(found)} {what}" if len(found) > 1 else found[0].message
            for what, found in whats.items()
        ]
        parts = [
            f"{part}, {row_ranges(r.row for r in found)}"
            for part, found in zip(parts, whats.values(), strict=True)
        ]
        first = min(r.row for found in whats.values() for r in found)
        lines.append((kind, first, f"{kind}: {'; '.join(parts)}"))
    return lines

"""An action row of the plan: its cells read (ticks, years), and a cell split by a tab joined."""

from __future__ import annotations

from pipeline.model import Action
from pipeline.plan.cells import is_debris, read_tick, read_year
from pipeline.plan.layout import Layout

_TICK_WHAT = {
    "cyrillic": "Cyrillic 'х' read as ticks",
    "overflow": "repeated marks ('x x x', merged cells overflowing) read as one tick",
}


def read_action(layout: Layout, number: int, cells: list[str], has_goal: bool) -> Action | None:
    """The action on a theme's row, or None (a row holding only a goal's text)."""
    text = layout.cell(cells, "action")
    others = [
        c
        for c, value in enumerate(cells)
        if value and c != layout.cols["goal"] and not is_debris(value)
    ]
    if not text:
        if others:
            layout.problem(
                number,
                "plan-row",
                "row has no action; remove it or add one",
                col=layout.cols["action"],
            )
        return None
    if not has_goal:
        layout.problem(
            number,
            "plan-no-goal",
            f"action {text!r} comes before any goal; add its goal above it",
            col=layout.cols["goal"],
        )
        return None
    measure = layout.cell(cells, "measure")
    if not measure:
        layout.problem(
            number,
            "plan-no-measure",
            f'no success measure for "{text}"; add one',
            col=layout.cols["measure"],
        )
    year = read_year(layout.cell(cells, "year"))
    if year.note:
        layout.repair(number, layout.cols["year"], "years", "years read through a typo", year.note)
    flags = []
    for col in layout.strategic:
        value = cells[col].strip() if col < len(cells) else ""
        tick, note = read_tick(value)
        name = layout.column_name(col)
        if note:
            layout.repair(
                number,
                col,
                "ticks",
                _TICK_WHAT[note],
                f"{name}: {value!r} read as a tick",
            )
        if value and not tick:
            layout.problem(
                number,
                "plan-tick",
                f"{name}: {value!r} is not a tick, so it is read as none; write x to tick it, "
                "or clear the cell",
                "warning",
                col=col,
            )
        flags.append(tick)
    return Action(
        text,
        measure,
        year.shown,
        layout.cell(cells, "alignment"),
        tuple(flags),
        number,
        year.parts,
    )


def rejoin(layout: Layout, number: int, cells: list[str]) -> list[str]:
    """A tab typed inside a sentence splits its cell in two and pushes the rest of the row
    one column right: join the cell back where that makes every tick column a tick."""

    def fits(row: list[str]) -> bool:
        extra = row[1 + max([*layout.cols.values(), *layout.strategic]) :]
        ticks = [row[c] for c in layout.strategic if c < len(row)]
        return all(is_debris(e) for e in extra) and all(not t or read_tick(t)[0] for t in ticks)

    if fits(cells):
        return cells
    candidates = [
        col
        for col in (layout.cols.get(key) for key in ("goal", "action", "measure"))
        if col is not None and col + 1 < len(cells) and cells[col] and cells[col + 1]
    ]
    # a sentence goes on in lower case: prefer the split whose second half does
    candidates.sort(key=lambda col: not cells[col + 1][:1].islower())
    for col in candidates:
        joined = [*cells[:col], f"{cells[col]} {cells[col + 1]}", *cells[col + 2 :]]
        if fits(joined):
            layout.repair(
                number,
                col,
                "cells",
                "cells split by a tab joined",
                f"a cell split by a tab was joined: {joined[col]!r}",
            )
            return joined
    return cells

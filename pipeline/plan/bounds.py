"""The action plan's budget: its sheet's used range, and what its cells may hold.

A workbook of 10 KB can declare a cell at XFD1048576, and a plan read as a grid would then be
sixteen thousand columns by a million rows; a CSV of 100,000 rows would take LibreOffice hours
to lay out. The used range is checked before any grid is built, and each cell's text before it
goes anywhere (Word's XML cannot hold control characters).
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import UnsafeFile
from pipeline.limits import PLAN_CELL_CHARS, PLAN_COLUMNS, PLAN_ROWS
from pipeline.plan.cells import column_letter

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def check_extent(path: Path, sheet: str | None, rows: int, columns: int) -> None:
    """Refuse a sheet whose used range (`rows` by `columns`) is over the plan's budget."""
    if rows <= PLAN_ROWS and columns <= PLAN_COLUMNS:
        return
    where = f"sheet {sheet!r} " if sheet else ""
    corner = f"{column_letter(columns - 1)}{rows}" if sheet is not None else f"row {rows}"
    raise UnsafeFile(
        f"{path}: {where}reaches {corner} ({rows:,} rows, {columns:,} columns), over the "
        f"limit of {PLAN_ROWS:,} rows and {PLAN_COLUMNS} columns for a plan; delete what lies "
        "beyond the plan, or split it"
    )


def cell_problems(rows: list[tuple[int, list[str]]]) -> list[tuple[int, str]]:
    """(row, message) for each row with a cell that cannot go into the pack."""
    found = []
    for number, cells in rows:
        for col, cell in enumerate(cells):
            bad = _CONTROL.search(cell)
            if bad:
                found.append(
                    (
                        number,
                        f"column {column_letter(col)}: control character "
                        f"U+{ord(bad[0]):04X} in the cell; delete it",
                    )
                )
                break
            if len(cell) > PLAN_CELL_CHARS:
                found.append(
                    (
                        number,
                        f"column {column_letter(col)}: {len(cell):,} characters, over the "
                        f"limit of {PLAN_CELL_CHARS:,} for a cell; shorten it",
                    )
                )
                break
    return found

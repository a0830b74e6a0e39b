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


_SPREADSHEET_ERROR = re.compile(
    r"#(?:REF!|VALUE!|DIV/0!|N/A|NAME\?|NULL!|NUM!|SPILL!|CALC!|FIELD!|BLOCKED!|GETTING_DATA)"
)
"""What a spreadsheet shows in a cell whose formula fails (kept by its exports as text)."""


def cell_problems(rows: list[tuple[int, list[str]]]) -> list[tuple[int, int, str]]:
    """(row, column, message) for each row's first cell that cannot go into the pack."""
    found = []
    for number, cells in rows:
        for col, cell in enumerate(cells):
            bad = _CONTROL.search(cell)
            if _SPREADSHEET_ERROR.fullmatch(cell.strip()):
                message = (
                    f"the cell shows {cell.strip()}, a formula that fails; correct it, or type "
                    "the text it should show"
                )
            elif bad:
                message = f"control character U+{ord(bad[0]):04X} in the cell; delete it"
            elif len(cell) > PLAN_CELL_CHARS:
                message = (
                    f"{len(cell):,} characters, over the limit of {PLAN_CELL_CHARS:,} for a cell; "
                    "shorten it"
                )
            else:
                continue
            found.append((number, col, message))
            break
    return found

"""The plan's rows, from an .xlsx workbook (the sheet that holds the plan) or a .csv/.tsv file."""

from __future__ import annotations

import csv
import functools
import io
import re
from pathlib import Path

from pipeline.errors import UnsafeFile, UnsavedFormulas
from pipeline.hashing import sha256_file
from pipeline.limits import Exceeded, bounded
from pipeline.plan import xlsx
from pipeline.plan.bounds import check_extent
from pipeline.plan.cells import column_letter

PLAN_NAMES = ("action-plan.xlsx", "action-plan.csv", "action-plan.tsv")
GOAL_HEADINGS = ("goal", "goals")
THEME_HEADINGS = ("theme", "themes")

Rows = list[tuple[int, list[str]]]
"""(row number, cell texts) for every row of a sheet."""


class SheetError(ValueError):
    """The file holds no sheet to read the plan from (no worksheet, no such sheet)."""


def find_plan(root: Path) -> Path | None:
    """The plan file in an inputs folder, if any."""
    for name in PLAN_NAMES:
        if (root / name).is_file():
            return root / name
    return None


_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
"""Characters that show nothing: a soft hyphen, zero-width spaces and joiners, a BOM."""


def heading(cell: str) -> str:
    """A header cell as compared with the known column names: lower case, no trailing colon,
    spaces (a line break in a wrapped header, a no-break space, two spaces) as one, nothing
    invisible."""
    return " ".join(_INVISIBLE.sub("", cell).lower().split()).rstrip(":").strip()


def read_sheet(path: Path, sheet: str | None = None) -> tuple[str | None, Rows]:
    """The name of the sheet read (None for text files) and its rows."""
    if path.suffix.lower() == ".xlsx":
        name, rows = _workbook_rows(path, sha256_file(path), sheet)
        return name, [(n, list(cells)) for n, cells in rows]  # the caller's own
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:  # Excel's plain "CSV" is the Windows code page
        raise UnsafeFile(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8' or as .xlsx"
        ) from exc
    delimiter = _delimiter(text, "\t" if path.suffix.lower() == ".tsv" else ",")
    # rows end at line ends alone: a quoted cell keeps its line breaks, and the characters
    # `str.splitlines` also breaks at (U+2028, NEL, form feed) stay in their cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [(n, [c.strip() for c in row]) for n, row in enumerate(reader, start=1)]
    check_extent(path, None, len(rows), max((len(cells) for _, cells in rows), default=0))
    return None, rows


@functools.lru_cache(maxsize=4)
def _workbook_rows(path: Path, digest: str, sheet: str | None) -> tuple[str | None, Rows]:
    """An untrusted workbook read under a time and memory limit; the same bytes read again
    (a watch, a preview: a plan not edited, at every save) are not read again (`digest`)."""
    try:
        return bounded(path, lambda: _xlsx_rows(path, sheet))
    except Exceeded as exc:
        raise UnsafeFile(str(exc)) from exc


def _delimiter(text: str, usual: str) -> str:
    """What separates the cells: the one of `,` `;` tab that splits the header row (the first
    line starting with Goal, or with Theme in a plan with a Theme column) into most cells.
    Spreadsheets in countries that write decimal commas save "CSV" with semicolons; a .csv may
    also hold tabs."""
    for line in text.split("\n"):
        if line.strip().strip('"').lower().startswith(("goal", "theme")):
            counts = {
                d: len(next(csv.reader([line], delimiter=d))) for d in (usual, ",", ";", "\t")
            }
            return max(counts, key=lambda d: counts[d])  # the usual one wins a tie
    return usual


def _xlsx_rows(path: Path, name: str | None = None) -> tuple[str, Rows]:
    """The rows of sheet `name`, or of the sheet that holds the plan: the first with a header
    row starting with Goal (one named for the plan first), else the first sheet."""
    found = xlsx.sheets(path)
    if not found:
        raise SheetError("the workbook has no worksheet")
    if name is not None:
        chosen = next((s for s in found if s.name == name), None)
        if chosen is None:
            raise SheetError(f"no sheet {name!r} (sheets: {', '.join(s.name for s in found)})")
    else:

        def holds_plan(sheet: xlsx.Sheet) -> bool:
            return any(holds_header(row) for row in sheet.rows.values())

        # a hidden sheet (an old copy of the plan, a lookup list) only when asked for by name
        shown = [s for s in found if not s.hidden] or found
        ordered = sorted(shown, key=lambda s: "plan" not in s.name.lower())
        chosen = next((s for s in ordered if holds_plan(s)), shown[0])
    if chosen.unsaved:
        row, col = chosen.unsaved[0]
        more = f" and {len(chosen.unsaved) - 1} more" if len(chosen.unsaved) > 1 else ""
        raise UnsavedFormulas(
            f"cell {column_letter(col)}{row}{more} hold formulas whose results the file does not "
            f"keep (sheet {chosen.name!r}; a program that does not calculate wrote it); open it "
            "in Excel or LibreOffice and save it again"
        )
    width = 1 + max((c for cells in chosen.rows.values() for c in cells), default=0)
    last = max(chosen.rows, default=0)
    check_extent(path, chosen.name, last, width)  # before the grid is built
    _spread_merged(chosen)
    return chosen.name, [
        (n, [chosen.rows.get(n, {}).get(c, "").strip() for c in range(width)])
        for n in range(1, last + 1)
    ]


def _spread_merged(sheet: xlsx.Sheet) -> None:
    """A cell merged down over several rows below the header (a success measure, a year or a
    tick shared by a goal's actions) shows its value on each of them: given to each row. The
    Goal (and Theme) column's merged blocks are left as they are, one goal to a block, and a
    merge across a row (a banner) is not one down rows."""
    header = next((n for n in sorted(sheet.rows) if holds_header(sheet.rows[n])), None)
    if header is None:
        return
    names = {col: heading(text) for col, text in sheet.rows[header].items()}
    kept = {col for col, name in names.items() if name in GOAL_HEADINGS or name in THEME_HEADINGS}
    for top, left, bottom, _ in sheet.merged:
        value = sheet.rows.get(top, {}).get(left, "")
        if top <= header or bottom <= top or left in kept or not value:
            continue
        for number in range(top + 1, bottom + 1):
            sheet.rows.setdefault(number, {}).setdefault(left, value)


def holds_header(row: dict[int, str]) -> bool:
    """Whether a sheet's row is the plan's header: Goal first, or Theme first and a Goal."""
    first = heading(row.get(0, ""))
    return first in GOAL_HEADINGS or (first in THEME_HEADINGS and _has_goal(row))


def _has_goal(row: dict[int, str]) -> bool:
    return any(heading(text) in GOAL_HEADINGS for text in row.values())


def theme_aims(path: Path, skip: str | None) -> dict[str, str]:
    """Theme name (lower case) -> aim, from a `Theme | Aim` table on another sheet of the
    workbook (the published plan's summary): a plan with a Theme column has no banner rows.
    The workbook is read again for them, as for the plan's rows: within the time and memory
    budget."""
    if path.suffix.lower() != ".xlsx":
        return {}
    try:
        return bounded(path, lambda: _aims(path, skip))
    except Exceeded as exc:
        raise UnsafeFile(str(exc)) from exc


def _aims(path: Path, skip: str | None) -> dict[str, str]:
    aims: dict[str, str] = {}
    for found in xlsx.sheets(path):
        if found.name == skip:
            continue
        reading: int | None = None
        for number in sorted(found.rows):
            cells = found.rows[number]
            names = {heading(text): col for col, text in cells.items()}
            if reading is None:
                if heading(cells.get(0, "")) in THEME_HEADINGS and "aim" in names:
                    reading = names["aim"]
                continue
            if number - 1 not in found.rows or not cells.get(0, "").strip():
                break
            aims.setdefault(cells[0].strip().lower(), cells.get(reading, "").strip())
    return aims

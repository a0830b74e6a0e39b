"""The action plan's table (or one table per theme, as the pack renders it) written as the
plan spreadsheet `pack plan` reads: the header once, a banner row per theme (from a banner
row of the table, or the paragraph just above a theme's table), each action a row, each
goal's cell merged over its actions (a goal continued from a page before, `V1 (continued)`,
is the same goal). Cells keep their Markdown (bold, links)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pipeline.form import Theme
from pipeline.importer.locate import Piece
from pipeline.review.to_markdown import inline
from pipeline.word.blocks import Para, Span, TableBlock

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

_CONTINUED = re.compile(r"^\s*(\S+)\s*\(continued\)\s*$", re.I)


def _none(span: Span) -> str:
    return ""


def cell_text(cell: list[Para]) -> str:
    """A cell's Markdown; formatting over the whole cell (the pack's bold goals and ticks, a
    table style's) is the table's look, not the text's, and is left out."""
    spans = [s for p in cell for s in p.spans if s.kind == "text" and s.text.strip()]
    whole = {name for name in ("bold", "italic") if spans and all(getattr(s, name) for s in spans)}
    out = []
    for p in cell:
        plain = [
            replace(
                s, bold=s.bold and "bold" not in whole, italic=s.italic and "italic" not in whole
            )
            for s in p.spans
        ]
        out.append(inline(plain, _none, _none, cell=True))
    return " ".join(out).strip()


def is_plan_table(block: TableBlock) -> bool:
    """A table headed as an action plan is: a Goal column, an Actions column and a Success
    measures or Year column (a summary headed Theme | Goals | Actions is not)."""
    from pipeline.plan.layout import COLUMNS
    from pipeline.plan.sheet import heading

    for row in block.rows[:3]:
        names = {heading(" ".join(p.text for p in cell)) for cell in row}
        if (
            names & set(COLUMNS["goal"])
            and names & set(COLUMNS["action"])
            and names & {*COLUMNS["measure"], *COLUMNS["year"]}
        ):
            return True
    return False


def banner_of(text: str, themes: tuple[Theme, ...]) -> bool:
    first = text.strip()
    return any(re.match(rf"{re.escape(t.name)}\s*(:|–|-|$)", first, re.I) for t in themes)


@dataclass
class PlanRows:
    """The rows of the plan's spreadsheet as they are gathered."""

    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    """Banner rows (one cell) and action rows, in order."""
    where: list[str] = field(default_factory=list)

    @property
    def actions(self) -> int:
        return sum(1 for row in self.rows if len(row) > 1 and any(row[1:]))

    def add(self, piece: Piece, banner: str | None, themes: tuple[Theme, ...]) -> None:
        """One plan table, after the paragraph `banner` if one stood just above it."""
        assert isinstance(piece.block, TableBlock)
        self.where.append(piece.where)
        if banner:
            self.rows.append([banner])
        header_seen = False
        for row in piece.block.rows:
            texts = [cell_text(cell) for cell in row]
            if not header_seen and is_plan_table(TableBlock([row], [], [])):
                header_seen = True
                if not self.header:
                    self.header = [" ".join(p.text for p in cell).strip() for cell in row]
                continue
            if not any(texts):
                continue
            if banner_of(texts[0], themes) and not any(texts[1:]):
                self.rows.append([texts[0]])
                continue
            continued = _CONTINUED.match(texts[0])
            if continued:
                texts[0] = ""
            self.rows.append(texts)


def workbook(plan: PlanRows) -> bytes:
    """The spreadsheet's bytes: every cell stored as text, goal cells merged."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Action plan"
    sheet.append(plan.header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    goal_start: int | None = None
    for values in plan.rows:
        row = sheet.max_row + 1
        for column, value in enumerate(values, start=1):
            if value:
                cell = sheet.cell(row, column, value)
                cell.data_type = "s"  # never a formula, whatever it starts with
                cell.quotePrefix = value.startswith(("=", "+", "-", "@"))
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(values) == 1:
            _merge(sheet, goal_start, row - 1)
            goal_start = None
            sheet.cell(row, 1).font = Font(bold=True)
        elif values[0]:
            _merge(sheet, goal_start, row - 1)
            goal_start = row
        elif goal_start is None:
            goal_start = row
    _merge(sheet, goal_start, sheet.max_row)
    for letter, width in zip("ABCDE", (34, 48, 40, 12, 18), strict=False):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _merge(sheet: Worksheet, start: int | None, end: int) -> None:
    """A goal's cell merged over its actions' rows, as people keep it."""
    if start is not None and end > start:
        sheet.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)

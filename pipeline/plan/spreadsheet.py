"""The published plan as a working spreadsheet (`pack plan --publish`): one row per action with
its theme and goal written out (no merged cells, so sorting and filtering work), a filter on the
header, print titles, landscape fit to width; the summary on a sheet of its own. The importer
reads it back to the same plan: each row's theme from the Theme column, the aims from the
summary's Theme | Aim table.

Text is stored as text: a cell that begins with `=`, `+`, `-` or `@` is never a formula."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipeline.files import atomic_path
from pipeline.plan.export import counts_by_year, year_columns

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.worksheet.worksheet import Worksheet

    from pipeline.model import Plan

HEADER = ("Theme", "Goal", "Actions", "Success measures", "Year", "Theme Alignment")
WIDTHS = (16, 30, 45, 40, 11, 16)
_PRIORITY_WIDTH = 14
_DARK, _LIGHT = "1F4E6B", "DCE8EF"


def _put(sheet: Worksheet, row: int, column: int, value: str | int | None) -> Any:
    """Write one cell; text always as text (quote-prefixed where a spreadsheet would take it
    for a formula)."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes "=..." a formula
        if value.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True  # and Excel would on the next edit
    return cell


def _header(sheet: Worksheet, values: list[str], row: int = 1) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for column, value in enumerate(values, start=1):
        cell = _put(sheet, row, column, value)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=_DARK)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _print_setup(sheet: Worksheet, last_column: str) -> None:
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.gridLines = False
    sheet.print_area = f"A1:{last_column}{sheet.max_row}"


def write_xlsx(plan: Plan, target: Path, title: str) -> Path:
    """The plan as a spreadsheet: the sheet `Action plan` (a row per action) and `Summary`."""
    from openpyxl import Workbook  # only publishing writes spreadsheets
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    del book[book.sheetnames[0]]  # the empty default sheet
    sheet = book.create_sheet("Action plan")
    header = [*HEADER, *plan.columns]
    _header(sheet, header)
    sheet.row_dimensions[1].height = 48  # three lines of a wrapped priority's name
    row = 1
    for theme in plan.themes:
        for goal in theme.goals:
            for action in goal.actions:
                row += 1
                values = [
                    theme.name,
                    f"{goal.code}: {goal.title}",
                    action.text,
                    action.measure,
                    action.year,
                    action.alignment or None,
                    *("x" if flag else None for flag in action.flags),
                ]
                for column, value in enumerate(values, start=1):
                    cell = _put(sheet, row, column, value)
                    centred = column == 5 or column > len(HEADER)
                    cell.alignment = Alignment(
                        wrap_text=True,
                        vertical="top",
                        horizontal="center" if centred else "left",
                    )
                    if column == 2:
                        cell.font = Font(bold=True)
    last = get_column_letter(len(header))
    for column, width in enumerate([*WIDTHS, *[_PRIORITY_WIDTH] * len(plan.columns)], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.auto_filter.ref = f"A1:{last}{max(row, 2)}"
    sheet.freeze_panes = "C2"
    _print_setup(sheet, last)
    _summary(book.create_sheet("Summary"), plan)
    book.properties.title = title
    book.properties.creator = "tc-pack"
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target


def _summary(sheet: Worksheet, plan: Plan) -> None:
    """Goals and actions per theme, actions per year (an action of two years under both), the
    aims; then the strategic priorities each theme serves."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    years = year_columns(plan)
    header = ["Theme", "Aim", "Goals", "Actions", *years]
    _header(sheet, header)
    row = 1
    for theme in plan.themes:
        actions = [a for g in theme.goals for a in g.actions]
        row += 1
        values: list[str | int] = [
            theme.name,
            theme.aim,
            len(theme.goals),
            len(actions),
            *counts_by_year(actions, years),
        ]
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, row, column, value)
            cell.alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="left" if column < 3 else "center"
            )
    row += 1
    total: list[str | int] = [
        "Total",
        "",
        sum(len(t.goals) for t in plan.themes),
        len(plan.actions),
        *counts_by_year(plan.actions, years),
    ]
    for column, value in enumerate(total, start=1):
        cell = _put(sheet, row, column, value or None)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="left" if column < 3 else "center")
    if plan.columns:
        row += 2
        _header(sheet, ["Theme", "Strategic priority", "Actions ticked"], row)
        for theme in plan.themes:
            actions = [a for g in theme.goals for a in g.actions]
            for index, name in enumerate(plan.columns):
                row += 1
                _put(sheet, row, 1, theme.name)
                _put(sheet, row, 2, name)
                _put(sheet, row, 3, sum(a.flags[index] for a in actions)).alignment = Alignment(
                    horizontal="center"
                )
    for column, width in enumerate([20, 60, 16, *[10] * (len(header) - 3)], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    _print_setup(sheet, get_column_letter(len(header)))

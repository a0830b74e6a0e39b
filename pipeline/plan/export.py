"""The action plan out again: as JSON (`pack plan --json`) and as the spreadsheet institutions
publish (`pack plan --publish`), in the layout the importer reads back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.files import atomic_path
from pipeline.model import Plan

HEADER = ("Goal", "Actions", "Success measures", "Year", "Theme Alignment")


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as read, with what was repaired on the way."""
    return {
        "columns": list(plan.columns),
        "themes": [
            {
                "name": theme.name,
                "aim": theme.aim,
                "goals": [
                    {
                        "code": goal.code,
                        "title": goal.title,
                        "actions": [
                            {
                                "action": action.text,
                                "measure": action.measure,
                                "year": action.year,
                                "alignment": action.alignment,
                                "flags": dict(zip(plan.columns, action.flags, strict=True)),
                            }
                            for action in goal.actions
                        ],
                    }
                    for goal in theme.goals
                ],
            }
            for theme in plan.themes
        ],
        "repairs": [{"row": row, "message": message} for row, message in plan.repairs],
    }


def write_xlsx(plan: Plan, target: Path, title: str) -> Path:
    """The plan as a spreadsheet: a banner row per theme, goal cells merged over their actions."""
    from openpyxl import Workbook  # only publishing writes spreadsheets
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.create_sheet("Action plan", 0)
    del book[book.sheetnames[1]]  # the empty default sheet
    header = (*HEADER, *plan.columns)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E6B")
    for theme in plan.themes:
        sheet.append([f"{theme.name}: {theme.aim}"])
        row = sheet.max_row
        sheet.cell(row, 1).font = Font(bold=True)
        sheet.cell(row, 1).fill = PatternFill("solid", fgColor="DCE8EF")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(header))
        for goal in theme.goals:
            first = sheet.max_row + 1
            for index, action in enumerate(goal.actions):
                sheet.append(
                    [
                        f"{goal.code}: {goal.title}" if index == 0 else None,
                        action.text,
                        action.measure,
                        action.year,
                        action.alignment or None,
                        *("x" if flag else None for flag in action.flags),
                    ]
                )
            if len(goal.actions) > 1:
                sheet.merge_cells(
                    start_row=first, start_column=1, end_row=sheet.max_row, end_column=1
                )
            sheet.cell(first, 1).font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip(
        "ABCDEFGHIJKL", (32, 45, 40, 11, 18, *[14] * len(plan.columns)), strict=False
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    book.properties.title = title
    book.properties.creator = "tc-pack"
    with atomic_path(target) as tmp:
        book.save(tmp)
    return target

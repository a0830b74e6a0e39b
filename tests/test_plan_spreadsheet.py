"""The published plan as a working spreadsheet: a row per action, no merged cells, a filter,
print titles, text never a formula; and read back to the same plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers.packs import EXAMPLE
from helpers.plan_shapes import THEMES, rows_of, without_repairs, write
from pipeline.plan.export import counts_by_year, plan_json, year_columns
from pipeline.plan.read import load_plan
from pipeline.plan.spreadsheet import write_xlsx

RISKY = ("=SUM(A1:A9)", "+44 20 7946 0000", "-5% waste", "@technicians")


def _plan_with_risky_cells(tmp_path: Path) -> Path:
    rows = rows_of("all")
    action_rows = [r for r in rows if r[1] and r[1] != "Actions"]
    for row, text in zip(action_rows, RISKY, strict=False):
        row[2] = text  # success measures that look like formulas
    return write(rows, tmp_path / "action-plan.tsv")


@pytest.mark.parametrize("source", ["example", "shapes"])
def test_import_publish_import_is_unchanged(source: str, tmp_path: Path) -> None:
    path = EXAMPLE / "action-plan.xlsx" if source == "example" else _plan_with_risky_cells(tmp_path)
    first, problems = load_plan(path, THEMES)
    assert first is not None
    assert not [p for p in problems if p.level == "error"]
    published = write_xlsx(first, tmp_path / "out" / "plan.xlsx", "Title")
    again, problems = load_plan(published, THEMES)
    assert again is not None
    assert problems == []
    assert without_repairs(plan_json(again)) == without_repairs(plan_json(first))
    # what we write needs no repair: only a typo in a year, kept as typed, is read through again
    assert [r.message for r in again.repairs] == [
        r.message for r in first.repairs if r.kind == "years"
    ]
    twice = write_xlsx(again, tmp_path / "out" / "again.xlsx", "Title")
    third, _ = load_plan(twice, THEMES)
    assert third is not None
    assert plan_json(third) == plan_json(again)


def test_the_published_spreadsheet_is_a_working_spreadsheet(tmp_path: Path) -> None:
    plan, _ = load_plan(_plan_with_risky_cells(tmp_path), THEMES)
    assert plan is not None
    book = load_workbook(write_xlsx(plan, tmp_path / "plan.xlsx", "Title"))
    assert book.sheetnames == ["Action plan", "Summary"]
    sheet = book["Action plan"]
    assert not sheet.merged_cells.ranges
    header = [c.value for c in sheet[1]]
    assert header == [
        "Theme", "Goal", "Actions", "Success measures", "Year", "Theme Alignment",
        "Education and student experience", "Research and impact",
        "Enterprise and innovation", "Global University",
    ]  # fmt: skip
    assert sheet.auto_filter.ref == f"A1:J{sheet.max_row}"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert all(c.alignment.wrap_text for c in sheet[1])
    assert sheet.max_row == 1 + len(plan.actions)  # one row per action, nothing else
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    first_goal = [r for r in rows if r[1] and r[1].startswith("V1:")]
    assert len(first_goal) == 4  # the goal written on each of its rows
    assert {r[1] for r in first_goal} == {
        "V1: Improved internal visibility of technicians across the University"
    }
    assert {r[0] for r in rows} == {t.name for t in THEMES}
    ticks = [c for row in sheet.iter_rows(min_row=2, min_col=7) for c in row if c.value]
    assert ticks
    assert {c.value for c in ticks} == {"x"}
    assert {c.alignment.horizontal for c in ticks} == {"center"}
    years = {r[4] for r in rows}
    assert {"2023/All", "2023/2024", "2024-2025", "AII"} <= years  # as typed, spacing tidied
    for each in book.worksheets:
        for row in each.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
    measures = [r[3] for r in rows]
    for text in RISKY:
        assert text in measures
        cell = next(c for c in sheet["D"] if c.value == text)
        assert cell.data_type == "s"
        assert cell.quotePrefix


def test_the_summary_sheet_counts_a_two_part_year_under_each(tmp_path: Path) -> None:
    plan, _ = load_plan(write(rows_of("all"), tmp_path / "action-plan.csv"), THEMES)
    assert plan is not None
    years = year_columns(plan)
    assert years == ["2023", "2024", "2025", "All"]
    visibility = [a for g in plan.themes[0].goals for a in g.actions]
    # 2023, 2023/All, 2023/2024, All, 2024-2025, AII, 2024, 2023-2024
    assert counts_by_year(visibility, years) == [4, 4, 1, 3]
    book = load_workbook(write_xlsx(plan, tmp_path / "plan.xlsx", "Title"))
    summary = list(book["Summary"].iter_rows(values_only=True))
    assert summary[0] == ("Theme", "Aim", "Goals", "Actions", "2023", "2024", "2025", "All")
    assert summary[1] == (
        "Visibility",
        "Ensure all technicians are identifiable and their work is visible",
        3,
        8,
        4,
        4,
        1,
        3,
    )
    assert book["Summary"].print_title_rows == "$1:$1"


def test_a_sorted_published_spreadsheet_reads_back_to_the_same_goals(tmp_path: Path) -> None:
    plan, _ = load_plan(write(rows_of("all"), tmp_path / "action-plan.csv"), THEMES)
    assert plan is not None
    path = write_xlsx(plan, tmp_path / "plan.xlsx", "Title")
    book = load_workbook(path)
    sheet = book["Action plan"]
    rows = sorted(sheet.iter_rows(min_row=2, values_only=True), key=lambda r: (r[4], r[2]))
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:  # sorted by year, as a reader might before filtering
        sheet.append(row)
    book.save(path)
    again, problems = load_plan(path, THEMES)
    assert again is not None
    assert problems == []

    def goals(p: object) -> dict[tuple[str, str, str], set[str]]:
        return {
            (t.name, g.code, g.title): {a.text for a in g.actions}
            for t in p.themes  # type: ignore[attr-defined]
            for g in t.goals
        }

    assert goals(again) == goals(plan)
    assert [[g.code for g in t.goals] for t in again.themes] == [
        [g.code for g in t.goals] for t in plan.themes
    ]
    assert [t.name for t in again.themes] == [t.name for t in plan.themes]
    assert [t.aim for t in again.themes] == [t.aim for t in plan.themes]


def test_a_workbook_is_read_again_only_when_its_bytes_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watch checks the plan at every save: the same bytes are not read (in a bounded child)
    again, each caller gets rows of its own, and a saved change is read."""
    from openpyxl import Workbook

    from pipeline.plan import sheet

    reads: list[Path] = []
    bounded = sheet.bounded
    monkeypatch.setattr(
        sheet, "bounded", lambda path, work: reads.append(path) or bounded(path, work)
    )
    path = tmp_path / "action-plan.xlsx"
    book = Workbook()
    book.active.append(["Goal", "Action"])
    book.active.append(["V1", "Hold an open day"])
    book.save(path)
    _, first = sheet.read_sheet(path)
    first[1][1][1] = "changed by its caller"
    _, again = sheet.read_sheet(path)
    assert len(reads) == 1
    assert again[1][1][1] == "Hold an open day"
    book.active["B2"] = "Hold two open days"
    book.save(path)
    _, edited = sheet.read_sheet(path)
    assert len(reads) == 2
    assert edited[1][1][1] == "Hold two open days"

"""Plans as other programs write them: the same plan read right from every shape a producer
gives it, or refused with the cell that needs attention."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook

from helpers.packs import TODAY
from helpers.plan_shapes import THEMES, expected, reads_right, rows_of, without_repairs, write
from pipeline.inputs.check import check
from pipeline.plan.export import plan_json
from pipeline.plan.read import load_plan, read_rows

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _parts(path: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Rewrite every part of the workbook at `path` through `change(name, data)`."""
    with zipfile.ZipFile(path) as old:
        items = [(item, change(item.filename, old.read(item))) for item in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item, data in items:
            new.writestr(item, data)


def _strict(name: str, data: bytes) -> bytes:
    """Strict Open XML (ISO 29500 Strict), as Excel's "Strict Open XML Spreadsheet" saves."""
    return data.replace(M.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main").replace(
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    )


def _no_references(name: str, data: bytes) -> bytes:
    """Cells and rows without their reference where it follows from the one before, as some
    producers write them (a row's first cell keeps its own when it is not in column A)."""
    if not name.startswith("xl/worksheets/"):
        return data
    root = etree.fromstring(data)
    for row in root.iter(f"{{{M}}}row"):
        del row.attrib["r"]
        previous = -1
        for cell in row.iter(f"{{{M}}}c"):
            letters = re.match(r"[A-Z]+", cell.get("r", ""))
            column = ord(letters[0]) - 65 if letters and len(letters[0]) == 1 else -2
            if column == previous + 1:
                del cell.attrib["r"]
            previous = column
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _phonetic(name: str, data: bytes) -> bytes:
    """Every string with a phonetic guide (furigana), as Japanese Excel keeps it."""
    if name != "xl/sharedStrings.xml":
        return data
    guide = b'<rPh sb="0" eb="1"><t>\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88</t></rPh><phoneticPr fontId="1"/></si>'
    return data.replace(b"</si>", guide)


@pytest.mark.parametrize(
    "producer", [_strict, _no_references, _phonetic], ids=["strict", "no-references", "phonetic"]
)
def test_a_workbook_as_another_program_writes_it_reads_as_the_plan(
    producer: Callable[[str, bytes], bytes], tmp_path: Path
) -> None:
    path = write(rows_of("plain"), tmp_path / "action-plan.xlsx")
    _parts(path, producer)
    reads_right(path)


def test_a_hidden_sheet_is_not_taken_for_the_plan(tmp_path: Path) -> None:
    path = write(rows_of("plain"), tmp_path / "action-plan.xlsx")
    book = load_workbook(path)
    old = book.create_sheet("Old plan 2023", 0)
    for row in rows_of("plain"):
        old.append(
            [f"OLD {c}" if c and c[:1].isalpha() and c != "Goal" else c or None for c in row]
        )
    old.sheet_state = "hidden"
    book.save(path)
    reads_right(path)
    asked = read_rows(path, "Old plan 2023")  # by name: read
    assert any(cell.startswith("OLD ") for _, cells in asked for cell in cells)


def _headers(path: Path, names: dict[str, str]) -> None:
    book = load_workbook(path)
    for cell in book.active[1]:
        cell.value = names.get(str(cell.value), cell.value)
    book.save(path)


def test_headers_wrapped_spaced_or_with_invisible_characters_are_found(tmp_path: Path) -> None:
    path = write(rows_of("plain"), tmp_path / "action-plan.xlsx")
    _headers(
        path,
        {
            "Success measures": "Success\nmeasures",
            "Actions": "Actions\u200b",
            "Theme Alignment": "Theme\u00a0 Alignment:",
            "Year": " Year",
        },
    )
    reads_right(path)


def test_a_column_of_its_own_in_a_workbook_moves_no_cell(tmp_path: Path) -> None:
    """A tab typed in a CSV cell pushes the row right, and the reader joins it back; in a
    workbook a cell is a cell: a column the plan does not know (a lead's name) is read as a
    priority column with a warning per name, and nothing is joined."""
    rows = rows_of("plain")
    rows = [[*row[:5], "Lead" if n == 0 else ("Technician Network" if row[1] else ""), *row[5:]]
            for n, row in enumerate(rows)]  # fmt: skip
    path = write(rows, tmp_path / "action-plan.xlsx")
    plan, problems = load_plan(path, THEMES)
    assert plan is not None
    assert {p.code for p in problems} == {"plan-tick"}  # 'Technician Network' is not a tick
    assert [r for r in plan.repairs if r.kind == "cells"] == []
    got = without_repairs(plan_json(plan))
    want = expected()
    for theme, wanted in zip(got["themes"], want["themes"], strict=True):
        for goal, goal_wanted in zip(theme["goals"], wanted["goals"], strict=True):
            assert goal["title"] == goal_wanted["title"]
            assert [(a["action"], a["measure"], a["year"]) for a in goal["actions"]] == [
                (a["action"], a["measure"], a["year"]) for a in goal_wanted["actions"]
            ]


def test_numbers_are_shown_as_their_format_shows_them(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Goal", "Actions", "Success measures", "Year"])
    sheet.append(["V1: Seen", "Survey", 0.85, dt.date(2027, 3, 31)])
    sheet.append([None, "Budget", 60000, 2027])
    sheet.append([None, "Share", 0.125, dt.datetime(2027, 9, 1)])
    sheet["C2"].number_format = "0%"
    sheet["C4"].number_format = "0.0%"
    sheet["D2"].number_format = "dd/mm/yyyy"
    sheet["C3"].number_format = '"£"#,##0'
    path = tmp_path / "plan.xlsx"
    book.save(path)
    assert read_rows(path)[1:] == [
        (2, ["V1: Seen", "Survey", "85%", "2027-03-31"]),
        (3, ["", "Budget", "60000", "2027"]),
        (4, ["", "Share", "12.5%", "2027-09-01"]),
    ]


def _example_plan(example: Path) -> Path:
    path = example / "action-plan.xlsx"
    if not path.exists():
        write(rows_of("plain"), path)
        for other in example.glob("action-plan.*"):
            if other != path:
                other.unlink()
    return path


def test_a_formula_whose_result_was_never_saved_is_named(example: Path) -> None:
    """openpyxl, pandas and other programs that do not calculate save formulas without their
    results: what the cell shows is not in the file."""
    path = _example_plan(example)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet["B7"] = "=B6"
    book.save(path)
    pack, problems = check(example, TODAY)
    assert pack is None
    found = [p for p in problems if p.path.name == "action-plan.xlsx"]
    assert [p.code for p in found] == ["plan-formula"]
    assert found[0].message.startswith("cell B7 hold formulas whose results the file does not")
    assert "save it again" in found[0].message


def test_a_cell_showing_a_spreadsheet_error_is_named(example: Path) -> None:
    path = _example_plan(example)
    book = load_workbook(path)
    book.worksheets[0]["C8"] = "#REF!"
    book.save(path)
    pack, problems = check(example, TODAY)
    assert pack is None
    found = [(p.code, p.line, p.message) for p in problems if p.path.name == "action-plan.xlsx"]
    assert found[0][:2] == ("plan-cell", 8)
    assert found[0][2].startswith("the cell shows #REF!, a formula that fails; correct it")
    assert found[0][2].endswith("(sheet 'Action plan', cell C8)")


def test_a_workbook_damaged_inside_is_refused_by_name(example: Path) -> None:
    path = _example_plan(example)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        item = max(archive.infolist(), key=lambda i: i.compress_size)  # the sheet
    start = item.header_offset + 30 + len(item.filename) + len(item.extra)
    for at in range(start + 8, start + 24):  # inside its compressed data: CRC or inflate fails
        data[at] ^= 0xFF
    path.write_bytes(bytes(data))
    pack, problems = check(example, TODAY)
    assert pack is None
    found = [(p.code, p.message) for p in problems if p.path.name == "action-plan.xlsx"]
    assert len(found) == 1
    assert found[0][0] == "plan-unsafe"
    assert found[0][1].startswith("damaged (part xl/worksheets/sheet1.xml: ")
    assert found[0][1].endswith("; save it again from the program that made it")


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".xlsm", ".numbers"])
def test_a_plan_in_a_format_not_read_is_named(example: Path, suffix: str) -> None:
    for plan in example.glob("action-plan.*"):
        plan.rename(plan.with_suffix(suffix))
        break
    pack, problems = check(example, TODAY)
    assert pack is None
    found = [(p.code, p.path.name, p.message) for p in problems if p.code.startswith("plan")]
    assert found == [
        (
            "plan-format",
            f"action-plan{suffix}",
            f"a {suffix} file is not read; save it as action-plan.xlsx (Excel Workbook) or "
            "action-plan.csv (CSV UTF-8)",
        )
    ]


def test_a_csv_cell_keeps_its_line_breaks_and_unusual_line_separators(tmp_path: Path) -> None:
    rows = rows_of("plain")
    at = next(n for n, row in enumerate(rows) if n and row[1])  # an action's row
    rows[at][1] = "Add technical skills\nand specialist equipment"
    rows[at][2] = "Two sessions a year\u2028each recorded"
    workbook = without_repairs(
        plan_json(load_plan(write(rows, tmp_path / "action-plan.xlsx"), THEMES)[0])
    )
    for name in ("action-plan.csv", "action-plan.tsv"):
        plan, problems = load_plan(write(rows, tmp_path / name), THEMES)
        assert problems == []
        assert without_repairs(plan_json(plan)) == workbook


def test_a_semicolon_csv_of_a_plan_with_a_theme_column(tmp_path: Path) -> None:
    path = tmp_path / "action-plan.csv"
    path.write_text(
        "Theme;Goal;Actions;Success measures;Year\n"
        "Visibility;V1: Seen;Publish profiles;20 profiles, published;2027\n"
        "Visibility;;Open day;One a year;All\n",
        encoding="utf-8",
    )
    plan, problems = load_plan(path, THEMES)
    assert plan is not None, problems
    assert {p.code for p in problems} == {"plan-theme-missing"}  # only Visibility has actions
    assert [a.text for t in plan.themes for g in t.goals for a in g.actions] == [
        "Publish profiles",
        "Open day",
    ]


def test_a_cell_merged_down_a_goals_rows_counts_for_each_of_them(tmp_path: Path) -> None:
    """A success measure, a year and a tick shared by a goal's actions, typed once in a cell
    merged down over their rows: each action has them, as the sheet shows."""
    rows = rows_of("plain")
    header = rows[0]
    measure, year, tick = 2, 3, len(header) - 1
    first = next(n for n, row in enumerate(rows) if n and row[0] and row[1])  # a goal's first row
    count = 1
    while rows[first + count][1] and not rows[first + count][0]:
        count += 1
    assert count >= 2
    shown = [list(row) for row in rows]
    for n in range(first, first + count):
        shown[n][measure], shown[n][year], shown[n][tick] = "One report a year", "2027", "x"
    merged = [list(row) for row in shown]
    for n in range(first + 1, first + count):
        merged[n][measure] = merged[n][year] = merged[n][tick] = ""
    path = write(merged, tmp_path / "action-plan.xlsx")
    book = load_workbook(path)
    for col in (measure, year, tick):
        letter = chr(65 + col)
        book.active.merge_cells(f"{letter}{first + 1}:{letter}{first + count}")
    book.save(path)
    plan, problems = load_plan(path, THEMES)
    want, want_problems = load_plan(write(shown, tmp_path / "shown.xlsx"), THEMES)
    assert problems == want_problems
    assert plan is not None
    assert want is not None
    assert without_repairs(plan_json(plan)) == without_repairs(plan_json(want))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_header_repeated_under_each_banner_is_read_through(fmt: str, tmp_path: Path) -> None:
    """Plans kept as a table per theme, or printed with the header on every page, repeat it."""
    rows = rows_of("plain")
    repeated = [rows[0]]
    for row in rows[1:]:
        repeated.append(row)
        if not row[1] and row[0]:  # a banner: the theme's table starts with its own header
            repeated.append(list(rows[0]))
    plan, problems = load_plan(write(repeated, tmp_path / f"action-plan.{fmt}"), THEMES)
    assert problems == []
    assert plan is not None
    assert without_repairs(plan_json(plan)) == expected()
    assert "header rows repeated" in {r.what for r in plan.repairs}

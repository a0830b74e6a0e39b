"""The spreadsheet reader: values, merged cells, sheets; hostile and damaged files refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import TODAY
from pipeline.errors import UnsafeFile
from pipeline.inputs.check import check
from pipeline.plan.read import read_rows
from pipeline.plan.xlsx import sheets


def test_values_merged_cells_and_the_plan_sheet(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "not the plan"
    plan = book.create_sheet("Action plan 2027")
    plan.append(["Goal", "Actions", "Year", "Count", "Done"])
    plan.append(["V1: Seen", "Directory & <profiles>", 2027, 2.5, True])
    plan.append([None, "Open day", "All", None, False])
    plan.merge_cells("A2:A3")
    path = tmp_path / "plan.xlsx"
    book.save(path)

    found = sheets(path)
    assert [s.name for s in found] == ["Notes", "Action plan 2027"]
    assert found[1].merged == ((2, 0, 3, 0),)
    assert read_rows(path) == [
        (1, ["Goal", "Actions", "Year", "Count", "Done"]),
        (2, ["V1: Seen", "Directory & <profiles>", "2027", "2.5", "TRUE"]),
        (3, ["", "Open day", "All", "", "FALSE"]),
    ]


def _rewrite(source: Path, target: Path, part: str, data: bytes) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, data if item.filename == part else old.read(item))


def test_entities_are_refused(tmp_path: Path, example: Path) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><sst/>'
    )
    _rewrite(example / "action-plan.xlsx", tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", bomb)
    with pytest.raises(UnsafeFile, match="has a DOCTYPE; refused"):
        sheets(tmp_path / "bomb.xlsx")


def test_a_damaged_sheet_is_a_problem_not_a_crash(example: Path) -> None:
    plan = example / "action-plan.xlsx"
    damaged = plan.with_name("damaged.xlsx")
    _rewrite(plan, damaged, "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>")
    damaged.replace(plan)
    pack, problems = check(example, TODAY)
    assert pack is None
    assert [(p.code, p.path.name) for p in problems] == [("plan-unreadable", "action-plan.xlsx")]


def test_a_text_file_named_xlsx_is_refused(example: Path) -> None:
    (example / "action-plan.xlsx").write_text("Goal,Actions\n")
    pack, problems = check(example, TODAY)
    assert pack is None
    assert [(p.code, p.message) for p in problems] == [
        ("plan-unsafe", "not an Office file (not a zip archive)")
    ]

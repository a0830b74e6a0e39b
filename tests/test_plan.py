"""The action plan as people keep it: every quirk of a real spreadsheet, read and reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from helpers.packs import TODAY
from pipeline.cli import cli
from pipeline.form import load_form
from pipeline.inputs.check import check
from pipeline.plan.cells import read_tick, read_year
from pipeline.plan.read import load_plan

THEMES = load_form("initial").themes


@pytest.mark.parametrize(
    ("cell", "shown", "parts", "repaired"),
    [
        ("All", "All", ("All",), False),
        ("AII", "AII", ("All",), True),  # a capital I typed for l: read as All, shown as typed
        ("all", "all", ("All",), False),
        ("2027", "2027", ("2027",), False),
        ("2027/ 2028", "2027/2028", ("2027", "2028"), False),
        ("2027- 2028", "2027-2028", ("2027", "2028"), False),
        ("2028 – 2027", "2028–2027", ("2027", "2028"), False),
        ("2027-2029", "2027-2029", ("2027", "2028", "2029"), False),
        ("2023/All", "2023/All", ("2023", "All"), False),
        ("2023 /AII", "2023/AII", ("2023", "All"), True),
        ("", "", (), False),
        ("soon", "soon", (), False),  # kept; pack check warns
    ],
)
def test_years(cell: str, shown: str, parts: tuple[str, ...], repaired: bool) -> None:
    year = read_year(cell)
    assert (year.shown, year.parts) == (shown, parts)
    assert (year.note is not None) == repaired


@pytest.mark.parametrize(
    ("cell", "tick", "repaired"),
    [
        ("x", True, False),
        ("X", True, False),
        ("х", True, True),
        ("Х", True, True),
        ("✓", True, False),
        ("yes", True, False),
        ("x x x x x", True, True),
        ("х x Х", True, True),
        ("", False, False),
        ("maybe", False, False),
    ],
)
def test_ticks(cell: str, tick: bool, repaired: bool) -> None:
    assert read_tick(cell)[0] is tick
    assert (read_tick(cell)[1] is not None) == repaired


REAL = (
    "Goal:\tActions\tSuccess measures\tYear\tTheme Alignment\tKelderwick\tResearch and impact\tEducation\t\t\n"
    "Visibility: Ensure all technicians are identifiable\t\t\t\t\t\t\t\t\t\n"
    "V1: Improved internal visibility of\tPublish a directory\tDirectory live\t2027\t\tx\tх\t\t\t\n"
    "technicians across the University\tHold an open\tday\tOpen day held\tAII\tRecognition\tx x x\t\t\t\n"
    ",\t\t\t\t\t\t\t\t\t\n"
    "\tWrite profiles\tProfiles written\t2027/ 2028\t\t\tX\t\t\t\n"
    "Recognition: Support registration\t\t\t\t\t\t\t\t\t\n"
    "R1: Registration\tPay fees\t50 registered\t2028- 2029\t\t\t\tx\t\t\n"
    "Career Development: Pathways\t\t\t\t\t\t\t\t\t\n"
    "CD1: Paths\tWrite pathways\tPathways published\tAll\t\t\t\t\t\t\n"
    "Sustainability: Skills\t\t\t\t\t\t\t\t\t\n"
    "S1: Apprentices\tRecruit apprentices\tTen hired\t2027\t\t✓\t\t\t\t\n"
)


def test_a_plan_as_exported_from_a_real_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "action-plan.tsv"
    path.write_text(REAL, encoding="utf-8")
    plan, problems = load_plan(path, THEMES)
    assert problems == []
    assert plan is not None
    assert plan.columns == ("Kelderwick", "Research and impact", "Education")
    visibility = plan.themes[0]
    assert (visibility.name, visibility.aim) == (
        "Visibility",
        "Ensure all technicians are identifiable",
    )
    (goal,) = visibility.goals
    assert (goal.code, goal.title) == (
        "V1",
        "Improved internal visibility of technicians across the University",
    )
    assert [(a.text, a.measure, a.year, a.alignment, a.flags) for a in goal.actions] == [
        ("Publish a directory", "Directory live", "2027", "", (True, True, False)),
        ("Hold an open day", "Open day held", "AII", "Recognition", (True, False, False)),
        ("Write profiles", "Profiles written", "2027/2028", "", (False, True, False)),
    ]
    assert [a.years for a in plan.actions] == [
        ("2027",),
        ("All",),
        ("2027", "2028"),
        ("2028", "2029"),
        ("All",),
        ("2027",),
    ]
    assert [a.year for a in plan.actions][3:] == ["2028-2029", "All", "2027"]
    assert [t.name for t in plan.themes] == [
        "Visibility",
        "Recognition",
        "Career Development",
        "Sustainability",
    ]
    assert [(r.cell, r.kind, r.message) for r in plan.repairs] == [
        ("G3", "ticks", "Research and impact: 'х' read as a tick"),
        ("B4", "cells", "a cell split by a tab was joined: 'Hold an open day'"),
        ("A4", "goals", "'technicians across the University' joined to V1's text"),
        ("D4", "years", "year 'AII' read as All (a capital I typed for l)"),
        ("F4", "ticks", "Kelderwick: 'x x x' read as a tick"),
        ("A5", "rows", "stray ',' in an otherwise empty row ignored"),
    ]


def test_repairs_are_warnings_in_check(pack_dir: Path) -> None:
    plan = pack_dir / "action-plan.csv"
    plan.write_text(
        plan.read_text().replace("Two open days a year,All", "Two open days a year,AII")
    )
    pack, problems = check(pack_dir, TODAY)
    assert pack is not None
    assert [(p.level, p.code, p.line, p.message) for p in problems] == [
        (
            "warning",
            "plan-repaired",
            4,
            "years: year 'AII' read as All (a capital I typed for l), row 4",
        )
    ]


def test_no_row_is_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "action-plan.csv"
    path.write_text(
        "Goal,Actions,Success measures,Year\n"
        "Visibility: aim,,,\n"
        "V1: Seen,Publish,Live,2027\n"
        ",,Orphan measure,2027\n"  # a measure with no action
        "Recogniton: typo,,,\n",  # a misspelt theme
        encoding="utf-8",
    )
    _, problems = load_plan(path, THEMES)
    assert [(p.code, p.line) for p in problems if p.line] == [
        ("plan-row", 4),
        ("plan-theme-unknown", 5),
    ]


def test_the_sheet_that_holds_the_plan_is_found(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Cover"
    book.active.append(["Action plan 2027-2029, University of Example"])
    other = book.create_sheet("Plan notes")
    other.append(["Notes only"])
    sheet = book.create_sheet("Sheet3")
    for row in REAL.splitlines():
        sheet.append(row.split("\t"))
    path = tmp_path / "action-plan.xlsx"
    book.save(path)
    plan, problems = load_plan(path, THEMES)
    assert plan is not None
    assert len(plan.actions) == 6
    _, problems = load_plan(path, THEMES, sheet="Cover")
    assert [p.code for p in problems] == ["plan-no-header"]
    _, problems = load_plan(path, THEMES, sheet="Nope")
    assert [p.message for p in problems] == [
        "cannot read the action plan: no sheet 'Nope' (sheets: Cover, Plan notes, Sheet3); "
        "give one of those names"
    ]


def without_repairs(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "repairs"}


@pytest.mark.parametrize("source", ["example", "quirky"])
def test_round_trip_through_xlsx(source: str, example: Path, tmp_path: Path) -> None:
    from pipeline.plan.export import plan_json
    from pipeline.plan.spreadsheet import write_xlsx

    if source == "example":
        path = example / "action-plan.xlsx"
    else:
        path = tmp_path / "action-plan.tsv"
        path.write_text(REAL, encoding="utf-8")
    first, problems = load_plan(path, THEMES)
    assert first is not None
    assert not problems
    exported = write_xlsx(first, tmp_path / "out" / "plan.xlsx", "Title")
    again, problems = load_plan(exported, THEMES)
    assert again is not None
    assert not problems
    # what we write needs no repair; a typo in a year is kept as typed, so is read through again
    assert {r.kind for r in again.repairs} <= {"years"}
    assert [r.message for r in again.repairs] == [
        r.message for r in first.repairs if r.kind == "years"
    ]
    assert without_repairs(plan_json(again)) == without_repairs(plan_json(first))


def test_plan_json_command(pack_dir: Path) -> None:
    plan = pack_dir / "action-plan.csv"
    plan.write_text(
        plan.read_text().replace("Two open days a year,All", "Two open days a year,AII")
    )
    result = CliRunner().invoke(cli, ["plan", str(pack_dir), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["columns"] == ["Research", "Education"]
    assert [t["name"] for t in data["themes"]] == [
        "Visibility",
        "Recognition",
        "Career Development",
        "Sustainability",
    ]
    assert data["themes"][0]["goals"][0]["actions"][1] == {
        "action": "Hold an open day",
        "measure": "Two open days a year",
        "year": "AII",  # as typed: the reading is in "years"
        "years": ["All"],
        "alignment": "Recognition",
        "flags": {"Research": False, "Education": True},
    }
    assert data["repairs"] == [
        {
            "row": 4,
            "cell": "D4",
            "kind": "years",
            "message": "year 'AII' read as All (a capital I typed for l)",
        }
    ]
    assert data["problems"] == []


def test_plan_command_summarises_and_refuses(pack_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["plan", str(pack_dir)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Visibility: 1 goal, 2 actions"
    (pack_dir / "action-plan.csv").write_text("Aim,Actions\n")
    result = CliRunner().invoke(cli, ["plan", str(pack_dir), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # JSON in every case, problems included
    assert [p["code"] for p in data["problems"]] == ["plan-no-header"]
    assert result.stderr.endswith(
        "the action plan could not be read (1 error); fix the problems above and run again\n"
    )
    result = CliRunner().invoke(cli, ["plan", str(pack_dir)])
    assert result.exit_code == 1
    assert "plan-no-header" not in result.stderr  # messages, not codes
    assert "no header row starting with 'Goal' was found" in result.stderr


@pytest.mark.libreoffice
def test_published_plan_opens_on_its_own(example: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from helpers.pdf import pdf_text, tokens
    from pipeline.plan.export import plan_json

    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["plan", str(example), "--publish", "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    pdf, xlsx, page = (Path(line) for line in result.stdout.splitlines())
    assert page.suffix == ".html"  # the web page: tests/test_accessible.py reads it
    assert pdf.name == "University-of-Kelderwick_Action-Plan_January_2027.pdf"
    reader = PdfReader(pdf)
    assert reader.metadata.title == "University of Kelderwick: Technician Commitment action plan"
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages)
    shown = tokens(pdf_text(pdf))
    plan, _ = load_plan(example / "action-plan.xlsx", THEMES)
    for action in plan.actions:
        missing = [t for t in tokens(action.text) if t not in shown]
        assert not missing, action.text
    again, problems = load_plan(xlsx, THEMES)  # import, publish, import: unchanged
    assert not problems
    assert without_repairs(plan_json(again)) == without_repairs(plan_json(plan))


def test_header_wording_varies(tmp_path: Path) -> None:
    path = tmp_path / "action-plan.csv"
    path.write_text(
        "Goals,Action,Success measure,Years,Also serves,Research\n"
        "VISIBILITY – Make technicians visible,,,,,\n"
        "v1. Seen,Publish,Live,2027,,yes\n"
        "Recognition,,,,,\nR1: Registered,Register,Fifty,2028,,\n"
        "Career Development: Paths,,,,,\nCD1: Paths,Write,Written,All,,\n"
        "Sustainability: Skills,,,,,\nS1: Apprentices,Recruit,Ten,2027,,✔\n",
        encoding="utf-8",
    )
    plan, problems = load_plan(path, THEMES)
    assert problems == []
    assert plan.columns == ("Research",)
    assert plan.themes[0].aim == "Make technicians visible"
    assert plan.themes[1].aim == THEMES[1].aim  # a banner with the name only: the form's aim
    assert (plan.themes[0].goals[0].code, plan.themes[0].goals[0].title) == ("V1", "Seen")
    assert [a.flags for a in plan.actions] == [(True,), (False,), (False,), (True,)]


def test_problems_in_a_workbook_name_the_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Plan 2027"
    for row in [
        "Goal,Actions,Success measures,Year",
        "Visibility: aim,,,",
        "V1: Seen,Publish,,2027",
    ]:
        sheet.append(row.split(","))
    path = tmp_path / "action-plan.xlsx"
    book.save(path)
    _, problems = load_plan(path, THEMES)
    assert [(p.line, p.message) for p in problems if p.line] == [
        (3, "no success measure for \"Publish\"; add one (sheet 'Plan 2027', cell C3)")
    ]


def test_plan_sheet_in_pack_toml_chooses_the_sheet(example: Path) -> None:
    toml = example / "pack.toml"
    toml.write_text(
        toml.read_text().replace(
            'framework = "initial"', 'framework = "initial"\nplan_sheet = "Nope"'
        )
    )
    pack, problems = check(example, TODAY)
    assert pack is None
    assert [(p.code, p.message) for p in problems] == [
        (
            "plan-unreadable",
            "cannot read the action plan: no sheet 'Nope' (sheets: Action plan); give one of "
            "those names",
        )
    ]
    toml.write_text(toml.read_text().replace('plan_sheet = "Nope"', 'plan_sheet = "Action plan"'))
    pack, problems = check(example, TODAY)
    assert problems == []


def _rows(text: str, delimiter: str) -> str:
    """The plan `text` (comma-separated) written with another separator."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerows(csv.reader(io.StringIO(text)))
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "delimiter"),
    [("action-plan.csv", ";"), ("action-plan.csv", "\t"), ("action-plan.tsv", ",")],
    ids=["semicolons in a .csv", "tabs in a .csv", "commas in a .tsv"],
)
def test_a_text_plan_is_read_whatever_separates_its_cells(
    tmp_path: Path, name: str, delimiter: str
) -> None:
    """Spreadsheets in countries that write decimal commas save "CSV" with semicolons."""
    from helpers.packs import PLAN_CSV

    expected, _ = load_plan(_written(tmp_path / "a" / "action-plan.csv", PLAN_CSV), THEMES)
    path = _written(tmp_path / "b" / name, _rows(PLAN_CSV, delimiter))
    plan, problems = load_plan(path, THEMES)
    assert problems == []
    assert plan is not None
    assert expected is not None
    assert plan.themes == expected.themes
    assert plan.columns == ("Research", "Education")


def test_a_plan_saved_in_the_windows_code_page_says_how_to_save_it(tmp_path: Path) -> None:
    from helpers.packs import PLAN_CSV

    path = tmp_path / "action-plan.csv"
    path.write_bytes(
        PLAN_CSV.replace("Write role profiles", "Write café profiles").encode("cp1252")
    )
    plan, problems = load_plan(path, THEMES)
    assert plan is None
    assert [(p.code, p.message) for p in problems] == [
        (
            "plan-unsafe",
            f"not UTF-8 text (byte {PLAN_CSV.index('Write role') + 9}); save it as 'CSV UTF-8' or as .xlsx",
        )
    ]


def _written(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

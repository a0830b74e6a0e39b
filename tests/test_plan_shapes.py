"""Export shapes of a plan, as `action-plan-shape.md` describes them, each read right from .xlsx,
.csv and .tsv: title rows, blank rows, debris in banner rows, aims cut across cells mid-word,
goal text centred in its rows, two-part years, every kind of tick."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from pipeline.form import load_form
from pipeline.plan.cells import tidy
from pipeline.plan.export import plan_json
from pipeline.plan.read import load_plan
from pipeline.plan.repairs import grouped

THEMES = load_form("initial").themes
COLUMNS = (
    "Education and student experience",
    "Research and impact",
    "Enterprise and innovation",
    "Global University",
)


@dataclass(frozen=True)
class Act:
    text: str
    measure: str
    year: str
    """As typed."""
    years: tuple[str, ...]
    """What it names."""
    alignment: str = ""
    ticks: tuple[str, ...] = ("", "", "", "")
    """As typed, one per strategic column."""


@dataclass(frozen=True)
class Aim:
    name: str
    """The theme as its banner writes it (any case)."""
    aim: str
    cut: tuple[str, ...] = ()
    """The aim as an export cut it across cells, mid-word, letters doubled at each cut."""


@dataclass(frozen=True)
class G:
    code: str
    lines: tuple[str, ...]
    actions: tuple[Act, ...]
    gap: bool = False
    """Its lines separated by a row with an empty Goal cell (centred shapes)."""


X, CYR, CYR_UP, OVER = "x", "х", "Х", "x x x x x"
PLAN: tuple[tuple[Aim, tuple[G, ...]], ...] = (
    (
        Aim("Visibility", "Ensure all technicians are identifiable and their work is visible"),
        (
            G(
                "V1",
                ("Improved internal visibility of", "technicians across the University"),
                (
                    Act(
                        "Publish a directory",
                        "Directory live",
                        "2023",
                        ("2023",),
                        "",
                        (X, CYR, "", ""),
                    ),
                    Act(
                        "Hold an open day",
                        "Two a year",
                        "2023/All",
                        ("2023", "All"),
                        "Recognition",
                        ("", "X", "", ""),
                    ),
                    Act(
                        "Write team profiles",
                        "36 profiles",
                        "2023/ 2024",
                        ("2023", "2024"),
                        "",
                        (OVER, "", "", ""),
                    ),
                    Act(
                        "Name technicians in papers",
                        "80% of papers",
                        "All",
                        ("All",),
                        "",
                        ("", "", "✓", ""),
                    ),
                ),
            ),
            G(
                "V2",
                ("Technicians credited in research outputs",),
                (
                    Act(
                        "Add a contributor field",
                        "Field live",
                        "2024- 2025",
                        ("2024", "2025"),
                        "",
                        ("", X, "", ""),
                    ),
                    Act(
                        "Audit 25 papers a year",
                        "80% compliance",
                        "AII",
                        ("All",),
                        "",
                        ("", X, "", CYR_UP),
                    ),
                    Act("Credit teams in handbooks", "All handbooks", "2024", ("2024",)),
                ),
            ),
            G(
                "V3",
                ("Visible beyond the University",),
                (
                    Act(
                        "Open the showcase",
                        "350 visitors",
                        "2023- 2024",
                        ("2023", "2024"),
                        "Sustainability",
                        (X, "", X, X),
                    ),
                ),
            ),
        ),
    ),
    (
        Aim(
            "Recognition",
            "Grow a resilient workforce and keep skills",
            ("Grow a resi", "ilient workforce and ke", "eep skills"),
        ),
        (
            G(
                "R1",
                ("More technicians professionally registered",),
                (
                    Act(
                        "Pay registration fees",
                        "110 registered",
                        "All",
                        ("All",),
                        "",
                        ("", X, "", ""),
                    ),
                    Act(
                        "Train registration mentors",
                        "20 mentors",
                        "2023",
                        ("2023",),
                        "Career Development",
                    ),
                    Act(
                        "Run a workshop each term",
                        "Six workshops",
                        "All",
                        ("All",),
                        "",
                        ("", "", CYR, ""),
                    ),
                    Act("Give two days to apply", "40 technicians", "2024", ("2024",)),
                    Act("Count registrations yearly", "Annual report", "2023/All", ("2023", "All")),
                ),
            ),
            G(
                "R2",
                ("Technical excellence recognised in", "the University's awards"),
                (
                    Act(
                        "Keep the technician award", "30 nominations", "All", ("All",), "Visibility"
                    ),
                    Act(
                        "Open teaching awards to technicians",
                        "Three shortlisted",
                        "2024",
                        ("2024",),
                        "",
                        (X, "", "", ""),
                    ),
                ),
            ),
        ),
    ),
    (
        Aim("Career development", "Enable clear career pathways for every technician"),
        (
            G(
                "CD1",
                ("Documented career pathways", "for every technical role", "in every faculty"),
                tuple(
                    Act(
                        f"Pathway step {n}",
                        f"Step {n} published",
                        "2024",
                        ("2024",),
                        "",
                        ("", "", X, ""),
                    )
                    for n in range(1, 7)
                ),
                gap=True,
            ),
            G(
                "CD2",
                ("Time for development",),
                (
                    Act("Protect five days a year", "Days logged", "All", ("All",)),
                    Act("Fund a skills budget", "Budget spent", "2023/2024", ("2023", "2024")),
                    Act(
                        "Offer secondments", "Ten secondments", "2024", ("2024",), "Sustainability"
                    ),
                ),
            ),
        ),
    ),
    (
        Aim(
            "Sustainability",
            "Keep technical skills and pass them on",
            ("Keep technical ski", "ills and pass them on"),
        ),
        (
            G(
                "S1",
                ("Apprentices and trainees",),
                (
                    Act("Recruit apprentices", "Ten hired", "2023", ("2023",), "", (X, "", "", "")),
                    Act("Pair each with a mentor", "All paired", "2023/All", ("2023", "All")),
                    Act("Record leavers' skills", "Skills kept", "All", ("All",)),
                ),
            ),
            G(
                "S2",
                ("Shared equipment",),
                (
                    Act(
                        "List shared equipment", "List live", "2024", ("2024",), "", ("", X, "", "")
                    ),
                    Act("Train users across faculties", "200 trained", "All", ("All",)),
                ),
            ),
        ),
    ),
)
SHAPES = ("plain", "title", "blank", "debris", "split", "centred", "all")


def _goal_cells(goal: G, centred: bool) -> list[str]:
    """The Goal cell of each of the goal's rows: the text at the top, or centred as a text
    export of a merged cell leaves it (a row high of centre when the rows left over are odd)."""
    rows = len(goal.actions)
    if not centred:
        return [f"{goal.code}: {' '.join(goal.lines)}"] + [""] * (rows - 1)
    lines = [f"{goal.code}: {goal.lines[0]}", *goal.lines[1:]]
    if goal.gap:
        lines.insert(1, "")
    above = (rows - len(lines)) // 2
    return [""] * above + lines + [""] * (rows - above - len(lines))


def rows_of(shape: str) -> list[list[str]]:
    """The plan as a sheet of the given shape."""
    features = set(SHAPES) if shape == "all" else {shape}
    width = 5 + len(COLUMNS)
    rows: list[list[str]] = []
    if "title" in features:
        rows += [["Technician Commitment Themes"] + [""] * (width - 1), [""] * width]
    rows.append(["Goal", "Actions", "Success measures", "Year", "Theme Alignment", *COLUMNS])
    for number, (aim, goals) in enumerate(PLAN):
        if "blank" in features and number:
            rows.append([""] * width)
        if "split" in features and aim.cut:
            banner = [f"{aim.name}: {aim.cut[0]}", *aim.cut[1:]]
        else:
            banner = [f"{aim.name}: {aim.aim}"]
        banner += [""] * (width - len(banner))
        if "debris" in features:
            banner[6] = ","
        rows.append(banner)
        for goal in goals:
            cells = _goal_cells(goal, "centred" in features)
            for cell, act in zip(cells, goal.actions, strict=True):
                rows.append([cell, act.text, act.measure, act.year, act.alignment, *act.ticks])
    return rows


def expected() -> dict[str, Any]:
    form = {t.name.lower(): t.name for t in THEMES}
    return {
        "columns": list(COLUMNS),
        "themes": [
            {
                "name": form[aim.name.lower()],
                "aim": aim.aim,
                "goals": [
                    {
                        "code": goal.code,
                        "title": " ".join(goal.lines),
                        "actions": [
                            {
                                "action": act.text,
                                "measure": act.measure,
                                "year": tidy(act.year),
                                "years": list(act.years),
                                "alignment": act.alignment,
                                "flags": {
                                    c: bool(t) for c, t in zip(COLUMNS, act.ticks, strict=True)
                                },
                            }
                            for act in goal.actions
                        ],
                    }
                    for goal in goals
                ],
            }
            for aim, goals in PLAN
        ],
    }


def write(rows: list[list[str]], path: Path) -> Path:
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "Plan"
        for row in rows:
            sheet.append([c or None for c in row])
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter="\t" if path.suffix == ".tsv" else ",").writerows(rows)
    return path


def without_repairs(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "repairs"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "tsv"])
@pytest.mark.parametrize("shape", SHAPES)
def test_each_export_shape_reads_right(shape: str, fmt: str, tmp_path: Path) -> None:
    path = write(rows_of(shape), tmp_path / f"action-plan.{fmt}")
    plan, problems = load_plan(path, THEMES)
    assert problems == []
    assert plan is not None
    assert without_repairs(plan_json(plan)) == expected()


def test_the_repair_log_says_each_kind_once(tmp_path: Path) -> None:
    path = write(rows_of("all"), tmp_path / "action-plan.tsv")
    plan, _ = load_plan(path, THEMES)
    assert plan is not None
    lines = [line for _, _, line in grouped(plan.repairs)]
    assert lines == [
        "rows: 'Technician Commitment Themes' above the header, row 1",
        "banners: 4 stray marks in banner rows ignored, rows 4, 14, 23, 34; "
        "2 theme aims rejoined across cells, rows 14, 34",
        "ticks: 3 Cyrillic 'х' read as ticks, rows 5, 10, 17; "
        "Education and student experience: 'x x x x x' read as a tick, row 7",
        "goals: 4 rows above a theme's first goal code given to that goal, rows 5, 15, 24, 35; "
        "4 goal lines joined across rows, rows 7, 21, 27-28; "
        "2 rows above a goal's code given to that goal (centred goal cells), rows 9, 30",
        "years: year 'AII' read as All (a capital I typed for l), row 10",
    ]
    messages = {r.cell: r.message for r in plan.repairs}
    assert messages["A14"] == (
        "the Recognition aim, cut across cells A14:C14, read as "
        "'Grow a resilient workforce and keep skills'"
    )
    assert messages["A34"] == (
        "the Sustainability aim, cut across cells A34:B34, read as "
        "'Keep technical skills and pass them on'"
    )
    assert messages["A15"] == "rows 15-16 read as R1, whose code is on row 17"
    assert messages["A5"] == "row 5 read as V1, whose code is on row 6"
    assert messages["A7"] == "'technicians across the University' joined to V1's text"
    assert messages["I10"] == "Global University: 'Х' read as a tick"


def test_a_goal_cell_that_could_be_either_goal_is_refused(tmp_path: Path) -> None:
    rows = [
        ["Goal", "Actions", "Success measures", "Year"],
        ["Visibility: Seen", "", "", ""],
        ["", "Publish", "Live", "2027"],  # above V1's code: these goal cells are centred
        ["V1: Seen", "Hold an open day", "Held", "2027"],
        ["V2: Known", "Write profiles", "Written", "2027"],
        ["", "Name teams", "Named", "2027"],  # V2's second row, or V3's first?
        ["V3: Abroad", "Present abroad", "Five talks", "2027"],
    ]
    for fmt in ("xlsx", "tsv"):
        _, problems = load_plan(write(rows, tmp_path / f"action-plan.{fmt}"), THEMES)
        sheet = "sheet 'Plan', " if fmt == "xlsx" else ""
        assert [(p.line, p.message) for p in problems if p.line] == [
            (
                6,
                "cannot tell whether 'Name teams' serves V2 or V3 (their Goal cells are "
                f"centred); write the goal's code on the row of its first action ({sheet}cell A6)",
            )
        ]


def test_rows_above_the_header_and_a_missing_column_name_the_users_words(tmp_path: Path) -> None:
    path = write(
        [["Our plan"], [""], ["Goal", "Actions", "Year"], ["Visibility", "", ""]],
        tmp_path / "action-plan.csv",
    )
    _, problems = load_plan(path, THEMES)
    assert [(p.line, p.message) for p in problems] == [
        (3, "no 'Success measures' column in the header (cell A3)")
    ]


def test_a_goal_line_with_no_code_far_from_any_goal_is_refused(tmp_path: Path) -> None:
    rows = [
        ["Goal", "Actions", "Success measures", "Year"],
        ["Visibility: Seen", "", "", ""],
        ["V1: Seen", "Publish", "Live", "2027"],
        ["", "Hold an open day", "Held", "2027"],
        ["", "Write profiles", "Written", "2027"],
        ["", "Name teams", "Named", "2027"],
        ["Known widely", "Visit schools", "Ten visits", "2027"],
    ]
    _, problems = load_plan(write(rows, tmp_path / "action-plan.tsv"), THEMES)
    assert [(p.code, p.line) for p in problems if p.line] == [("plan-goal-code", 7)]
    assert problems[0].message.startswith("goal 'Known widely' has no code such as V1:")
    assert problems[0].message.endswith("(cell A7)")

"""A plan of our own, written in the shapes exports give it (as `action-plan-shape.md` describes
them): title rows, blank rows, debris in banner rows, aims cut across cells mid-word, goal text
centred in its rows, two-part years, every kind of tick; and the plan it must read as."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from pipeline.form import load_form
from pipeline.plan.cells import tidy

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


def reads_right(path: Path) -> Any:
    """The plan read from `path`, asserted to be the plan of `expected()` with no problem."""
    from pipeline.plan.export import plan_json
    from pipeline.plan.read import load_plan

    plan, problems = load_plan(path, THEMES)
    assert problems == []
    assert plan is not None
    assert without_repairs(plan_json(plan)) == expected()
    return plan

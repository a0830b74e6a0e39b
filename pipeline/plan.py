"""The action plan, read from the spreadsheet as people keep it (.xlsx, .csv or .tsv).

A plan has a header row (`Goal | Actions | Success measures | Year | Theme Alignment | ...`),
then per theme a banner row (the theme's name and aim in the first cell), then goals with codes
(`V1: ...`) whose cell spans their action rows. Columns after the known ones are the
institution's strategic priorities, ticked per action.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import xlsx
from pipeline.model import Action, Goal, Plan, Problem, ThemePlan
from pipeline.safety import UnsafeFile

if TYPE_CHECKING:
    from pipeline.form import Theme

PLAN_NAMES = ("action-plan.xlsx", "action-plan.csv", "action-plan.tsv")
_COLUMNS = {
    "goal": ("goal", "goals"),
    "action": ("action", "actions"),
    "measure": ("success measure", "success measures", "measure", "measures", "success criteria"),
    "year": ("year", "years", "when", "timescale"),
    "alignment": ("theme alignment", "alignment", "also serves"),
}
_TICKS = {"x", "х", "✓", "✔", "y", "yes", "true", "1"}  # the second is Cyrillic
_GOAL = re.compile(r"^\s*([A-Za-z]{1,3}\d{1,2})\s*[:.\-–]\s*(.*)$", re.S)


def find_plan(root: Path) -> Path | None:
    """The plan file in an inputs folder, if any."""
    for name in PLAN_NAMES:
        if (root / name).is_file():
            return root / name
    return None


def read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) for every row of the plan's sheet."""
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    text = path.read_text(encoding="utf-8-sig")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    return [(n, [c.strip() for c in row]) for n, row in enumerate(reader, start=1)]


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The rows of the sheet whose name mentions the plan, else of the first sheet."""
    found = xlsx.sheets(path)
    if not found:
        raise ValueError("the workbook has no worksheet")
    sheet = next((s for s in found if "plan" in s.name.lower()), found[0])
    width = 1 + max((c for cells in sheet.rows.values() for c in cells), default=0)
    last = max(sheet.rows, default=0)
    return [
        (n, [sheet.rows.get(n, {}).get(c, "").strip() for c in range(width)])
        for n in range(1, last + 1)
    ]


def is_tick(cell: str) -> bool:
    """`x`, `X`, Cyrillic `х`, `✓`, `yes`, and repeated marks such as `x x x` are ticks."""
    marks = cell.strip().lower().split()
    return bool(marks) and all(m in _TICKS for m in marks)


@dataclass
class _Reader:
    path: Path
    themes: tuple[Theme, ...]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: int | None, code: str, message: str, level: str = "error") -> None:
        self.problems.append(Problem(self.path, row, level, code, message))

    def header(self, rows: list[tuple[int, list[str]]]) -> tuple[int, dict[str, int], list[int]]:
        for index, (_, cells) in enumerate(rows):
            names = [c.lower().rstrip(":").strip() for c in cells]
            if names and names[0] in _COLUMNS["goal"]:
                found: dict[str, int] = {}
                for key, aliases in _COLUMNS.items():
                    for col, name in enumerate(names):
                        if name in aliases and key not in found:
                            found[key] = col
                strategic = [c for c, name in enumerate(names) if name and c not in found.values()]
                return index, found, strategic
        raise ValueError("no header row starting with 'Goal' was found")

    def banner(self, cells: list[str]) -> tuple[str, str] | None:
        first = cells[0] if cells else ""
        if not first or any(c for c in cells[1:]):
            return None
        for theme in self.themes:
            if first.lower().startswith(theme.name.lower()):
                rest = first[len(theme.name) :].lstrip(" :-–").strip()
                return theme.name, rest or theme.aim
        return None

    def unknown_theme(self, cells: list[str]) -> str | None:
        """A message when a row looks like a banner of a theme the form does not have."""
        first = cells[0] if cells else ""
        if not first or any(c for c in cells[1:]) or _GOAL.match(first) or ":" not in first:
            return None
        name = first.split(":", 1)[0].strip()
        names = [t.name for t in self.themes]
        near = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
        if not near or len(name.split()) > 4:
            return None
        return f"unknown theme {name!r}; did you mean {near[0]!r}?"

    def read(self) -> Plan | None:
        try:
            rows = read_rows(self.path)
        except UnsafeFile as exc:
            self.problem(None, "plan-unsafe", str(exc))
            return None
        except (OSError, UnicodeDecodeError, ValueError, KeyError, SyntaxError) as exc:
            # SyntaxError: lxml's XMLSyntaxError, a damaged sheet
            self.problem(None, "plan-unreadable", f"cannot read the action plan: {exc}")
            return None
        try:
            start, cols, strategic = self.header(rows)
        except ValueError as exc:
            self.problem(None, "plan-no-header", f"{exc}; the first column must be headed 'Goal'")
            return None
        for key in ("action", "measure", "year"):
            if key not in cols:
                self.problem(
                    rows[start][0], "plan-column-missing", f"no {key!r} column in the header"
                )
        if any(p.level == "error" for p in self.problems):
            return None
        header_cells = rows[start][1]
        columns = tuple(header_cells[c] for c in strategic)

        def cell(cells: list[str], key: str) -> str:
            col = cols.get(key)
            return cells[col] if col is not None and col < len(cells) else ""

        themes: list[tuple[str, str, list[tuple[str, str, list[Action]]]]] = []
        for number, cells in rows[start + 1 :]:
            if not any(c.strip(" ,") for c in cells):
                continue
            banner = self.banner(cells)
            if banner:
                themes.append((banner[0], banner[1], []))
                continue
            unknown = self.unknown_theme(cells)
            if unknown:
                self.problem(number, "plan-theme-unknown", unknown)
                continue
            if not themes:
                self.problem(number, "plan-no-theme", "row before any theme banner row; add one")
                continue
            goals = themes[-1][2]
            goal_text = cell(cells, "goal")
            match = _GOAL.match(goal_text) if goal_text else None
            if match:
                goals.append((match[1].upper(), match[2].strip(), []))
            elif goal_text:
                if goals and not goals[-1][2][1:]:  # the goal's text cut across its first rows
                    code, title, actions = goals[-1]
                    goals[-1] = (code, f"{title} {goal_text}".strip(), actions)
                else:
                    self.problem(
                        number, "plan-goal-code", f"goal {goal_text!r} has no code such as V1:"
                    )
                    continue
            text = cell(cells, "action")
            if not text:
                if not goal_text:
                    self.problem(number, "plan-row", "row has no action; remove it or add one")
                continue
            if not goals:
                self.problem(number, "plan-no-goal", f"action {text!r} comes before any goal")
                continue
            measure = cell(cells, "measure")
            if not measure:
                self.problem(number, "plan-no-measure", f'no success measure for "{text}"; add one')
            flags = tuple(is_tick(cells[c]) if c < len(cells) else False for c in strategic)
            action = Action(
                text, measure, cell(cells, "year"), cell(cells, "alignment"), flags, number
            )
            goals[-1][2].append(action)
        plan = Plan(
            self.path,
            columns,
            tuple(
                ThemePlan(name, aim, tuple(Goal(c, t, tuple(a)) for c, t, a in goals))
                for name, aim, goals in themes
            ),
        )
        covered = {t.name for t in plan.themes}
        for theme in self.themes:
            if theme.name not in covered:
                self.problem(
                    None, "plan-theme-missing", f"no banner row for the theme {theme.name}"
                )
        return plan


def load_plan(path: Path, themes: tuple[Theme, ...]) -> tuple[Plan | None, list[Problem]]:
    """Read the plan, collecting every problem rather than stopping at the first."""
    reader = _Reader(path, themes)
    plan = reader.read()
    return plan, reader.problems

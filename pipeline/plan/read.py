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

from pipeline.errors import UnsafeFile
from pipeline.model import Action, Goal, Plan, Problem, ThemePlan
from pipeline.plan import xlsx

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
_ALL_WORDS = {"all", "aii", "ail", "aii.", "all."}  # "AII": a capital I typed for l
_HEADINGS = {"action": "Actions", "measure": "Success measures", "year": "Year"}
"""The header a missing column is asked for by."""
_GOAL = re.compile(r"^\s*([A-Za-z]{1,3}\d{1,2})\s*[:.\-–]\s*(.*)$", re.S)


def find_plan(root: Path) -> Path | None:
    """The plan file in an inputs folder, if any."""
    for name in PLAN_NAMES:
        if (root / name).is_file():
            return root / name
    return None


def read_rows(path: Path, sheet: str | None = None) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) for every row of the plan's sheet."""
    return read_sheet(path, sheet)[1]


def read_sheet(
    path: Path, sheet: str | None = None
) -> tuple[str | None, list[tuple[int, list[str]]]]:
    """The name of the sheet read (None for text files) and its rows."""
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path, sheet)
    text = path.read_text(encoding="utf-8-sig")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    return None, [(n, [c.strip() for c in row]) for n, row in enumerate(reader, start=1)]


def _xlsx_rows(path: Path, name: str | None = None) -> tuple[str, list[tuple[int, list[str]]]]:
    """The rows of sheet `name`, or of the sheet that holds the plan: the first with a header
    row starting with Goal (one named for the plan first), else the first sheet."""
    found = xlsx.sheets(path)
    if not found:
        raise ValueError("the workbook has no worksheet")
    if name is not None:
        chosen = next((s for s in found if s.name == name), None)
        if chosen is None:
            raise ValueError(f"no sheet {name!r} (sheets: {', '.join(s.name for s in found)})")
    else:

        def holds_plan(sheet: xlsx.Sheet) -> bool:
            return any(
                row.get(0, "").lower().rstrip(": ") in _COLUMNS["goal"]
                for row in sheet.rows.values()
            )

        ordered = sorted(found, key=lambda s: "plan" not in s.name.lower())
        chosen = next((s for s in ordered if holds_plan(s)), found[0])
    width = 1 + max((c for cells in chosen.rows.values() for c in cells), default=0)
    last = max(chosen.rows, default=0)
    return chosen.name, [
        (n, [chosen.rows.get(n, {}).get(c, "").strip() for c in range(width)])
        for n in range(1, last + 1)
    ]


def is_tick(cell: str) -> bool:
    """`x`, `X`, Cyrillic `х`, `✓`, `yes`, and repeated marks such as `x x x` are ticks."""
    return read_tick(cell)[0]


def read_tick(cell: str) -> tuple[bool, str | None]:
    """Whether a cell is a tick, and what was repaired to read it so."""
    marks = cell.strip().lower().split()
    if not marks or not all(m in _TICKS for m in marks):
        return False, None
    if len(marks) > 1:
        return True, f"{cell.strip()!r} (marks overflowing merged cells) read as one tick"
    if marks[0] in ("х",):  # Cyrillic, looks like x
        return True, f"Cyrillic {cell.strip()!r} read as a tick"
    return True, None


def read_year(cell: str) -> tuple[str, str | None]:
    """A year cell as `All`, `2027` or `2027-2028`, and what was repaired to read it so.

    Unreadable text is kept as it is (`pack check` warns about it)."""
    text = cell.strip()
    if not text:
        return "", None
    words = re.sub(r"[\s/,;&–-]+", " ", text).split()
    years = sorted({int(w) for w in words if re.fullmatch(r"\d{4}", w)})
    rest = [w for w in words if not re.fullmatch(r"\d{4}", w) and w.lower() != "to"]
    if not rest and years:
        return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}", None
    if len(rest) == 1 and rest[0].lower() in _ALL_WORDS:
        note = None
        if rest[0] != "All" or years:
            note = f"year {text!r} read as All" + (
                " (a capital I typed for l)" if "I" in rest[0] else ""
            )
        return "All", note
    return text, None


@dataclass
class _Reader:
    path: Path
    themes: tuple[Theme, ...]
    problems: list[Problem] = field(default_factory=list)
    repairs: list[tuple[int, str]] = field(default_factory=list)
    sheet: str | None = None
    cols: dict[str, int] = field(default_factory=dict)
    strategic: list[int] = field(default_factory=list)
    columns: tuple[str, ...] = ()
    themes_read: list[tuple[str, str, list[tuple[str, str, list[Action]]]]] = field(
        default_factory=list
    )
    goalless: set[int] = field(default_factory=set)
    """Rows of actions read before any goal of their theme."""
    orphan: int | None = None
    """The first row read before any banner row: reported once, with the banner it lacks."""

    def problem(self, row: int | None, code: str, message: str, level: str = "error") -> None:
        if self.sheet and row is not None:  # in a workbook, say which sheet the row is on
            message = f"{message} (sheet {self.sheet!r})"
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

    def unknown_theme(self, cells: list[str]) -> tuple[str, str, str] | None:
        """(name as written, the theme it is near, the aim) when a row looks like a banner of a
        theme the form does not have."""
        first = cells[0] if cells else ""
        if not first or any(c for c in cells[1:]) or _GOAL.match(first) or ":" not in first:
            return None
        name, aim = (part.strip() for part in first.split(":", 1))
        names = [t.name for t in self.themes]
        near = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
        if not near or len(name.split()) > 4:
            return None
        return name, near[0], aim

    def repair(self, row: int, message: str) -> None:
        self.repairs.append((row, message))

    def read(self, sheet: str | None = None) -> Plan | None:
        try:
            self.sheet, rows = read_sheet(self.path, sheet)
        except UnsafeFile as exc:
            self.problem(None, "plan-unsafe", str(exc).removeprefix(f"{self.path}: "))
            return None
        except (OSError, UnicodeDecodeError, KeyError, SyntaxError) as exc:
            # SyntaxError: lxml's XMLSyntaxError, a damaged sheet
            self.problem(
                None,
                "plan-unreadable",
                f"cannot read the action plan: {exc}; save it again from your spreadsheet "
                "program as .xlsx or .csv",
            )
            return None
        except ValueError as exc:  # no such sheet, or no sheet at all
            hint = "give one of those names" if "sheets:" in str(exc) else "add the plan's sheet"
            self.problem(None, "plan-unreadable", f"cannot read the action plan: {exc}; {hint}")
            return None
        try:
            start, self.cols, self.strategic = self.header(rows)
        except ValueError as exc:
            self.problem(None, "plan-no-header", f"{exc}; the first column must be headed 'Goal'")
            return None
        for key in ("action", "measure", "year"):
            if key not in self.cols:
                self.problem(
                    rows[start][0],
                    "plan-column-missing",
                    f"the header row has no {_HEADINGS[key]!r} column; add one",
                )
        if any(p.level == "error" for p in self.problems):
            return None
        header = rows[start][1]
        self.columns = tuple(header[c] for c in self.strategic)
        for number, cells in rows[start + 1 :]:
            self.row(number, cells)
        plan = Plan(
            self.path,
            self.columns,
            tuple(
                ThemePlan(name, aim, tuple(Goal(c, t, tuple(a)) for c, t, a in goals))
                for name, aim, goals in self.themes_read
            ),
            tuple(self.repairs),
        )
        covered = {t.name for t in plan.themes}
        missing = [t for t in self.themes if t.name not in covered]
        if self.orphan is not None:  # rows before any banner: most likely the first one's
            lacking = f"'{missing[0].name}: <its aim>'" if missing else "the theme's name and aim"
            self.problem(
                self.orphan,
                "plan-no-theme",
                f"row before any theme banner row; add a banner row above it: {lacking} in the "
                "first cell",
            )
            missing = missing[1:]
        for theme in missing:
            if theme.name not in covered:
                self.problem(
                    None,
                    "plan-theme-missing",
                    f"no banner row for the theme {theme.name}; add a row with "
                    f"'{theme.name}: <its aim>' in the first cell, its goals under it",
                )
        return plan

    def cell(self, cells: list[str], key: str) -> str:
        col = self.cols.get(key)
        return cells[col] if col is not None and col < len(cells) else ""

    def row(self, number: int, cells: list[str]) -> None:
        """Read one row as a banner, a goal, an action, or report it: never drop it silently."""
        if not any(c.strip(" ,;.") for c in cells):
            if any(cells):
                stray = " ".join(c for c in cells if c)
                self.repair(number, f"stray {stray!r} in an otherwise empty row ignored")
            return
        banner = self.banner(cells)
        if banner:
            self.themes_read.append((banner[0], banner[1], []))
            return
        unknown = self.unknown_theme(cells)
        if unknown:  # one error; the rows under it are read as the theme it is near
            name, near, aim = unknown
            self.problem(
                number, "plan-theme-unknown", f"unknown theme {name!r}; did you mean {near!r}?"
            )
            theme = next(t for t in self.themes if t.name == near)
            self.themes_read.append((near, aim or theme.aim, []))
            return
        if not self.themes_read:
            if self.orphan is None:
                self.orphan = number  # reported at the end, with the banner it lacks
            return
        cells = self.rejoin(number, cells)
        goals = self.themes_read[-1][2]
        goal_text = self.cell(cells, "goal")
        match = _GOAL.match(goal_text) if goal_text else None
        if match:
            goals.append((match[1].upper(), match[2].strip(), []))
        elif goal_text:
            if goals and not goals[-1][2][1:]:  # the goal's text cut across its first rows
                code, title, actions = goals[-1]
                goals[-1] = (code, f"{title} {goal_text}".strip(), actions)
                self.repair(number, f"goal text {goal_text!r} joined to {code}, cut across rows")
            else:
                code = next((t.code for t in self.themes if t.name == self.themes_read[-1][0]), "V")
                self.problem(
                    number,
                    "plan-goal-code",
                    f"goal {goal_text!r} has no code; start it with one, e.g. '{code}1: {goal_text}'",
                )
                return
        text = self.cell(cells, "action")
        if not text:
            if not goal_text:
                self.problem(number, "plan-row", "row has no action; remove it or add one")
            return
        if not goals:
            if number - 1 not in self.goalless:  # the rows after the first: the same cause
                self.problem(
                    number,
                    "plan-no-goal",
                    f"action {text!r} comes before any goal; add its goal above it",
                )
            self.goalless.add(number)
            return
        measure = self.cell(cells, "measure")
        if not measure:
            self.problem(number, "plan-no-measure", f'no success measure for "{text}"; add one')
        year, note = read_year(self.cell(cells, "year"))
        if note:
            self.repair(number, note)
        flags = []
        for col, name in zip(self.strategic, self.columns, strict=True):
            value = cells[col].strip() if col < len(cells) else ""
            tick, note = read_tick(value)
            if note:
                self.repair(number, f"{name}: {note}")
            if value and not tick and note is None:
                self.problem(
                    number,
                    "plan-tick",
                    f"{name}: {value!r} is not a tick, so it is read as none; write x to tick it, "
                    "or clear the cell",
                    "warning",
                )
            flags.append(tick)
        goals[-1][2].append(
            Action(text, measure, year, self.cell(cells, "alignment"), tuple(flags), number)
        )

    def rejoin(self, number: int, cells: list[str]) -> list[str]:
        """A tab typed inside a sentence splits its cell in two and pushes the rest of the row
        one column right: join the cell back where that makes every tick column a tick."""

        def fits(row: list[str]) -> bool:
            extra = row[1 + max([*self.cols.values(), *self.strategic]) :]
            ticks = [row[c] for c in self.strategic if c < len(row)]
            return not any(extra) and all(not t or read_tick(t)[0] for t in ticks)

        if fits(cells):
            return cells
        candidates = [
            col
            for col in (self.cols.get(key) for key in ("goal", "action", "measure"))
            if col is not None and col + 1 < len(cells) and cells[col] and cells[col + 1]
        ]
        # a sentence goes on in lower case: prefer the split whose second half does
        candidates.sort(key=lambda col: not cells[col + 1][:1].islower())
        for col in candidates:
            joined = [*cells[:col], f"{cells[col]} {cells[col + 1]}", *cells[col + 2 :]]
            if fits(joined):
                self.repair(number, f"a cell split by a tab was joined: {joined[col]!r}")
                return joined
        return cells


def load_plan(
    path: Path, themes: tuple[Theme, ...], sheet: str | None = None
) -> tuple[Plan | None, list[Problem]]:
    """Read the plan, collecting every problem rather than stopping at the first."""
    reader = _Reader(path, themes)
    plan = reader.read(sheet)
    return plan, reader.problems

"""The action plan, read from the spreadsheet as people keep it (.xlsx, .csv or .tsv).

A plan has a header row (`Goal | Actions | Success measures | Year | Theme Alignment | ...`),
then per theme a banner row (the theme's name and aim in the first cell), then goals with codes
(`V1: ...`) whose cell spans their action rows. Columns after the known ones are the
institution's strategic priorities, ticked per action. Exports add rows above the header, blank
rows, debris in banner rows, aims cut across cells and goal text centred in its rows: each is
read through and said (`repairs`); what cannot be read without guessing is refused with its
sheet, row and column.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import UnsafeFile, UnsavedFormulas
from pipeline.model import Action, Goal, Plan, Problem, ThemePlan
from pipeline.plan import blocks
from pipeline.plan.banners import banner, unknown_theme
from pipeline.plan.bounds import cell_problems
from pipeline.plan.cells import is_debris
from pipeline.plan.layout import NAMES, Layout, words
from pipeline.plan.repairs import row_ranges
from pipeline.plan.rows import read_action, rejoin
from pipeline.plan.sheet import PLAN_NAMES, Rows, find_plan, heading, read_sheet, theme_aims

if TYPE_CHECKING:
    from pipeline.form import Theme

__all__ = ["PLAN_NAMES", "find_plan", "load_plan", "read_rows", "read_sheet"]


def read_rows(path: Path, sheet: str | None = None) -> Rows:
    """(row number, cell texts) for every row of the plan's sheet."""
    return read_sheet(path, sheet)[1]


@dataclass
class _Theme:
    name: str
    aim: str
    row: int
    rows: Rows = field(default_factory=list)


@dataclass
class _Reader(Layout):
    read: list[_Theme] = field(default_factory=list)
    """The themes read so far, with their rows."""
    aims: dict[str, str] = field(default_factory=dict)
    """Aims from a Theme | Aim table elsewhere in the workbook (a plan with a Theme column)."""
    orphan: int | None = None
    """The first row read before any banner row: reported once, with the banner it lacks."""

    def load(self, sheet: str | None = None) -> Plan | None:
        try:
            self.sheet, rows = read_sheet(self.path, sheet)
        except (UnsafeFile, UnsavedFormulas) as exc:
            code = "plan-formula" if isinstance(exc, UnsavedFormulas) else "plan-unsafe"
            self.problem(None, code, str(exc).removeprefix(f"{self.path}: "))
            return None
        except (OSError, UnicodeDecodeError, KeyError, SyntaxError) as exc:
            # SyntaxError: lxml's XMLSyntaxError, a damaged sheet
            again = "save it again from your spreadsheet program as .xlsx or .csv"
            self.problem(None, "plan-unreadable", f"cannot read the action plan: {exc}; {again}")
            return None
        except ValueError as exc:  # no such sheet, or no sheet at all
            hint = "give one of those names" if "sheets:" in str(exc) else "add the plan's sheet"
            self.problem(None, "plan-unreadable", f"cannot read the action plan: {exc}; {hint}")
            return None
        for number, col, message in cell_problems(rows):
            self.problem(number, "plan-cell", message, col=col)
        if any(p.level == "error" for p in self.problems):
            return None
        try:
            start = self.header(rows)
        except ValueError as exc:
            where = f" (sheet {self.sheet!r})" if self.sheet else ""
            self.problem(
                None, "plan-no-header", f"{exc}{where}; the first column must be headed 'Goal'"
            )
            return None
        for key in ("action", "measure", "year"):
            if key not in self.cols:
                self.problem(
                    rows[start][0],
                    "plan-column-missing",
                    f"the header row has no {NAMES[key]!r} column; add one",
                )
        if any(p.level == "error" for p in self.problems):
            return None
        if "theme" in self.cols:
            try:
                self.aims = theme_aims(self.path, self.sheet)
            except UnsafeFile as exc:
                self.problem(None, "plan-unsafe", str(exc).removeprefix(f"{self.path}: "))
                return None
        above = [(n, " ".join(c for c in cells if c)) for n, cells in rows[:start]]
        for number, text in above:
            if text:
                self.repair(
                    number, 0, "rows", "rows above the header ignored", f"{text!r} above the header"
                )
        for _, cells in rows:
            for cell in cells:
                self.vocabulary.update(words(cell))
        for theme in self.themes:
            self.vocabulary.update(words(theme.aim))
        header = [heading(c) for c in rows[start][1]]
        for number, cells in rows[start + 1 :]:
            if [heading(c) for c in cells] == header:  # repeated under each banner, or a page's
                self.repair(number, 0, "rows", "header rows repeated", "the header repeated")
                continue
            self.row(number, cells)
        plan = Plan(
            self.path,
            tuple(rows[start][1][c] for c in self.strategic),
            self.theme_plans(),
            tuple(sorted(self.repairs, key=lambda r: r.row)),
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
            self.problem(
                None,
                "plan-theme-missing",
                f"no banner row for the theme {theme.name}; add a row with "
                f"'{theme.name}: <its aim>' in the first cell, its goals under it"
                + (f" (sheet {self.sheet!r})" if self.sheet else ""),
            )
        return plan

    def row(self, number: int, cells: list[str]) -> None:
        """Sort one row: a banner, a theme's row, or debris; never drop one silently."""
        if all(is_debris(c) for c in cells):
            stray = [c for c, text in enumerate(cells) if text]
            if stray:
                marks = " ".join(repr(cells[c]) for c in stray)
                self.repair(
                    number,
                    stray[0],
                    "rows",
                    "rows of stray marks ignored",
                    f"stray {marks} in an otherwise empty row ignored",
                )
            return
        if "theme" in self.cols and self.theme_cell(number, cells):
            return
        opens = banner(self, number, cells)
        if opens:
            seen = next((t for t in self.read if t.name == opens[0]), None)
            if seen is not None:
                self.problem(
                    number,
                    "plan-theme-twice",
                    f"a second banner row for {opens[0]} (the first is row {seen.row}); "
                    "keep each theme's goals under one banner",
                )
                return
            self.read.append(_Theme(opens[0], opens[1], number))
            return
        unknown = unknown_theme(self, cells)
        if unknown:  # one error; the rows under it are read as the theme it is near
            name, near, aim = unknown
            self.problem(
                number, "plan-theme-unknown", f"unknown theme {name!r}; did you mean {near!r}?"
            )
            if not any(t.name == near for t in self.read):
                theme = next(t for t in self.themes if t.name == near)
                self.read.append(_Theme(near, aim or theme.aim, number))
            return
        if not self.read:
            if self.orphan is None:
                self.orphan = number  # reported at the end, with the banner it lacks
            return
        # a tab typed in a cell splits it in a text file only: a workbook's cells are its own
        text_file = self.path.suffix.lower() != ".xlsx"
        self.read[-1].rows.append((number, rejoin(self, number, cells) if text_file else cells))

    def theme_cell(self, number: int, cells: list[str]) -> bool:
        """A row of a plan with a Theme column: filed under the theme it names (the row above's
        when empty). False when the row is no action row (a banner, debris)."""
        if not (self.cell(cells, "goal") or self.cell(cells, "action")):
            return False
        text = self.cell(cells, "theme").strip()
        if not text:
            if not self.read:
                return False
            self.read[-1].rows.append((number, cells))
            return True
        lowered = text.lower()
        theme = next(
            (
                t
                for t in self.themes
                if lowered == t.name.lower()
                or re.match(rf"{re.escape(t.name.lower())}\s*[:–-]", lowered)
            ),
            None,
        )
        if theme is None:
            near = difflib.get_close_matches(text, [t.name for t in self.themes], n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            self.problem(
                number,
                "plan-theme-unknown",
                f"unknown theme {text!r}{hint}",
                col=self.cols["theme"],
            )
            return True
        found = next((t for t in self.read if t.name == theme.name), None)
        if found is None:
            aim = text[len(theme.name) :].lstrip(" :–-").strip()
            aim = aim or self.aims.get(theme.name.lower()) or theme.aim
            found = _Theme(theme.name, aim, number)
            self.read.append(found)
        elif found is not self.read[-1]:  # sorted or filtered rows: back to their theme
            self.read.remove(found)
            self.read.append(found)
        found.rows.append((number, cells))
        return True

    def theme_plans(self) -> tuple[ThemePlan, ...]:
        goal_col = self.cols["goal"]
        order = {t.name: n for n, t in enumerate(self.themes)}
        if "theme" in self.cols:  # rows may have been sorted: themes in the form's order,
            self.read.sort(key=lambda t: order[t.name])  # each goal's rows together, V1 first
            for theme in self.read:
                codes = [blocks.GOAL.match(self.cell(c, "goal")) for _, c in theme.rows]
                keys = [blocks.code_order(m[1]) for m in codes if m]
                if len(keys) == len(theme.rows):
                    theme.rows = [
                        r for _, r in sorted(zip(keys, theme.rows, strict=True), key=lambda p: p[0])
                    ]
        found = [blocks.find_spans([self.cell(c, "goal") for _, c in t.rows]) for t in self.read]
        centred = any(blocks.is_centred(spans) for spans, _ in found)
        result = []
        for theme, (spans, troubles) in zip(self.read, found, strict=True):
            for trouble in troubles:
                self.problem(
                    theme.rows[trouble.index][0], trouble.code, trouble.message, col=goal_col
                )
            for span in spans:
                for index in span.joined:
                    number = theme.rows[index][0]
                    self.repair(
                        number,
                        goal_col,
                        "goals",
                        "goal lines joined across rows",
                        f"{self.cell(theme.rows[index][1], 'goal')!r} joined to {span.code}'s text",
                    )
            owner, ambiguous = blocks.allocate(len(theme.rows), spans, centred)
            for index in ambiguous:
                number, cells = theme.rows[index]
                i = max(k for k, span in enumerate(spans) if span.end < index)
                before, after = spans[i], spans[i + 1]
                self.problem(
                    number,
                    "plan-goal-ambiguous",
                    f"cannot tell whether {self.cell(cells, 'action')!r} serves {before.code} or "
                    f"{after.code} (their Goal cells are centred); write the goal's code on the "
                    "row of its first action",
                    col=goal_col,
                )
            actions: list[list[Action]] = [[] for _ in spans]
            said = bool(troubles)  # a goal without a code: its actions have no goal, said once
            for index, (number, cells) in enumerate(theme.rows):
                action = read_action(self, number, cells, bool(spans) or said)
                said = said or not spans
                if action is not None and spans:
                    actions[owner[index]].append(action)
            for number, span in enumerate(spans):
                rows = [i for i, o in enumerate(owner) if o == number]
                if rows and rows[0] < span.start:
                    top, code_row = theme.rows[rows[0]][0], theme.rows[span.start][0]
                    what = (
                        "rows above a theme's first goal code given to that goal"
                        if number == 0
                        else "rows above a goal's code given to that goal (centred goal cells)"
                    )
                    self.repair(
                        top,
                        goal_col,
                        "goals",
                        what,
                        f"{row_ranges(range(top, code_row))} read as {span.code}, whose "
                        f"code is on row {code_row}",
                    )
            result.append(
                ThemePlan(
                    theme.name,
                    theme.aim,
                    tuple(
                        Goal(s.code, s.title, tuple(a)) for s, a in zip(spans, actions, strict=True)
                    ),
                )
            )
        return tuple(result)


def load_plan(
    path: Path, themes: tuple[Theme, ...], sheet: str | None = None
) -> tuple[Plan | None, list[Problem]]:
    """Read the plan, collecting every problem rather than stopping at the first."""
    reader = _Reader(path, themes)
    plan = reader.load(sheet)
    return plan, sorted(reader.problems, key=lambda p: p.line or 1 << 30)

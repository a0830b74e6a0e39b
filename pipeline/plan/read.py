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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import UnsafeFile
from pipeline.model import Action, Goal, Plan, Problem, Repair, ThemePlan
from pipeline.plan import blocks
from pipeline.plan.cells import column_letter, is_debris, join_cut, read_tick, read_year
from pipeline.plan.repairs import row_ranges
from pipeline.plan.sheet import (
    GOAL_HEADINGS,
    PLAN_NAMES,
    Rows,
    find_plan,
    heading,
    read_sheet,
    theme_aims,
)

if TYPE_CHECKING:
    from pipeline.form import Theme

__all__ = ["PLAN_NAMES", "find_plan", "load_plan", "read_rows", "read_sheet"]

COLUMNS = {
    "goal": GOAL_HEADINGS,
    "theme": ("theme", "themes"),
    "action": ("action", "actions"),
    "measure": ("success measure", "success measures", "measure", "measures", "success criteria"),
    "year": ("year", "years", "when", "timescale"),
    "alignment": ("theme alignment", "alignment", "also serves"),
}
NAMES = {
    "goal": "Goal",
    "theme": "Theme",
    "action": "Actions",
    "measure": "Success measures",
    "year": "Year",
    "alignment": "Theme Alignment",
}
"""What each known column is called when the header does not say (a missing column)."""
_TICK_WHAT = {
    "cyrillic": "Cyrillic 'х' read as ticks",
    "overflow": "repeated marks ('x x x', merged cells overflowing) read as one tick",
}


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W\d_]+", text)]


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
class _Reader:
    path: Path
    themes: tuple[Theme, ...]
    problems: list[Problem] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    sheet: str | None = None
    cols: dict[str, int] = field(default_factory=dict)
    strategic: list[int] = field(default_factory=list)
    header_names: list[str] = field(default_factory=list)
    vocabulary: Counter[str] = field(default_factory=Counter)
    """How often each word occurs in the sheet (and the form's aims): what a known word is."""
    read: list[_Theme] = field(default_factory=list)
    aims: dict[str, str] = field(default_factory=dict)
    """Aims from a Theme | Aim table elsewhere in the workbook (a plan with a Theme column)."""

    def problem(
        self, row: int | None, code: str, message: str, level: str = "error", col: int = 0
    ) -> None:
        where = [f"sheet {self.sheet!r}"] if self.sheet and row is not None else []
        if row is not None:
            where.append(f"cell {column_letter(col)}{row}")
        if where:
            message = f"{message} ({', '.join(where)})"
        self.problems.append(Problem(self.path, row, level, code, message))

    def repair(self, row: int, col: int, kind: str, what: str, message: str) -> None:
        self.repairs.append(Repair(row, f"{column_letter(col)}{row}", kind, what, message))

    def column_name(self, col: int) -> str:
        return self.header_names[col] if col < len(self.header_names) else column_letter(col)

    def header(self, rows: Rows) -> int:
        for index, (_, cells) in enumerate(rows):
            names = [heading(c) for c in cells]
            if names and (
                names[0] in COLUMNS["goal"]
                or (names[0] in COLUMNS["theme"] and any(n in COLUMNS["goal"] for n in names))
            ):
                for key, aliases in COLUMNS.items():
                    for col, name in enumerate(names):
                        if name in aliases and key not in self.cols:
                            self.cols[key] = col
                known = set(self.cols.values())
                self.strategic = [c for c, name in enumerate(names) if name and c not in known]
                self.header_names = [c.strip().rstrip(":").strip() for c in cells]
                return index
        raise ValueError("no header row starting with 'Goal' was found")

    def banner(self, number: int, cells: list[str]) -> tuple[str, str] | None:
        """The theme a banner row opens and its aim: the theme's name (any case) at the start of
        the first cell, whatever debris follows in the row; an aim cut across cells is joined."""
        first = cells[0] if cells else ""
        if not first or blocks.GOAL.match(first):
            return None
        for theme in sorted(self.themes, key=lambda t: -len(t.name)):
            match = re.match(rf"{re.escape(theme.name)}(?=$|\W)", first, re.I)
            if not match:
                continue
            rest = first[match.end() :]
            sep = re.match(r"\s*[:–\-]\s*", rest)
            if sep:
                aim = rest[sep.end() :]
            elif not rest.strip() or (rest[:1].isspace() and rest.strip()[:1].isupper()):
                aim = rest.strip()
            else:
                return None  # "visibility of technicians": a goal's line
            if any(read_tick(cells[c])[0] for c in self.strategic if c < len(cells)):
                return None
            pieces: list[int] = []
            col = 1
            while col < len(cells) and not is_debris(cells[col]):
                pieces.append(col)
                col += 1
            stray = [c for c in range(col, len(cells)) if cells[c]]
            loose = [c for c in stray if not is_debris(cells[c])]
            if loose:
                self.problem(
                    number,
                    "plan-banner",
                    f"the {theme.name} banner row has {cells[loose[0]]!r} under "
                    f"{self.column_name(loose[0])!r}; a banner row holds the theme and its aim only",
                    col=loose[0],
                )
                return theme.name, aim or theme.aim
            if stray:
                marks = " ".join(repr(cells[c]) for c in stray)
                self.repair(
                    number,
                    stray[0],
                    "banners",
                    "stray marks in banner rows ignored",
                    f"{marks} in the {theme.name} banner row ignored",
                )
            if pieces:
                for col in pieces:
                    aim = join_cut(aim, cells[col], self.known_words(cells))
                last = column_letter(pieces[-1])
                self.repair(
                    number,
                    0,
                    "banners",
                    "theme aims rejoined across cells",
                    f"the {theme.name} aim, cut across cells A{number}:{last}{number}, "
                    f"read as {aim!r}",
                )
            return theme.name, aim.strip() or theme.aim
        return None

    def known_words(self, cells: list[str]) -> set[str]:
        """The words of the sheet found outside this row: a cut word's pieces are not words."""
        own = Counter(w for cell in cells for w in _words(cell))
        return {w for w, n in self.vocabulary.items() if n > own[w]}

    def unknown_theme(self, cells: list[str]) -> str | None:
        """A message when a row looks like a banner of a theme the form does not have."""
        first = cells[0] if cells else ""
        if not first or any(not is_debris(c) for c in cells[1:]) or blocks.GOAL.match(first):
            return None
        if ":" not in first:
            return None
        name = first.split(":", 1)[0].strip()
        names = [t.name for t in self.themes]
        near = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
        if not near or len(name.split()) > 4:
            return None
        return f"unknown theme {name!r}; did you mean {near[0]!r}?"

    def load(self, sheet: str | None = None) -> Plan | None:
        try:
            self.sheet, rows = read_sheet(self.path, sheet)
        except UnsafeFile as exc:
            self.problem(None, "plan-unsafe", str(exc))
            return None
        except (OSError, UnicodeDecodeError, ValueError, KeyError, SyntaxError) as exc:
            # SyntaxError: lxml's XMLSyntaxError, a damaged sheet
            self.problem(None, "plan-unreadable", f"cannot read the action plan: {exc}")
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
                    rows[start][0], "plan-column-missing", f"no {NAMES[key]!r} column in the header"
                )
        if any(p.level == "error" for p in self.problems):
            return None
        if "theme" in self.cols:
            self.aims = theme_aims(self.path, self.sheet)
        above = [(n, " ".join(c for c in cells if c)) for n, cells in rows[:start]]
        for number, text in above:
            if text:
                self.repair(
                    number, 0, "rows", "rows above the header ignored", f"{text!r} above the header"
                )
        for _, cells in rows:
            for cell in cells:
                self.vocabulary.update(_words(cell))
        for theme in self.themes:
            self.vocabulary.update(_words(theme.aim))
        for number, cells in rows[start + 1 :]:
            self.row(number, cells)
        plan = Plan(
            self.path,
            tuple(rows[start][1][c] for c in self.strategic),
            self.theme_plans(),
            tuple(sorted(self.repairs, key=lambda r: r.row)),
        )
        covered = {t.name for t in plan.themes}
        for theme in self.themes:
            if theme.name not in covered:
                self.problem(
                    None,
                    "plan-theme-missing",
                    f"no banner row for the theme {theme.name}"
                    + (f" (sheet {self.sheet!r})" if self.sheet else ""),
                )
        return plan

    def cell(self, cells: list[str], key: str) -> str:
        col = self.cols.get(key)
        return cells[col] if col is not None and col < len(cells) else ""

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
        banner = self.banner(number, cells)
        if banner:
            seen = next((t for t in self.read if t.name == banner[0]), None)
            if seen is not None:
                self.problem(
                    number,
                    "plan-theme-twice",
                    f"a second banner row for {banner[0]} (the first is row {seen.row}); "
                    "keep each theme's goals under one banner",
                )
                return
            self.read.append(_Theme(banner[0], banner[1], number))
            return
        unknown = self.unknown_theme(cells)
        if unknown:
            self.problem(number, "plan-theme-unknown", unknown)
            return
        if not self.read:
            self.problem(number, "plan-no-theme", "row before any theme banner row; add one")
            return
        self.read[-1].rows.append((number, self.rejoin(number, cells)))

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
            self.read.sort(key=lambda t: order[t.name])  # each goal's rows together
            for theme in self.read:
                codes = [blocks.GOAL.match(self.cell(c, "goal")) for _, c in theme.rows]
                if all(codes):
                    first: dict[str, int] = {}
                    for match in codes:
                        first.setdefault(match[1].upper() if match else "", len(first))
                    theme.rows = [
                        row
                        for _, row in sorted(
                            zip(codes, theme.rows, strict=True),
                            key=lambda pair: first[pair[0][1].upper() if pair[0] else ""],
                        )
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
            for index, (number, cells) in enumerate(theme.rows):
                action = self.action(number, cells, bool(spans))
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

    def action(self, number: int, cells: list[str], has_goal: bool) -> Action | None:
        """The action on a theme's row, or None (a row holding only a goal's text)."""
        text = self.cell(cells, "action")
        others = [
            c
            for c, value in enumerate(cells)
            if value and c != self.cols["goal"] and not is_debris(value)
        ]
        if not text:
            if others:
                self.problem(
                    number,
                    "plan-row",
                    "row has no action; remove it or add one",
                    col=self.cols["action"],
                )
            return None
        if not has_goal:
            self.problem(
                number,
                "plan-no-goal",
                f"action {text!r} comes before any goal",
                col=self.cols["goal"],
            )
            return None
        measure = self.cell(cells, "measure")
        if not measure:
            self.problem(
                number,
                "plan-no-measure",
                f'no success measure for "{text}"; add one',
                col=self.cols["measure"],
            )
        year = read_year(self.cell(cells, "year"))
        if year.note:
            self.repair(number, self.cols["year"], "years", "years read through a typo", year.note)
        flags = []
        for col in self.strategic:
            value = cells[col].strip() if col < len(cells) else ""
            tick, note = read_tick(value)
            name = self.column_name(col)
            if note:
                self.repair(
                    number,
                    col,
                    "ticks",
                    _TICK_WHAT[note],
                    f"{name}: {value!r} read as a tick",
                )
            if value and not tick:
                self.problem(
                    number,
                    "plan-tick",
                    f"{name}: {value!r} is not a tick (x); read as no tick",
                    "warning",
                    col=col,
                )
            flags.append(tick)
        return Action(
            text,
            measure,
            year.shown,
            self.cell(cells, "alignment"),
            tuple(flags),
            number,
            year.parts,
        )

    def rejoin(self, number: int, cells: list[str]) -> list[str]:
        """A tab typed inside a sentence splits its cell in two and pushes the rest of the row
        one column right: join the cell back where that makes every tick column a tick."""

        def fits(row: list[str]) -> bool:
            extra = row[1 + max([*self.cols.values(), *self.strategic]) :]
            ticks = [row[c] for c in self.strategic if c < len(row)]
            return all(is_debris(e) for e in extra) and all(not t or read_tick(t)[0] for t in ticks)

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
                self.repair(
                    number,
                    col,
                    "cells",
                    "cells split by a tab joined",
                    f"a cell split by a tab was joined: {joined[col]!r}",
                )
                return joined
        return cells


def load_plan(
    path: Path, themes: tuple[Theme, ...], sheet: str | None = None
) -> tuple[Plan | None, list[Problem]]:
    """Read the plan, collecting every problem rather than stopping at the first."""
    reader = _Reader(path, themes)
    plan = reader.load(sheet)
    return plan, sorted(reader.problems, key=lambda p: p.line or 1 << 30)

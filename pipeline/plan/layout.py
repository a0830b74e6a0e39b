"""What a plan sheet's reader knows as it goes: the file and sheet, where each known column is,
the strategic columns, the words of the sheet; and how it reports problems (with their cell) and
repairs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.model import Problem, Repair
from pipeline.plan.cells import column_letter
from pipeline.plan.sheet import GOAL_HEADINGS, Rows, heading

if TYPE_CHECKING:
    from pipeline.form import Theme

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


def words(text: str) -> list[str]:
    """The words of a text, in lower case."""
    return [w.lower() for w in re.findall(r"[^\W\d_]+", text)]


@dataclass
class Layout:
    """A plan sheet as far as it has been read, and the problems and repairs found."""

    path: Path
    themes: tuple[Theme, ...]
    problems: list[Problem] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    sheet: str | None = None
    cols: dict[str, int] = field(default_factory=dict)
    """Where each known column is: `goal`, `action`, `measure`, `year`, `alignment`, `theme`."""
    strategic: list[int] = field(default_factory=list)
    """The columns of the institution's strategic priorities."""
    header_names: list[str] = field(default_factory=list)
    """Each column's name as the header writes it: what messages call it."""
    vocabulary: Counter[str] = field(default_factory=Counter)
    """How often each word occurs in the sheet (and the form's aims): what a known word is."""

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

    def cell(self, cells: list[str], key: str) -> str:
        col = self.cols.get(key)
        return cells[col] if col is not None and col < len(cells) else ""

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

    def known_words(self, cells: list[str]) -> set[str]:
        """The words of the sheet found outside this row: a cut word's pieces are not words."""
        own = Counter(w for cell in cells for w in words(cell))
        return {w for w, n in self.vocabulary.items() if n > own[w]}

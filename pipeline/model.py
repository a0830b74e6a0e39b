"""The pack as typed, immutable data: what every stage after `load` works from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.form import Form

DEFAULT_LANGUAGE = "en-GB"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or worth knowing) about the inputs."""

    path: Path
    """The file the problem is in."""
    line: int | None
    """1-based line (or spreadsheet row), when there is one."""
    level: str
    """`error`, `warning`, or `note` (what the build does that the user asked for, such as
    reviews accepted in the pack's copy: never a failure, not even under `--strict`)."""
    code: str
    """A short stable identifier, e.g. `answer-missing`."""
    message: str
    """What is wrong and what to do about it."""

    def format(self, root: Path | None = None) -> str:
        path = self.path
        if root is not None and path.is_relative_to(root):
            path = path.relative_to(root)
        where = f"{path}:{self.line}" if self.line else f"{path}"
        return f"{where}: {self.level}: {self.message}"

    def public(self) -> dict[str, object]:
        """As `pack check --json` gives it."""
        return {
            "path": str(self.path),
            "line": self.line,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Person:
    """A named person in the form."""

    name: str
    email: str = ""
    role: str = ""


@dataclass(frozen=True, slots=True)
class Answer:
    """One question's answer, as Markdown."""

    number: int
    """The question's number in the form."""
    path: Path
    """The Markdown file it came from."""
    text: str
    """The Markdown source."""


@dataclass(frozen=True, slots=True)
class Action:
    """One row of the action plan."""

    text: str
    measure: str
    year: str
    alignment: str
    flags: tuple[bool, ...]
    """One tick per strategic column of the plan."""
    row: int
    """The spreadsheet row it came from."""
    years: tuple[str, ...] = ()
    """What the year cell names, each year then `All` (`2023/All`: 2023 and All); `year` is
    the cell as typed."""


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal of a theme, with the actions that serve it."""

    code: str
    title: str
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class ThemePlan:
    """The goals under one theme of the plan."""

    name: str
    aim: str
    goals: tuple[Goal, ...]


@dataclass(frozen=True, slots=True)
class Repair:
    """A quirk of the spreadsheet that was read through: what the plan's reading changed, never
    the words shown."""

    row: int
    """The spreadsheet row."""
    cell: str
    """The cell (`F4`), or the row's first cell when the repair is about the whole row."""
    kind: str
    """What kind of repair, for grouping: `ticks`, `years`, `goals`, `banners`, `rows`, `cells`."""
    what: str
    """The repair in a phrase that reads after a count (`Cyrillic 'х' read as ticks`)."""
    message: str
    """This row's repair in full."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The action plan as read from the spreadsheet."""

    path: Path
    columns: tuple[str, ...]
    """The institution's strategic-priority tick columns."""
    themes: tuple[ThemePlan, ...]
    repairs: tuple[Repair, ...] = ()
    """Each quirk of the spreadsheet that was read through, in row order."""

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for t in self.themes for g in t.goals for a in g.actions)


@dataclass(frozen=True, slots=True)
class Appendix:
    """A file appended to the pack, in name order."""

    path: Path
    kind: str
    """`markdown`, `docx` or `pdf`, decided by content."""
    letter: str
    title: str

    @property
    def heading(self) -> str:
        return f"Appendix {self.letter}: {self.title}"


@dataclass(frozen=True, slots=True)
class Pack:
    """Everything a build needs, validated."""

    root: Path
    """The inputs folder."""
    institution: str
    framework: str
    """As pack.toml names it."""
    form: Form
    """The form `framework` names, loaded and checked."""
    date_joined: dt.date
    website: str
    lead: Person
    leader: Person
    answers: tuple[Answer, ...]
    plan: Plan
    appendices: tuple[Appendix, ...] = field(default=())
    signed: tuple[dt.date | None, dt.date | None] = (None, None)
    """Sign-off dates of the lead and of the leader of the institution, when signed."""
    signatures: tuple[Path | None, Path | None] = (None, None)
    """Their signature images, when pack.toml names them (else the boxes stay empty)."""
    language: str = DEFAULT_LANGUAGE
    """The language the pack is written in (pack.toml's `language`): the documents' and the
    PDF's, for screen readers."""
    accept_changes: bool = False
    """Reviews left in appendices are accepted in the pack's copy (pack.toml's
    `accept_changes`, or `--accept-changes`): tracked changes accepted, comments and PDF
    sticky notes left out; the files themselves are never changed."""

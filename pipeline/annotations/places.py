"""Where on the pack a page and a height are: the contents, question N, the sign-off, the action
plan, an appendix (and its own page), from the pack's outline and its build record.

The outline says on which page each question, the sign-off, the plan and each appendix starts
(the pack's outline points at whole pages); where on that page a question starts is where its
heading is drawn. The build record (`incremental.record`) names the answer file each question
was built from, with the hash of its bytes then, so an answer changed since is known.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.annotations.quote import Flow
from pipeline.incremental.record import INFO_KEY, read_record

_NUMBER = re.compile(r"^\D{0,24}?(\d{1,2})\b")
_ANSWER = re.compile(r"^answers/(\d+)[-_ .][^/]*\.md$")


@dataclass(frozen=True, slots=True)
class Section:
    """A stretch of the pack with a name of its own."""

    kind: str
    """`contents`, `question`, `sign-off`, `form` (another heading of the form), `plan`,
    `appendix`; `page` for a PDF `pack` did not make."""
    title: str
    page: int
    """Its first page, from 0."""
    top: float = 1e9
    """The height of its heading on its first page (above everything when not found)."""
    number: int | None = None
    """The question's number."""

    def label(self, page: int) -> str:
        if self.kind == "appendix":
            return f"{self.title}, its page {page - self.page + 1}"
        if self.kind == "page":
            return f"Page {page + 1}"
        if self.kind == "contents":
            return "Contents"
        return self.title


def outline(reader: Any) -> list[tuple[str, int, int]]:
    """(title, level, page) of each outline entry, in order."""
    found: list[tuple[str, int, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            page = reader.get_destination_page_number(item)
            if page is not None and page >= 0:
                found.append((str(item.title), level, page))

    try:
        walk(reader.outline, 0)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return []  # a damaged outline: the pages are still read
    return found


def record_of(reader: Any) -> dict[str, Any] | None:
    try:
        text = (reader.metadata or {}).get(INFO_KEY)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return read_record(str(text)) if text is not None else None


def _question(title: str, headings: dict[str, int]) -> int | None:
    if headings:
        return headings.get(title)
    match = _NUMBER.match(title)
    return int(match[1]) if match else None


def sections(
    entries: list[tuple[str, int, int]],
    headings: dict[str, int],
    flow: Callable[[int], Flow],
    marked: set[int],
) -> list[Section]:
    """The pack's sections in order: the form's first part is its contents, its entries the
    questions and the sign-off, the next part the plan, the rest appendices (as `pack` builds
    every pack); without an outline, none. Where a heading is drawn is read only on the pages
    `marked` (the others' marks are above or below the whole page)."""
    found: list[Section] = []
    top_level = [entry for entry in entries if entry[1] == 0]
    for title, level, page in entries:
        if level == 0:
            index = top_level.index((title, level, page))
            kind = ("contents", "plan")[index] if index < 2 else "appendix"
            found.append(Section(kind, title, page))
            continue
        if level > 1:
            continue
        number = _question(title, headings)
        kind = (
            "question" if number is not None else "sign-off" if "sign" in title.lower() else "form"
        )
        top = _heading_top(flow(page), title) if page in marked else 1e9
        found.append(Section(kind, title, page, top, number))
    return found


def _heading_top(page: Flow, title: str) -> float:
    """The top of the largest drawing of `title` on the page (a contents line is smaller)."""
    best: tuple[float, float] | None = None
    for start in page.find(title):
        glyph = page.glyphs[next((g for g in page.glyph_of[start:] if g >= 0), 0)]
        if best is None or glyph.size > best[0]:
            best = (glyph.size, glyph.y1)
    return best[1] + 1 if best else 1e9


def section_at(found: list[Section], page: int, top: float) -> Section:
    """The section a mark whose top is at height `top` on `page` is in."""
    current: Section | None = None
    for section in found:
        if section.page < page or (section.page == page and section.top >= top - 2):
            current = section
        elif section.page > page:
            break
    return current if current is not None else Section("page", "", page)


@dataclass(frozen=True, slots=True)
class AnswerFile:
    """The answer file a question was built from, and whether it still holds those bytes."""

    number: int
    path: str
    """Relative to the inputs folder, as the record names it."""
    text: str | None
    """Its text now, if the inputs are known and it is there."""
    stale: bool
    """It changed (or went) since the pack was built."""


def answer_files(record: dict[str, Any] | None, inputs: Path | None) -> dict[int, AnswerFile]:
    found: dict[int, AnswerFile] = {}
    for name, digest in sorted((record or {}).get("sources", {}).items()):
        match = _ANSWER.match(name)
        if not match:
            continue
        text, stale = None, False
        if inputs is not None:
            path = inputs / name
            try:
                data = path.read_bytes()
            except OSError:
                stale = True
            else:
                stale = hashlib.sha256(data).hexdigest() != digest
                text = data.decode("utf-8", errors="replace")
        found[int(match[1])] = AnswerFile(int(match[1]), name, text, stale)
    return found

"""Each reviewer's mark put in its place: the section of the pack it is in, the words it marks,
and for a mark on an answer the answer file and line those words are on.

A mark on text quotes the words under it (a highlight's quadrilaterals, a drawing's box); a
caret points between two words; a note, a text box or a stamp marks no words, and is placed
at the line of text nearest its top. A suggested edit is a strike-out alone (delete), a
strike-out grouped with a caret that carries the new words (replace), or a caret with words
(insert).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.annotations.glyphs import page_glyphs
from pipeline.annotations.locate import Context, Found, find
from pipeline.annotations.places import (
    AnswerFile,
    Section,
    answer_files,
    outline,
    record_of,
    section_at,
    sections,
)
from pipeline.annotations.quote import Flow, caret, flow, nearest_line, under
from pipeline.annotations.read import Mark, read_marks
from pipeline.annotations.source import Visible, visible

_QUOTED = {"/Ink", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Line", "/Redact"}
"""Marks that quote what they cover besides marks on text: drawings around words."""
_WINDOW = 300
"""Characters of the page's text kept either side of a mark, as its context."""


@dataclass
class Placed:
    """A mark, where it is, and what it suggests."""

    mark: Mark
    section: Section
    context: Context | None = None
    """The words marked (and the page's words either side); None for a mark on no words."""
    located: Context | None = None
    """The page's words a mark on no words is placed by (its nearest line)."""
    answer: AnswerFile | None = None
    found: Found | None = None
    """Where the marked words (or the nearest line) are in the answer file."""
    line: int | None = None
    edit: str = ""
    """`delete`, `replace` or `insert` for a suggested edit; '' otherwise."""
    new: str = ""
    """The words a replacement or an insertion puts in."""

    @property
    def quote(self) -> str:
        return " ".join(self.context.quote.split()) if self.context else ""

    @property
    def source(self) -> str:
        """`answers/1-profile.md:7` where the mark is found in an answer, else ''."""
        if self.answer is None or self.line is None:
            return ""
        return f"{self.answer.path}:{self.line}"


class Pages:
    """The pages' text, each read once, when a mark or a heading on it needs it."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.cache: dict[int, Flow] = {}

    def __call__(self, page: int) -> Flow:
        if page not in self.cache:
            from pypdf.errors import PyPdfError

            try:
                glyphs = page_glyphs(self.reader, self.reader.pages[page])
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                    RecursionError, OSError, NotImplementedError):  # fmt: skip
                glyphs = []  # a page whose content is damaged: its marks are listed, unquoted
            self.cache[page] = flow(glyphs)
        return self.cache[page]


def _context(page: Flow, span: tuple[int, int] | None) -> Context | None:
    if span is None:
        return None
    start, end = span
    return Context(
        page.text[max(0, start - _WINDOW) : start],
        page.text[start:end],
        page.text[end : end + _WINDOW],
        start,
    )


def _spot(mark: Mark, page: Flow) -> tuple[Context | None, str, str]:
    """(the words marked, the edit suggested, its new words)."""
    struck = next((m for m in mark.group if m.subtype == "/StrikeOut"), None)
    if mark.subtype == "/Caret" and struck is not None:
        return _context(page, under(page, list(struck.boxes))), "replace", mark.text
    if mark.subtype == "/Caret":
        at = caret(page, mark.rect)
        if at is None:
            return None, "insert" if mark.text.strip() else "", mark.text
        return _context(page, (at, at)), "insert" if mark.text.strip() else "", mark.text
    if mark.subtype == "/StrikeOut":
        return _context(page, under(page, list(mark.boxes))), "delete", ""
    if (
        mark.subtype in _QUOTED
        or len(mark.boxes) > 1
        or mark.subtype.startswith(("/High", "/Under", "/Squi"))
    ):
        return _context(page, under(page, list(mark.boxes))), "", ""
    return None, "", ""


def _top(mark: Mark) -> float:
    boxes = [box for m in (mark, *mark.group) for box in m.boxes]
    return max(box[3] for box in boxes)


def place_all(reader: Any, inputs: Path | None, headings: dict[str, int]) -> list[Placed]:
    """Every reviewer's mark on the PDF read by `reader`, placed; `inputs` (if known) holds the
    answer files, `headings` the form's question headings and numbers."""
    pages = Pages(reader)
    record = record_of(reader)
    marks = read_marks(reader)
    marked = {mark.page for mark in marks}
    found_sections = sections(outline(reader), headings, pages, marked) if record else []
    answers = answer_files(record, inputs)
    texts: dict[int, Visible] = {}
    placed: list[Placed] = []
    for mark in marks:
        page = pages(mark.page)
        top = _top(mark)
        section = (
            section_at(found_sections, mark.page, top)
            if found_sections
            else Section("page", "", mark.page)
        )
        context, edit, new = _spot(mark, page)
        item = Placed(mark, section, context, edit=edit, new=new)
        if context is None or (not context.quote.strip() and edit != "insert"):
            item.context = None if edit != "insert" else context
            item.located = _context(page, nearest_line(page, mark.rect))
        answer = (
            answers.get(section.number) if section.kind == "question" and section.number else None
        )
        if answer is not None:
            item.answer = answer
            if answer.text is not None:
                if answer.number not in texts:
                    texts[answer.number] = visible(answer.text)
                spot = item.context if item.context is not None else item.located
                if spot is not None:
                    item.found = find(texts[answer.number], spot)
                    if item.found.unique:
                        item.line = texts[answer.number].line(item.found.start)
        placed.append(item)
    return sorted(placed, key=_reading_order)


def _reading_order(item: Placed) -> tuple[int, int, float]:
    """Page by page, in the order the page's text is read (a mark on no text after it)."""
    spot = item.context if item.context is not None else item.located
    at = spot.at if spot is not None and spot.at >= 0 else 1 << 30
    return (item.mark.page, at, -_top(item.mark))

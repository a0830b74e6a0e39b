"""A draft as reviewers sent it back: its answers found again, in either view of tracked changes.

An answer runs from the block holding its bookmark (back over anything a reviewer added after
the question's prompt) to the next Heading 1, the next answer, or the end of the body: a
paragraph a reviewer adds after an answer's last one belongs to that answer, though it lies
outside the bookmark Word and LibreOffice keep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, UnsafeFile
from pipeline.form import load_form
from pipeline.review.formats import refuse_other_formats
from pipeline.review.record import BOOKMARK_NAME, Record, parse_record
from pipeline.word.blocks import Block, Reader
from pipeline.word.package import Docx, Lookups, W

MAX_BLOCKS = 20_000
"""More paragraphs than any answer could hold: a document with more is refused, not read."""


@dataclass
class Reviewed:
    """A reviewed draft, opened."""

    path: Path
    docx: Docx
    record: Record | None
    lookups: Lookups
    children: list[Any]
    """The body's top-level elements, in order."""
    regions: dict[int, range]
    """Question number -> the indexes of its answer's blocks."""
    sections: dict[int, range]
    """Question number -> its heading, prompt and answer."""
    _views: dict[bool, list[tuple[Block, int]]] = field(default_factory=dict)

    def blocks(self, number: int, accepted: bool = True) -> list[Block]:
        """The blocks of one answer, with tracked changes accepted (or rejected)."""
        if accepted not in self._views:
            index = {id(child): i for i, child in enumerate(self.children)}
            read = Reader(self.lookups, accepted).blocks(self.children)
            self._views[accepted] = [(block, index[id(top)]) for block, top in read]
        region = self.regions.get(number, range(0))
        return [block for block, i in self._views[accepted] if i in region]

    def question_at(self, index: int) -> int | None:
        """The question whose heading, prompt or answer holds body block `index`."""
        return next((n for n, span in self.sections.items() if index in span), None)

    def heading_before(self, index: int) -> str:
        """The text of the last Heading 1 at or before body block `index`."""
        for i in range(min(index, len(self.children) - 1), -1, -1):
            if _style(self.children[i], self.lookups).startswith("heading 1"):
                return "".join(t.text or "" for t in self.children[i].iter(f"{W}t")).strip()
        return "the start of the document"


def _style(element: Any, lookups: Lookups) -> str:
    if element.tag != f"{W}p":
        return ""
    style = element.find(f"{W}pPr/{W}pStyle")
    return lookups.style_name(style.get(f"{W}val") if style is not None else None)


def open_reviewed(path: Path) -> Reviewed:
    """Open a reviewed draft; an `InputError` naming it if it is damaged or not a draft."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    refuse_other_formats(path)
    docx = Docx(path)
    body = docx.body()
    children = list(body)
    if len(children) > MAX_BLOCKS:
        raise InputError(f"{path}: {len(children)} paragraphs and tables; refused as no draft")
    lookups = docx.lookups()
    starts = answer_starts(body)
    if not starts:
        raise InputError(
            f"{path}: not a draft made by `pack draft` (no answer bookmarks); "
            "reviewers must edit the draft's own file"
        )
    record = _record(docx)
    headings = _headings(record)

    def ends_answer(element: Any) -> bool:
        """A heading, or a question's prompt: no answer runs on past one (a heading a
        reviewer's deletion left in body text's style is known by its words)."""
        if _style(element, lookups) in ("heading 1", "prompt"):
            return True
        return "".join(t.text or "" for t in element.iter(f"{W}t")).strip() in headings

    ordered = sorted(starts.items(), key=lambda item: item[1])
    boundaries = {index for _, index in ordered}
    regions: dict[int, range] = {}
    sections: dict[int, range] = {}
    previous_end = 0
    for number, start in ordered:
        first = start
        while first - 1 >= previous_end and _style(children[first - 1], lookups) not in (
            "heading 1",
            "prompt",
        ):
            first -= 1
        end = start + 1
        while end < len(children) and end not in boundaries and not ends_answer(children[end]):
            end += 1
        regions[number] = range(first, end)
        heading = first
        while heading - 1 >= previous_end and _style(children[heading], lookups) != "heading 1":
            heading -= 1
        sections[number] = range(heading, end)
        previous_end = end
    return Reviewed(path, docx, record, lookups, children, regions, sections)


def _headings(record: Record | None) -> set[str]:
    """The questions' headings as the draft wrote them, if the form is known."""
    if record is None:
        return set()
    try:
        return {question.heading for question in load_form(record.framework).questions}
    except InputError:
        return set()


def _record(docx: Docx) -> Record | None:
    """The draft's record of its sources, or None if this document has none."""
    for root in docx.custom_parts():
        try:
            record = parse_record(root)
        except ValueError as exc:
            raise UnsafeFile(f"{docx.path}: the draft's record is damaged ({exc})") from exc
        if record is not None:
            return record
    return None


def answer_starts(body: Any) -> dict[int, int]:
    """Question number -> the index of the body block where its answer's bookmark starts.

    Found by bookmark *name*: LibreOffice 7.4 writes a range bookmark's start twice when it saves
    DOCX and pairs the end with the second, so neither ids nor ends can be relied on."""
    starts: dict[int, int] = {}
    for index, block in enumerate(body):
        for mark in block.iter(f"{W}bookmarkStart"):
            match = BOOKMARK_NAME.match(mark.get(f"{W}name") or "")
            if match:
                starts.setdefault(int(match[1]), index)
    return starts

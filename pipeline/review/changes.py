"""Every tracked change in a reviewed draft, whether or not it carries text.

Text inserted or deleted (`w:ins`, `w:del`), and what has no text: paragraph marks (a paragraph
split or two joined), line breaks, tabs, footnotes and endnotes, pictures, table rows
(`w:trPr`), text moved (`w:moveFrom`, `w:moveTo`: reported as a move at both ends), formatting
(`w:rPrChange`, `w:pPrChange`: reported with what changed), and changes inside the text of a
footnote or endnote (reported where the note's reference is). One change typed across
paragraphs is one item; unchanged text between two changes keeps them apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.review.formatting import paragraph_change, run_change
from pipeline.review.items import Item, locate
from pipeline.word.blocks import Reader
from pipeline.word.package import W

if TYPE_CHECKING:
    from pipeline.review.document import Reviewed

_KIND = {
    f"{W}ins": "insertion",
    f"{W}del": "deletion",
    f"{W}moveTo": "move",
    f"{W}moveFrom": "move",
}
_MOVE = {f"{W}moveTo": "moved here", f"{W}moveFrom": "moved away"}


@dataclass
class _Change:
    """An item being gathered: its text, and what it holds that is not text."""

    kind: str
    author: str
    date: str
    index: int
    order: int
    anchor: str
    detail: str = ""
    text: list[str] = field(default_factory=list)
    things: list[str] = field(default_factory=list)
    """Paragraph breaks, line breaks and tabs, in order: they describe a change without text."""

    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.author, self.date, self.detail)


class _Collector:
    def __init__(self, reviewed: Reviewed) -> None:
        self.reviewed = reviewed
        self.changes: list[_Change] = []
        self.last: _Change | None = None
        self.order = 0
        self.index = 0
        self.anchor = ""
        self.note_detail = ""
        self.accepted = Reader(reviewed.lookups, accepted=True)
        self.rejected = Reader(reviewed.lookups, accepted=False)
        self.rows: list[tuple[Any, str]] = []
        """Table rows inserted or deleted whole: the change their cells are part of (the
        elements themselves are kept, so lxml gives the same objects for them again)."""

    # -- gathering ------------------------------------------------------------------------
    def add(self, kind: str, author: str, date: str, detail: str = "") -> _Change:
        self.order += 1
        change = _Change(
            kind, author, date, self.index, self.order, self.anchor, detail or self.note_detail
        )
        self.changes.append(change)
        return change

    def piece(self, element: Any, kind: str, text: str, thing: str = "") -> None:
        """Text (or a break or tab) that `element`, a tracked change, holds."""
        author, date = element.get(f"{W}author", ""), element.get(f"{W}date", "")
        detail = _MOVE.get(element.tag, "")
        last = self.last
        if last is None or last.key() != (kind, author, date, detail or self.note_detail):
            last = self.last = self.add(kind, author, date, detail)
        last.text.append(text)
        if thing:
            last.things.append(thing)

    def whole(self, element: Any, kind: str, detail: str, text: str) -> None:
        """A change complete in itself: a footnote, a picture, a table row, a formatting."""
        author, date = element.get(f"{W}author", ""), element.get(f"{W}date", "")
        self.add(kind, author, date, detail).text.append(text)
        self.last = None

    # -- walking --------------------------------------------------------------------------
    def block(self, index: int, element: Any) -> None:
        self.index = index
        for row in element.iter(f"{W}tr"):
            self.row(row)
        for paragraph in element.iter(f"{W}p"):
            self.paragraph(paragraph)

    def row(self, row: Any) -> None:
        props = row.find(f"{W}trPr")
        for tag in (f"{W}ins", f"{W}del"):
            change = props.find(tag) if props is not None else None
            if change is not None:
                reader = self.accepted if tag == f"{W}ins" else self.rejected
                cells = [
                    " ".join(b.text for b, _ in reader.blocks(list(tc))).strip()
                    for tc in row.findall(f"{W}tc")
                ]
                self.anchor = " | ".join(cells)
                self.whole(change, _KIND[tag], "table row", " | ".join(cells))
                self.rows.append((row, _KIND[tag]))  # its cells' own changes are part of it

    def paragraph(self, p: Any, anchor: str | None = None) -> None:
        self.anchor = anchor if anchor is not None else " ".join(_text(p).split())
        row = next((a for a in p.iterancestors(f"{W}tr")), None)
        covered = next((kind for r, kind in self.rows if r is row), None)
        self.walk(p, covered)
        props = p.find(f"{W}pPr")
        mark = props.find(f"{W}rPr") if props is not None else None
        change = next((c for c in (mark if mark is not None else ()) if c.tag in _KIND), None)
        if change is not None and _KIND[change.tag] != covered:
            self.piece(change, _KIND[change.tag], "\n", "paragraph break")
        else:
            self.last = None  # an unchanged mark ends a change
        formatting = props.find(f"{W}pPrChange") if props is not None else None
        if formatting is not None:
            self.whole(
                formatting,
                "formatting",
                paragraph_change(props, formatting, self.reviewed.lookups),
                "",
            )

    def walk(self, parent: Any, covered: str | None, inside: Any | None = None) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str) or tag == f"{W}pPr":
                continue
            if tag in _KIND:
                self.walk(child, covered, child if _KIND[tag] != covered else None)
            elif tag == f"{W}r":
                self.run(child, inside)
            elif tag in (f"{W}p", f"{W}tbl"):
                continue  # a text box's paragraphs are walked on their own
            else:
                self.walk(child, covered, inside)

    def run(self, r: Any, change: Any | None) -> None:
        props = r.find(f"{W}rPr")
        formatting = props.find(f"{W}rPrChange") if props is not None else None
        if formatting is not None and change is None:
            self.whole(formatting, "formatting", run_change(props, formatting), _text(r, True))
        for child in r:
            tag = child.tag
            if tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                self.note(child, change)
                continue
            if change is None:
                if tag == f"{W}t" and child.text:
                    self.last = None  # unchanged text between two changes keeps them apart
                continue
            kind = _KIND[change.tag]
            if tag in (f"{W}t", f"{W}delText"):
                self.piece(change, kind, child.text or "")
            elif tag in (f"{W}br", f"{W}cr"):
                self.piece(change, kind, "\n", "line break")
            elif tag == f"{W}tab":
                self.piece(change, kind, "\t", "tab")
            elif tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
                described = child.find(".//{*}docPr")
                text = (described.get("descr") or "") if described is not None else ""
                self.whole(change, kind, "picture", text)

    def note(self, reference: Any, change: Any | None) -> None:
        """A footnote or endnote reference: inserted or deleted whole, or its text changed."""
        note_id = reference.get(f"{W}id") or ""
        is_foot = reference.tag == f"{W}footnoteReference"
        kind = _KIND[change.tag] if change is not None else ""
        notes = "footnotes" if is_foot else "endnotes"
        reader = self.rejected if kind == "deletion" else self.accepted
        text = reader.footnote_text(note_id, notes)
        body = getattr(self.reviewed.lookups, notes).get(note_id)
        if change is not None:
            self.whole(change, kind, "footnote" if is_foot else "endnote", text)
            return
        if body is None:
            return
        saved = (self.anchor, self.last, self.note_detail)
        self.note_detail = "in a footnote" if is_foot else "in an endnote"
        self.last = None
        for paragraph in body.iter(f"{W}p"):
            self.paragraph(paragraph, anchor=text)
        self.anchor, self.last, self.note_detail = saved[0], None, saved[2]

    # -- the result -----------------------------------------------------------------------
    def items(self) -> list[Item]:
        items = []
        for change in self.changes:
            text = "".join(change.text)
            detail = change.detail
            if change.things and not text.replace("\n", "").replace("\t", ""):
                text = ""
                detail = _things(change.things) + (f", {detail}" if detail else "")
            else:
                text = text.strip("\n")
            item = Item(
                None,
                change.kind,
                change.author,
                change.date,
                text,
                change.anchor,
                detail,
                (change.index, change.order),
            )
            items.append(locate(self.reviewed, change.index, item))
        return items


def tracked_changes(reviewed: Reviewed) -> list[Item]:
    """Every tracked change in the document's body (and its notes), in document order."""
    collector = _Collector(reviewed)
    for index, child in enumerate(reviewed.children):
        collector.block(index, child)
    return collector.items()


def _things(things: list[str]) -> str:
    counted: dict[str, int] = {}
    for thing in things:
        counted[thing] = counted.get(thing, 0) + 1
    return ", ".join(
        name if n == 1 else f"{n} {name.replace('break', 'breaks').replace('tab', 'tabs')}"
        for name, n in counted.items()
    )


def _text(element: Any, accepted: bool = True) -> str:
    tags = (f"{W}t",) if accepted else (f"{W}t", f"{W}delText")
    return "".join(node.text or "" for node in element.iter(*tags))

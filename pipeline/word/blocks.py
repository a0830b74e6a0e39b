"""A Word body as blocks of formatted text, read the way a reader of the document sees it.

`read_blocks(elements, lookups, accepted=True)` gives the paragraphs and tables with every
tracked change accepted; `accepted=False` gives them with every tracked change rejected (the
text as it was before tracked editing, untracked edits included). Each paragraph has a kind
(`p`, `heading`, `item`, `cont`, `quote`, `code`, `hr`, `prompt`), and its runs: text with bold,
italic, strikethrough, code and link, line breaks, footnote references and pictures. Ordered
list items carry the number Word shows for them.

Only XML is read here: python-docx's `Paragraph.text` skips text inside tracked insertions and
knows nothing of deletions, fields or content controls.
One reader serves both views of tracked changes, each construct read in one place for both,
so that the accepted and the rejected text can never disagree on structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.word.list_numbers import ListNumbers, as_int
from pipeline.word.package import Lookups, R, W, run_flags
from pipeline.word.spans import Block as Block  # re-exported: what the reader gives
from pipeline.word.spans import Para as Para
from pipeline.word.spans import Span as Span
from pipeline.word.spans import TableBlock as TableBlock

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_HEADING = re.compile(r"heading (\d)$")
_QUOTES = frozenset({"quote", "quotations", "intense quote", "block text"})
_CODES = frozenset({"code", "preformatted text", "html preformatted", "source code"})
_CONTS = frozenset({"list paragraph", "list continue", "list contents", "list"})
_CODE_CHARS = frozenset({"code char", "source text", "html code", "verbatim char"})
_MONO = frozenset({"courier new", "liberation mono", "consolas", "courier", "dejavu sans mono"})
_INSERTED = (f"{W}ins", f"{W}moveTo")
_DELETED = (f"{W}del", f"{W}moveFrom")
_SKIP = frozenset(
    f"{W}{tag}"
    for tag in (
        "pPr", "rPr", "proofErr", "bookmarkStart", "bookmarkEnd", "commentRangeStart",
        "commentRangeEnd", "permStart", "permEnd", "lastRenderedPageBreak",
    )
)  # fmt: skip


@dataclass(slots=True)
class _Format:
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    link: str | None = None


class Reader:
    """Reads body elements into blocks, in one view (tracked changes accepted or rejected)."""

    def __init__(self, lookups: Lookups, accepted: bool = True, chunks: bool = False) -> None:
        self.lookups = lookups
        self.accepted = accepted
        self.chunks = chunks
        """Give each body-level embedded part (`w:altChunk`) as an empty paragraph of it, for
        the importer to name; other readers never see one."""
        self.numbering = ListNumbers(lookups.numbering, lookups)
        self.fields: list[list[str]] = []
        """The complex fields open in the paragraph being read: [instruction, phase]."""

    # -- blocks ---------------------------------------------------------------------------
    def blocks(self, elements: Iterable[Any]) -> list[tuple[Block, Any]]:
        """(block, the top-level element it starts in) for each block of `elements`."""
        found: list[tuple[Block, Any]] = []
        pending: tuple[Para, Any] | None = None  # a paragraph whose mark is removed in this view
        for top in elements:
            for element in self._flatten(top):
                if element.tag in (f"{W}tbl", f"{W}altChunk"):
                    if pending:
                        found.append(pending)
                        pending = None
                    table = element.tag == f"{W}tbl"
                    found.append(
                        (self.table(element) if table else Para("p", elements=[element]), top)
                    )
                    continue
                if self._mark_removed(element) and self._shows_nothing(element):
                    continue  # deleted whole, mark and all: not counted in its list either
                counters = self.numbering.saved() if pending is not None else None
                paragraph = self.paragraph(element)
                if counters is not None:  # joined onto the one before: one item, one number
                    self.numbering.restore(counters)
                if pending is not None:
                    pending[0].spans.extend(paragraph.spans)
                    pending[0].elements.extend(paragraph.elements)
                    paragraph, origin = pending
                    pending = None
                else:
                    origin = top
                if self._mark_removed(element):
                    pending = (paragraph, origin)
                else:
                    found.append((paragraph, origin))
        if pending:
            found.append(pending)
        return found

    def _flatten(self, element: Any) -> Iterable[Any]:
        """The paragraphs and tables of a body-level element (content controls opened)."""
        if element.tag in (f"{W}p", f"{W}tbl") or (element.tag == f"{W}altChunk" and self.chunks):
            yield element
        elif element.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent"):
            for child in element:
                yield from self._flatten(child)
        elif element.tag == f"{_MC}AlternateContent":  # as in a paragraph: the choice is read
            yield from (b for child in _choice(element) for b in self._flatten(child))
        elif element.tag in _INSERTED + _DELETED and (element.tag in _INSERTED) == self.accepted:
            for child in element:  # a tracked block-level change wraps whole paragraphs
                yield from self._flatten(child)

    def _shows_nothing(self, p: Any) -> bool:
        spans: list[Span] = []
        saved, self.fields = self.fields, []
        self._runs(p, _Format(), spans)
        self.fields = saved
        return not spans

    def _mark_removed(self, p: Any) -> bool:
        """Whether this paragraph's mark is gone in this view (it then joins the next one)."""
        mark = p.find(f"{W}pPr/{W}rPr")
        if mark is None:
            return False
        tags = _DELETED if self.accepted else _INSERTED
        return any(mark.find(tag) is not None for tag in tags)

    def table(self, tbl: Any) -> TableBlock:
        rows: list[list[list[Para]]] = []
        for tr in wrapped(tbl, "tr"):  # a nested table's rows are read with their cell
            tr_pr = tr.find(f"{W}trPr")
            gone = _DELETED if self.accepted else _INSERTED
            if tr_pr is not None and any(tr_pr.find(tag) is not None for tag in gone):
                continue
            row = []
            for tc in wrapped(tr, "tc"):
                cell = [b for b, _ in self.blocks(tc) if isinstance(b, Para)]
                row.append(cell)
            rows.append(row)
        aligns: list[str | None] = []
        for cell in rows[0] if rows else []:
            jc = cell[0].elements[0].find(f"{W}pPr/{W}jc") if cell and cell[0].elements else None
            value = jc.get(f"{W}val") if jc is not None else None
            aligns.append({"start": "left", "end": "right", "both": None}.get(value or "", value))
        return TableBlock(rows, aligns, [tbl])

    # -- paragraphs -----------------------------------------------------------------------
    def _before(self, props: Any | None, change: str) -> Any | None:
        """Properties as this view has them: with the change rejected, those it replaced."""
        if self.accepted or props is None:
            return props
        changed = props.find(f"{W}{change}")
        return props if changed is None else changed.find(f"{W}{change[:3]}")

    def paragraph(self, p: Any) -> Para:
        p_pr = self._before(p.find(f"{W}pPr"), "pPrChange")
        style_el = p_pr.find(f"{W}pStyle") if p_pr is not None else None
        style_id = style_el.get(f"{W}val") if style_el is not None else None
        name = self.lookups.style_name(style_id)
        paragraph = Para(kind="p", elements=[p])
        self.fields = []
        self._runs(p, _Format(), paragraph.spans)
        heading = _HEADING.match(name)
        num = self._num(p_pr, style_id)
        if heading:
            paragraph.kind, paragraph.level = "heading", int(heading[1])
        elif name == "prompt":
            paragraph.kind = "prompt"
        elif num is not None:
            paragraph.kind, paragraph.level = "item", num[1]
            paragraph.list_kind, paragraph.number = self.numbering.item(*num)
        elif name in _CONTS:
            paragraph.kind = "cont"
        elif name in _QUOTES:
            paragraph.kind = "quote"
        elif name in _CODES:
            paragraph.kind = "code"
        elif (
            not paragraph.text.strip()
            and p_pr is not None
            and p_pr.find(f"{W}pBdr/{W}bottom") is not None
        ):
            paragraph.kind = "hr"
        return paragraph

    def _num(self, p_pr: Any | None, style_id: str | None) -> tuple[str, int] | None:
        num_pr = p_pr.find(f"{W}numPr") if p_pr is not None else None
        if num_pr is not None:
            num_id = num_pr.find(f"{W}numId")
            ilvl = num_pr.find(f"{W}ilvl")
            value = num_id.get(f"{W}val", "0") if num_id is not None else None
            if value is not None:
                level = as_int(ilvl.get(f"{W}val"), 0) if ilvl is not None else 0
                return None if value == "0" else (value, level)
        inherited = self.lookups.inherited(style_id, "num")
        return inherited if inherited and inherited[0] != "0" else None

    def _runs(self, parent: Any, fmt: _Format, out: list[Span]) -> None:
        for child in parent:
            tag = child.tag
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if tag == f"{W}r":
                self._run(child, fmt, out)
            elif tag in _INSERTED:
                if self.accepted:
                    self._runs(child, fmt, out)
            elif tag in _DELETED:
                if not self.accepted:
                    self._runs(child, fmt, out)
            elif tag == f"{W}hyperlink":
                target = self.lookups.links.get(child.get(f"{R}id") or "")
                self._runs(child, _replace(fmt, link=target or fmt.link), out)
            elif tag == f"{W}fldSimple":
                self._runs(
                    child, _replace(fmt, link=_hyperlink(child.get(f"{W}instr")) or fmt.link), out
                )
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self._runs(content, fmt, out)
            elif tag == f"{_MC}AlternateContent":
                self._runs(_choice(child), fmt, out)
            elif tag in (f"{W}smartTag", f"{W}customXml", f"{W}dir", f"{W}bdo"):
                self._runs(child, fmt, out)

    def _run(self, r: Any, outer: _Format, out: list[Span]) -> None:
        fmt = self._format(self._before(r.find(f"{W}rPr"), "rPrChange"), outer)
        fields = self.fields
        for child in r:
            tag = child.tag
            if tag == f"{W}fldChar":
                kind = child.get(f"{W}fldCharType")
                if kind == "begin":
                    fields.append(["", "instruction"])
                elif kind == "separate" and fields:
                    fields[-1][1] = "result"
                elif kind == "end" and fields:
                    fields.pop()
                continue
            if tag == f"{W}instrText":
                if fields:
                    fields[-1][0] += child.text or ""
                continue
            if fields and fields[-1][1] == "instruction":
                continue  # nothing of a field's code is shown
            link = next((_hyperlink(f[0]) for f in reversed(fields) if _hyperlink(f[0])), None)
            here = _replace(fmt, link=link) if link else fmt
            if tag == f"{W}ruby":  # a phonetic guide above East Asian text: the text is its base
                base = child.find(f"{W}rubyBase")
                if base is not None:
                    self._runs(base, here, out)
                continue
            span = self._piece(child, here)
            if span is not None:
                out.append(span)

    def _piece(self, child: Any, fmt: _Format) -> Span | None:
        tag = child.tag
        text = None
        if tag == f"{W}t":
            text = child.text or ""
        elif tag == f"{W}delText":
            text = (child.text or "") if not self.accepted else None
        elif tag == f"{W}tab":
            text = "\t"
        elif tag == f"{W}noBreakHyphen":
            text = "-"
        elif tag == f"{W}sym":
            text = _symbol(child.get(f"{W}char"))
        elif tag in (f"{W}br", f"{W}cr"):
            if child.get(f"{W}type") in ("page", "column"):
                return None
            return Span(kind="break")
        elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):  # Markdown has one kind
            notes = "footnotes" if tag == f"{W}footnoteReference" else "endnotes"
            return Span(kind="footnote", ref=self.footnote_text(child.get(f"{W}id") or "", notes))
        elif tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
            return self._picture(child, fmt.link)
        if text is None:
            return None
        return Span(text.replace("\n", " "), fmt.bold, fmt.italic, fmt.strike, fmt.code, fmt.link)

    def _picture(self, element: Any, link: str | None = None) -> Span:
        described = element.find(f".//{_WP}docPr")
        blip = element.find(f".//{_A}blip")
        r_id = blip.get(f"{R}embed") if blip is not None else None
        return Span(
            kind="image",
            ref=(described.get("descr") or "") if described is not None else "",
            media=self.lookups.media.get(r_id or "", ""),
            link=link,  # a linked picture: clickable
        )

    def _format(self, r_pr: Any | None, outer: _Format) -> _Format:
        style_id = None
        fmt = _replace(outer)
        if r_pr is not None:
            style = r_pr.find(f"{W}rStyle")
            style_id = style.get(f"{W}val") if style is not None else None
        for attribute in ("bold", "italic", "strike"):
            value = self.lookups.inherited(style_id, attribute)
            if value is not None:
                setattr(fmt, attribute, value)
        if r_pr is not None:
            for attribute, value in run_flags(r_pr).items():
                setattr(fmt, attribute, value)
            fonts = r_pr.find(f"{W}rFonts")
            if fonts is not None and (fonts.get(f"{W}ascii") or "").lower() in _MONO:
                fmt.code = True
        if self.lookups.style_name(style_id) in _CODE_CHARS:
            fmt.code = True
        return fmt

    def footnote_text(self, note_id: str, notes: str = "footnotes") -> str:
        """A footnote's (or an endnote's) text in this view, without its number."""
        note = getattr(self.lookups, notes).get(note_id)
        if note is None:
            return ""
        spans: list[Span] = []
        saved, self.fields = self.fields, []
        for p in note.iter(f"{W}p"):
            if spans:
                spans.append(Span(" "))
            self._runs(p, _Format(), spans)
        self.fields = saved
        return " ".join("".join(s.text for s in spans).split())


_WRAPPERS = frozenset({f"{W}sdt", f"{W}sdtContent", f"{W}customXml"})


def wrapped(parent: Any, tag: str) -> Iterable[Any]:
    """The `tag` children of `parent` (rows of a table, cells of a row), also where a content
    control or custom XML wraps them (Word's forms and some producers do)."""
    for child in parent:
        if child.tag == f"{W}{tag}":
            yield child
        elif child.tag in _WRAPPERS:
            yield from wrapped(child, tag)
        elif child.tag == f"{_MC}AlternateContent":
            yield from wrapped(_choice(child), tag)


def _choice(alternate: Any) -> Any:
    """What markup compatibility's first choice holds (its fallbacks repeat it for older
    readers): an element to iterate, or an empty tuple."""
    choice = alternate.find(f"{_MC}Choice")
    return choice if choice is not None else ()


def _replace(fmt: _Format, **changes: Any) -> _Format:
    copy = _Format(fmt.bold, fmt.italic, fmt.strike, fmt.code, fmt.link)
    for key, value in changes.items():
        setattr(copy, key, value)
    return copy


def _hyperlink(instruction: str | None) -> str | None:
    """The target of a HYPERLINK field instruction, if it is one to a web address."""
    match = re.match(r'\s*HYPERLINK\s+"([^"]+)"', instruction or "")
    return match[1] if match else None


def _symbol(code: str | None) -> str:
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    return chr(value - 0xF000 if value >= 0xF000 else value)


def read_blocks(elements: Iterable[Any], lookups: Lookups, accepted: bool = True) -> list[Block]:
    """The blocks of `elements` in one view; see the module's docstring."""
    return [block for block, _ in Reader(lookups, accepted).blocks(elements)]

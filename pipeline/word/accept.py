"""Every tracked change in a Word file accepted, in a copy: what `--accept-changes` converts.

Done in the XML before conversion, not by LibreOffice: LibreOffice 7.4 dies loading some
reviewed files through UNO (the build then converts them with `soffice --convert-to`, which
cannot be told to accept anything), and a copy accepted here can be read back and tested
without LibreOffice. The rules are Word's (and Open-XML-PowerTools' `RevisionAccepter`):
- inserted and moved-here content (`w:ins`, `w:moveTo`) stays, its wrapper gone;
- deleted and moved-away content (`w:del`, `w:moveFrom`) goes, with a table row deleted as a
  row (`w:trPr/w:del`) and a cell deleted as a cell (`w:cellDel`);
- a deleted paragraph mark joins its paragraph to the next one, which keeps its own
  properties (a deleted section break, held in the first one's, goes with it);
- formatting changes (`w:rPrChange`, `w:pPrChange`, and those of sections, tables, rows,
  cells and numbering) keep the new formatting and forget the old; `w:cellMerge` becomes the
  merge it records;
- the marks of moves' ranges go, and Word's setting to track changes is turned off in the copy
  (LibreOffice would record its own changes while it lays the copy out).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.safety import WORD_MAIN, check_zip, parse_xml
from pipeline.word.revisions import NAMESPACES, W, counts, is_story

_GONE = (
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
    "customXmlDelRangeEnd", "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd",
    "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd", "pPrChange", "rPrChange",
    "sectPrChange", "tblPrChange", "tblGridChange", "trPrChange", "tcPrChange",
    "tblPrExChange", "numberingChange", "cellIns", "delText", "delInstrText",
)  # fmt: skip
"""Elements that only record a change: removed, with what they hold (the old formatting)."""
_FORMATTING_PARTS = ("word/styles.xml", "word/numbering.xml")
"""Parts outside the text that may hold formatting changes (a style changed with tracking)."""


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


def _is_mark(element: Any) -> bool:
    """Whether a `w:ins`/`w:del`/... is a mark in properties (a paragraph mark, a table row,
    a list number inserted or deleted) rather than a wrapper around content."""
    parent = element.getparent()
    return parent is not None and _local(parent).endswith("Pr")


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _unwrap(element: Any) -> None:
    """Put `element`'s children where it is, and remove it."""
    parent = element.getparent()
    if parent is None:
        return
    at = list(parent).index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(at + offset, child)
    parent.remove(element)


class _Part:
    """One part's XML, in Word's namespace as the part uses it (transitional or strict)."""

    def __init__(self, root: Any) -> None:
        namespace = etree.QName(root).namespace
        w = f"{{{namespace}}}" if namespace in (n[1:-1] for n in NAMESPACES) else W
        self.root, self.w = root, w
        self.removed = (f"{w}del", f"{w}moveFrom")
        self.kept = (f"{w}ins", f"{w}moveTo")
        self.blocks = (f"{w}p", f"{w}tbl", f"{w}sdt")

    def accept(self) -> None:
        root, w = self.root, self.w
        for row in [r for r in root.iter(f"{w}tr") if r.find(f"{w}trPr/{w}del") is not None]:
            _remove(row)
        for cell in [c for c in root.iter(f"{w}tc") if c.find(f"{w}tcPr/{w}cellDel") is not None]:
            _remove(cell)
        for mark in list(root.iter(f"{w}cellMerge")):
            self._cell_merge(mark)
        self._join_paragraphs()
        for element in list(root.iter(*self.removed)):
            _remove(self._deleted(element))
        for element in list(root.iter(*self.kept)):
            if _is_mark(element):
                _remove(element)
            else:
                _unwrap(element)
        for element in list(root.iter(*(f"{w}{name}" for name in _GONE))):
            _remove(element)
        self._tidy()

    def _mark_removed(self, paragraph: Any) -> bool:
        """Whether a paragraph's mark was deleted or moved away (`w:pPr/w:rPr/w:del`)."""
        w = self.w
        return any(paragraph.find(f"{w}pPr/{w}rPr/{tag}") is not None for tag in self.removed)

    def _next_block(self, element: Any) -> Any | None:
        """The next paragraph or table after `element` among its siblings (bookmarks and the
        like between them skipped), or None."""
        sibling = element.getnext()
        while sibling is not None and sibling.tag not in self.blocks:
            sibling = sibling.getnext()
        return sibling

    def _kept_runs(self, paragraph: Any) -> bool:
        """Whether any run of `paragraph` is outside deleted or moved-away content."""
        for run in paragraph.iter(f"{self.w}r"):
            ancestor = run.getparent()
            while ancestor is not paragraph and ancestor.tag not in self.removed:
                ancestor = ancestor.getparent()
            if ancestor is paragraph:
                return True
        return False

    def _join_paragraphs(self) -> None:
        """Each paragraph whose mark was deleted joined to the paragraph after it."""
        w = self.w
        for paragraph in [p for p in self.root.iter(f"{w}p") if self._mark_removed(p)]:
            following = self._next_block(paragraph)
            container = paragraph.getparent()
            if following is None or following.tag != f"{w}p":
                # last in its cell, note or document, or before a table: it stays, unless
                # nothing of it does and something else holds the place
                if not self._kept_runs(paragraph):
                    self._drop_empty(paragraph)
                continue
            properties = following.find(f"{w}pPr")
            at = 0 if properties is None else list(following).index(properties) + 1
            for child in [c for c in paragraph if c.tag != f"{w}pPr"]:
                following.insert(at, child)
                at += 1
            container.remove(paragraph)

    def _drop_empty(self, paragraph: Any) -> None:
        """Remove a paragraph left with nothing, where something else holds its place: a
        paragraph beside it, or beside the content control it is alone in (Word removes the
        control with it)."""
        holder: Any = paragraph
        while holder.getparent() is not None:
            container = holder.getparent()
            if sum(1 for child in container if child.tag in self.blocks) > 1:
                container.remove(holder)
                return
            if container.tag != f"{self.w}sdtContent" or container.getparent() is None:
                return
            holder = container.getparent()  # the content control, in its own container

    def _deleted(self, element: Any) -> Any:
        """What a `w:del` or `w:moveFrom` takes with it: the content it wraps; as a mark,
        itself (a paragraph's mark, once joined), or the math it marks (a math run's
        properties, a math object's control character)."""
        parent = element.getparent()
        if parent is None or not _is_mark(element):
            return element
        holder = parent.getparent()
        if _local(parent) == "rPr" and holder is not None and _local(holder) == "r":
            return holder if holder.tag != f"{self.w}r" else element  # a math run: m:r
        if _local(parent) == "ctrlPr" and holder is not None and holder.getparent() is not None:
            return holder.getparent()  # m:f/m:fPr/m:ctrlPr/w:del: the fraction
        return element

    def _cell_merge(self, mark: Any) -> None:
        """A tracked vertical merge (`w:cellMerge`) as the merge it records."""
        w = self.w
        merge = {"rest": "restart", "cont": "continue"}.get(mark.get(f"{w}vMerge", ""))
        if merge is not None and mark.getparent().find(f"{w}vMerge") is None:
            mark.addprevious(etree.Element(f"{w}vMerge", {f"{w}val": merge}))
        _remove(mark)

    def _tidy(self) -> None:
        """What accepting may leave that Word would not write: a table without rows, a cell
        without a paragraph, empty list-number properties."""
        root, w = self.root, self.w
        for table in list(root.iter(f"{w}tbl")):
            if table.find(f"{w}tr") is None:
                _remove(table)
        for cell in root.iter(f"{w}tc"):
            if cell.find(f"{w}p") is None and cell.find(f"{w}tbl") is None:
                etree.SubElement(cell, f"{w}p")
        for numbering in list(root.iter(f"{w}numPr")):
            if len(numbering) == 0:
                _remove(numbering)


def accept_part(root: Any) -> None:
    """Accept every tracked change in one part (a story, styles or numbering), in place."""
    _Part(root).accept()


def _settings(data: bytes) -> bytes:
    """The settings part without Word's "track changes" switch."""
    root = parse_xml(data)
    for element in [e for e in root if _local(e) == "trackRevisions"]:
        root.remove(element)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def accept_changes(source: Path, target: Path) -> int:
    """Write to `target` the Word file `source` with every tracked change accepted; the number
    of changes accepted. A file without any is copied byte for byte; `source` is only read."""
    main = check_zip(source, required=WORD_MAIN)
    accepted = counts(source).changes
    if not accepted:
        target.write_bytes(source.read_bytes())
        return 0
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            name = info.filename
            if is_story(name, main) or name in _FORMATTING_PARTS:
                root = parse_xml(data)
                accept_part(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif name == "word/settings.xml":
                data = _settings(data)
            out.writestr(info, data)
    return accepted

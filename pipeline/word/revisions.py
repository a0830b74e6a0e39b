"""An unfinished review in a Word file: tracked changes and comments, counted and removed.

A final pack must not carry a Word appendix whose review is unfinished (`pack check` counts
what is left, `counts`), and a Word file with comments must still convert: LibreOffice 7.4
dies loading some of them through UNO, and never prints comments in a PDF anyway, so the
copy that is converted has its comments taken out (`copy_without_comments`).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.errors import UnsafeFile
from pipeline.safety import WORD_MAIN, check_zip, parse_xml
from pipeline.text import plural

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
"""The namespace of Word's "Strict Open XML Document" (Word saves it; LibreOffice opens it)."""
NAMESPACES = (W, STRICT)
CHANGES = tuple(
    f"{ns}{name}"
    for ns in NAMESPACES
    for name in (
        "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
        "tblPrChange", "tblGridChange", "trPrChange", "tcPrChange", "tblPrExChange",
        "numberingChange", "cellIns", "cellDel", "cellMerge",
    )
)  # fmt: skip
"""The elements Word records a tracked change as (text, paragraph marks, formatting, moves)."""
_STORIES = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
"""The parts that hold the document's text, and so its tracked changes (and the main part,
whatever its name: `is_story`)."""
_COMMENT_PARTS = re.compile(r"^word/comments(Extended|Ids|Extensible)?\.xml$")
_COMMENT_MARKS = {
    f"{ns}{name}"
    for ns in NAMESPACES
    for name in ("commentRangeStart", "commentRangeEnd", "commentReference")
}
_CONTENT_TYPES = "[Content_Types].xml"


@dataclass(frozen=True, slots=True)
class Revisions:
    """What is left of a review in a Word file."""

    changes: int
    """Tracked changes not yet accepted or rejected."""
    comments: int

    def __bool__(self) -> bool:
        return bool(self.changes or self.comments)

    def describe(self) -> str:
        """`3 tracked changes and 2 comments`."""
        said = []
        if self.changes:
            said.append(plural(self.changes, "tracked change"))
        if self.comments:
            said.append(plural(self.comments, "comment"))
        return " and ".join(said)


def is_story(name: str, main: str) -> bool:
    """Whether part `name` holds the document's text: the main part `main`, its headers,
    footers and notes."""
    return name == main or bool(_STORIES.match(name))


def _parts(archive: zipfile.ZipFile, main: str) -> dict[str, bytes]:
    return {
        name: archive.read(name)
        for name in archive.namelist()
        if is_story(name, main) or _COMMENT_PARTS.match(name)
    }


def counts(path: Path) -> Revisions:
    """The tracked changes and comments left in the Word file at `path`; `UnsafeFile` if it
    is not a sane Word file."""
    main = check_zip(path, required=WORD_MAIN)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _parts(archive, main)
        changes = 0
        referenced: set[str] = set()
        comments = 0
        for name, data in parts.items():
            root = parse_xml(data)
            if name == "word/comments.xml":
                comments = sum(1 for _ in root.iter(*(f"{ns}comment" for ns in NAMESPACES)))
            elif is_story(name, main):
                changes += sum(1 for _ in root.iter(*CHANGES))
                referenced |= {
                    str(e.get(f"{ns}id"))
                    for ns in NAMESPACES
                    for e in root.iter(f"{ns}commentReference")
                }
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError) as exc:
        raise UnsafeFile(f"{path}: cannot read the Word file ({exc})") from exc
    return Revisions(changes, comments or len(referenced))


def copy_without_comments(source: Path, target: Path) -> int:
    """Write `source` to `target` without its comments (the marks in the text, the comments'
    parts and their references); the number of comments removed. Nothing else changes: a
    file without comments is copied byte for byte."""
    main = check_zip(source, required=WORD_MAIN)
    rels = posixpath.join(posixpath.dirname(main), "_rels", f"{posixpath.basename(main)}.rels")
    with zipfile.ZipFile(source) as archive:
        names = archive.namelist()
        if not any(_COMMENT_PARTS.match(n) for n in names) and not any(
            b"commentReference" in archive.read(n) for n in names if is_story(n, main)
        ):
            target.write_bytes(source.read_bytes())
            return 0
        removed = counts(source).comments
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in archive.infolist():
                if _COMMENT_PARTS.match(info.filename):
                    continue
                data = archive.read(info)
                if is_story(info.filename, main):
                    data = _without_marks(data)
                elif info.filename in (_CONTENT_TYPES, rels):
                    data = _without_references(data)
                out.writestr(info, data)
    return removed


def _without_marks(data: bytes) -> bytes:
    """A story part without comment anchors, and without the runs that only held a reference."""
    root = parse_xml(data)
    for mark in [e for e in root.iter() if e.tag in _COMMENT_MARKS]:
        parent = mark.getparent()
        parent.remove(mark)
        if etree.QName(parent).localname == "r" and not [
            c for c in parent if etree.QName(c).localname != "rPr"
        ]:
            parent.getparent().remove(parent)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _without_references(data: bytes) -> bytes:
    """The content types or the document's relationships, without the comments' parts."""
    root = parse_xml(data)
    for element in list(root):
        where = element.get("PartName") or element.get("Target") or ""
        if re.search(r"comments(Extended|Ids|Extensible)?\.xml$", where):
            root.remove(element)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))

"""Reading a reviewed DOCX: untrusted input, so a checked zip, bounded parts and a parser that
resolves no entities, loads no DTD and never touches the network.

`Docx` gives what reading the answers back needs: styles by id, list numbering, hyperlink
targets, footnotes, comments, and the draft's record of its sources. The same lookups can be
built from a python-docx document in memory (`Lookups.of_document`), so a freshly rendered
answer and a reviewed one are read by one reader.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.errors import UnsafeFile
from pipeline.safety import WORD_MAIN, check_zip, parse_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MAX_PART = 32 * 1024 * 1024
"""Bytes: the largest XML part that is parsed. A draft's document.xml is well under 1 MiB."""


RUN_FLAGS = (("bold", ("b",)), ("italic", ("i",)), ("strike", ("strike", "dstrike")))
"""Formatting read from a run's or a style's `w:rPr`: attribute -> its tags (double
strikethrough reads as strikethrough, Markdown having only the one)."""


def run_flags(r_pr: Any) -> dict[str, bool]:
    """The run properties `r_pr` sets (bold, italic, strike...), as `RUN_FLAGS` names them;
    one a run's own properties and a character style's share."""
    found = {}
    for attribute, tags in RUN_FLAGS:
        for tag in tags:
            flag = r_pr.find(f"{W}{tag}")
            if flag is not None:
                found[attribute] = on(flag)
    return found


def on(element: Any | None, name: str = "val") -> bool:
    """A Word on/off property: present and not `0`, `false` or `off`."""
    if element is None:
        return False
    return element.get(f"{W}{name}", "true").lower() not in ("0", "false", "off", "none")


@dataclass(slots=True)
class Style:
    """What reading needs of a style: its name and the formatting it implies."""

    name: str
    based_on: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    strike: bool | None = None
    num: tuple[str, int] | None = None
    """The list numbering the style applies: (numId, level)."""


@dataclass(slots=True)
class Lookups:
    """Styles, numbering, links and footnotes of one document."""

    styles: dict[str, Style] = field(default_factory=dict)
    numbering: Any | None = None
    links: dict[str, str] = field(default_factory=dict)
    """Relationship id -> external target (hyperlinks)."""
    media: dict[str, str] = field(default_factory=dict)
    """Relationship id -> part name (pictures)."""
    footnotes: dict[str, Any] = field(default_factory=dict)
    """Footnote id -> its `w:footnote` element."""
    endnotes: dict[str, Any] = field(default_factory=dict)
    """Endnote id -> its `w:endnote` element (a reviewer may add one; drafts have none)."""

    def style(self, style_id: str | None) -> Style | None:
        return self.styles.get(style_id or "")

    def inherited(self, style_id: str | None, attribute: str) -> Any:
        """A style's property, following `basedOn` (at most 20 steps: a loop is not followed)."""
        for _ in range(20):
            style = self.style(style_id)
            if style is None:
                return None
            value = getattr(style, attribute)
            if value is not None:
                return value
            style_id = style.based_on
        return None

    def style_name(self, style_id: str | None) -> str:
        style = self.style(style_id)
        return style.name.lower() if style else ""

    @classmethod
    def of_document(cls, document: Any, styles: dict[str, Style] | None = None) -> Lookups:
        """The lookups of a python-docx document in memory (`styles` if already read)."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        lookups = cls(styles=styles if styles is not None else read_styles(document.styles.element))
        part = document.part
        lookups.numbering = part.numbering_part.element
        for r_id, rel in part.rels.items():
            if rel.reltype == RT.HYPERLINK:
                lookups.links[r_id] = rel.target_ref
            elif rel.reltype == RT.FOOTNOTES:
                lookups.footnotes = footnotes_of(rel.target_part.element)
        return lookups


def read_styles(root: Any) -> dict[str, Style]:
    styles = {}
    for element in root.iter(f"{W}style"):
        style_id = element.get(f"{W}styleId")
        if not style_id:
            continue
        name = element.find(f"{W}name")
        based = element.find(f"{W}basedOn")
        style = Style(
            name.get(f"{W}val", style_id) if name is not None else style_id,
            based.get(f"{W}val") if based is not None else None,
        )
        r_pr = element.find(f"{W}rPr")
        if r_pr is not None:
            for attribute, value in run_flags(r_pr).items():
                setattr(style, attribute, value)
        num_pr = element.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id = num_pr.find(f"{W}numId")
            ilvl = num_pr.find(f"{W}ilvl")
            if num_id is not None:
                level = ilvl.get(f"{W}val", "0") if ilvl is not None else "0"
                style.num = (num_id.get(f"{W}val", "0"), int(level) if level.isdigit() else 0)
        styles[style_id] = style
    return styles


_STRICT = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", W[1:-1].encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", R[1:-1].encode()),
    (
        b"http://purl.oclc.org/ooxml/drawingml/",
        b"http://schemas.openxmlformats.org/drawingml/2006/",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/math",
        b"http://schemas.openxmlformats.org/officeDocument/2006/math",
    ),
)
"""Strict Open XML's namespaces -> the transitional ones Word writes by default (the same
elements under other names; `drawingml/main`, `drawingml/picture`... keep their last part)."""


def transitional(data: bytes) -> bytes:
    """A part saved as Strict Open XML, in the namespaces the readers know."""
    if b"purl.oclc.org/ooxml/" not in data:
        return data
    for strict, usual in _STRICT:
        data = data.replace(strict, usual)
    return data


def footnotes_of(root: Any, tag: str = "footnote") -> dict[str, Any]:
    return {f.get(f"{W}id", ""): f for f in root.iter(f"{W}{tag}")}


class Docx:
    """A DOCX from outside, opened for reading. Every failure is an `UnsafeFile` naming it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.main = check_zip(path, required=WORD_MAIN)
        """The main part: `word/document.xml`, or as the package's relationships name it."""
        self._parts: dict[str, Any] = {}
        try:
            with zipfile.ZipFile(path) as archive:
                self.names = {info.filename: info.file_size for info in archive.infolist()}
        except (zipfile.BadZipFile, OSError) as exc:
            raise UnsafeFile(f"{path}: not a readable Word document ({exc})") from exc

    def part(self, name: str) -> Any | None:
        """A part parsed safely; None if the document has no such part."""
        if name in self._parts:
            return self._parts[name]
        if name not in self.names:
            return None
        if self.names[name] > MAX_PART:
            raise UnsafeFile(f"{self.path}: part {name} is too large to be a draft's; refused")
        try:
            with zipfile.ZipFile(self.path) as archive:
                data = archive.read(name)
            tree = parse_xml(transitional(data)).getroottree()
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise UnsafeFile(f"{self.path}: damaged: part {name} cannot be read ({exc})") from exc
        except etree.XMLSyntaxError as exc:
            if "depth" in str(exc):  # well-formed, but deeper than the parser goes
                raise UnsafeFile(
                    f"{self.path}: part {name} nests tables, content controls or other elements "
                    "more than 256 deep; refused: flatten them in Word and run again"
                ) from exc
            raise UnsafeFile(f"{self.path}: damaged: part {name} is not XML ({exc})") from exc
        if tree.docinfo.doctype:
            raise UnsafeFile(f"{self.path}: part {name} has a DOCTYPE; refused")
        self._parts[name] = root = tree.getroot()
        return root

    def data(self, name: str) -> bytes:
        """The bytes of a (binary) part, such as a picture."""
        if name not in self.names:
            raise UnsafeFile(f"{self.path}: has no part {name}")
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(name)

    def relationships(self, name: str) -> dict[str, tuple[str, str, str]]:
        """Relationship id -> (type, target, mode) of part `name`."""
        folder, base = posixpath.split(name)
        root = self.part(posixpath.join(folder, "_rels", f"{base}.rels"))
        found = {}
        for rel in root.iter(_REL) if root is not None else ():
            found[rel.get("Id", "")] = (
                rel.get("Type", "").rsplit("/", 1)[-1],
                rel.get("Target", ""),
                rel.get("TargetMode", ""),
            )
        return found

    def body(self) -> Any:
        root = self.part(self.main)
        body = root.find(f"{W}body") if root is not None else None
        if body is None:
            raise UnsafeFile(f"{self.path}: damaged: the document has no body")
        return body

    def lookups(self) -> Lookups:
        styles = self.part("word/styles.xml")
        lookups = Lookups(styles=read_styles(styles) if styles is not None else {})
        folder = posixpath.dirname(self.main)
        for r_id, (kind, target, mode) in self.relationships(self.main).items():
            if mode == "External":
                path = ""
            elif target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            if kind == "hyperlink":
                lookups.links[r_id] = target
            elif kind == "image":
                lookups.media[r_id] = path
            elif kind == "numbering":
                lookups.numbering = self.part(path)
            elif kind == "footnotes":
                notes = self.part(path)
                lookups.footnotes = footnotes_of(notes) if notes is not None else {}
            elif kind == "endnotes":
                notes = self.part(path)
                lookups.endnotes = footnotes_of(notes, "endnote") if notes is not None else {}
        return lookups

    def custom_parts(self) -> list[Any]:
        """The parsed custom XML parts (`customXml/itemN.xml`), in name order."""
        found = []
        for name in sorted(self.names):
            if re.fullmatch(r"customXml/item\d+\.xml", name):
                root = self.part(name)
                if root is not None:
                    found.append(root)
        return found

    def core(self, name: str) -> str:
        """A core property (`lastModifiedBy`, `modified`...), or ''."""
        root = self.part("docProps/core.xml")
        if root is None:
            return ""
        for element in root:
            if etree.QName(element).localname == name:
                return (element.text or "").strip()
        return ""

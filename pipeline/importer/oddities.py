"""What an answer in the pack cannot show, found in a Word body element and named: text boxes,
shapes, SmartArt, equations, charts, embedded objects and parts, fields, linked pictures. Each
keeps the text it has (a text box's paragraphs, an equation's characters, SmartArt's words, an
embedded web page's text), so the importer writes that text where the thing stood and says what
it was.

The block reader sees a drawing as a picture and skips what it cannot read; this looks at the
XML itself. Markup-compatibility fallbacks are skipped: they repeat what their choice holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from pipeline.word.package import MAX_PART, Docx, R, W

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
_WPG = "{http://schemas.microsoft.com/office/word/2010/wordprocessingGroup}"
_V = "{urn:schemas-microsoft-com:vml}"
_O = "{urn:schemas-microsoft-com:office:office}"
_DGM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}"
_CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_VML_SHAPES = tuple(
    f"{_V}{name}" for name in ("shape", "rect", "roundrect", "oval", "line", "polyline", "arc")
)
_SHOWN_FIELDS = frozenset({"HYPERLINK", "PAGEREF", "TOC", "NOTEREF"})
"""Fields whose result is ordinary text or a link the answer keeps without a word."""


@dataclass(frozen=True, slots=True)
class Oddity:
    """Something the pack cannot show, and the text it held."""

    kind: str
    """What it is, as the summary says it: `a text box`, `an equation`, `a DATE field`."""
    text: str = ""
    kept: bool = False
    """Its text is written into the answer where it stood (text boxes, SmartArt, equations);
    a field's result is in the answer already."""


def _walk(element: Any) -> Any:
    """Every descendant, fallbacks of markup compatibility left out."""
    for child in element:
        if not isinstance(child.tag, str) or child.tag == f"{_MC}Fallback":
            continue
        yield child
        yield from _walk(child)


def _text(element: Any) -> str:
    """The paragraphs of a text box, each on one line (tabs and breaks as spaces), deleted
    text and fields' instructions left out."""
    paragraphs = []
    for p in element.iter(f"{W}p"):
        words = "".join(
            (t.text or "") if t.tag == f"{W}t" else " "
            for t in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr")
        )
        if words.strip():
            paragraphs.append(" ".join(words.split()))
    return "\n\n".join(paragraphs)


def oddities(element: Any, docx: Docx) -> list[Oddity]:
    """What `element` (a paragraph or table of a body) holds that an answer cannot show."""
    found: list[Oddity] = []
    inside_box = set()
    for node in [element] if element.tag == f"{W}altChunk" else _walk(element):
        tag = node.tag
        if tag == f"{W}txbxContent":
            if any(id(a) in inside_box for a in node.iterancestors()):
                continue
            inside_box.add(id(node))
            found.append(Oddity("a text box", _text(node), kept=True))
        elif tag in (f"{_WPS}wsp", *_VML_SHAPES) and not _holds_picture_or_box(node):
            if not any(id(a) in inside_box for a in node.iterancestors()):
                found.append(Oddity("a shape"))
        elif tag == f"{_WPG}wgp":
            found.append(Oddity("a group of shapes"))
        elif tag == f"{_DGM}relIds":
            found.append(Oddity("a SmartArt diagram", _smartart_text(node, docx), kept=True))
        elif tag == f"{_CHART}chart":
            found.append(Oddity("a chart"))
        elif tag in (f"{_M}oMathPara", f"{_M}oMath"):
            if tag == f"{_M}oMath" and node.getparent().tag == f"{_M}oMathPara":
                continue
            words = "".join(t.text or "" for t in node.iter(f"{_M}t"))
            found.append(Oddity("an equation", words.strip(), kept=True))
        elif tag == f"{_O}OLEObject":
            program = node.get("ProgID") or "another program"
            found.append(Oddity(f"an embedded object ({program})"))
        elif tag == f"{W}tbl" and any(a.tag == f"{W}tc" for a in node.iterancestors()):
            if not any(a.tag == f"{W}tbl" and a is not element for a in _between(node, element)):
                text = _text(node)
                found.append(Oddity("a table inside a table cell", text, kept=True))
        elif tag == f"{W}altChunk":
            found.append(_chunk(node, docx))
        elif tag == f"{_A}blip" and _linked(node, docx):
            found.append(Oddity("a linked picture (pictures outside the file are never fetched)"))
        elif tag == f"{_V}imagedata" and node.get(f"{R}id"):
            found.append(Oddity("a picture in Word's old format (VML); insert it again"))
    found += _fields(element)
    return found


def _linked(blip: Any, docx: Docx) -> bool:
    """A picture whose image is outside the file: linked, or embedded from an external target."""
    embed = blip.get(f"{R}embed")
    if not embed:
        return bool(blip.get(f"{R}link"))
    target = docx.relationships(docx.main).get(embed)
    return target is not None and target[2] == "External"


def _between(node: Any, top: Any) -> list[Any]:
    """The ancestors of `node` below `top`."""
    found = []
    for ancestor in node.iterancestors():
        if ancestor is top:
            break
        found.append(ancestor)
    return found


def _holds_picture_or_box(node: Any) -> bool:
    return any(
        child.tag in (f"{W}txbxContent", f"{_V}imagedata", f"{_A}blip", f"{_V}textbox")
        for child in node.iter()
    )


def _target(docx: Docx, r_id: str | None) -> str | None:
    """The part the main part's relationship `r_id` names, if it is inside the file."""
    target = docx.relationships(docx.main).get(r_id or "")
    if target is None or target[2] == "External":
        return None
    folder = docx.main.rsplit("/", 1)[0]
    name = target[1].lstrip("/") if target[1].startswith("/") else f"{folder}/{target[1]}"
    return re.sub(r"[^/]+/\.\./", "", name)


def _chunk(node: Any, docx: Docx) -> Oddity:
    """A part Word shows as if it were typed there (`w:altChunk`): web pages and plain text
    keep their text; a document or RTF inside the file is named only."""
    name = _target(docx, node.get(f"{R}id"))
    suffix = (name or "").rsplit(".", 1)[-1].lower()
    if name not in docx.names or docx.names[name] > MAX_PART or suffix not in _CHUNK_TEXT:
        return Oddity("an embedded document part (altChunk)")
    text = docx.data(name).decode("utf-8", "replace")
    if suffix != "txt":
        reader = _HtmlText()
        reader.feed(text)
        reader.close()
        text = "\n\n".join(reader.paragraphs())
    else:
        text = "\n\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return Oddity(f"an embedded {_CHUNK_TEXT[suffix]} (altChunk)", text, kept=True)


_CHUNK_TEXT = {"htm": "web page", "html": "web page", "xhtml": "web page", "txt": "text file"}
_HIDDEN = frozenset({"script", "style", "head", "title"})
_BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table"})


class _HtmlText(HTMLParser):
    """The text of a web page, a paragraph per block; scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)

    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in "".join(self.parts).split("\n") if p.strip()]


def _smartart_text(node: Any, docx: Docx) -> str:
    """The words of a SmartArt diagram, from its data part."""
    name = _target(docx, node.get(f"{R}dm"))
    root = docx.part(name) if name else None
    if root is None:
        return ""
    words = [" ".join((t.text or "").split()) for t in root.iter(f"{_A}t")]
    return "\n\n".join(w for w in words if w)


def _fields(element: Any) -> list[Oddity]:
    """Fields other than links and contents: named, their results being in the text already."""
    instructions: list[str] = []
    tags = (f"{W}fldSimple", f"{W}instrText", f"{W}fldChar")
    for node in (n for n in _walk(element) if n.tag in tags):
        if node.tag == f"{W}fldSimple":
            instructions.append(node.get(f"{W}instr") or "")
        elif node.tag == f"{W}fldChar" and node.get(f"{W}fldCharType") == "begin":
            instructions.append("")
        elif node.tag == f"{W}instrText" and instructions:
            instructions[-1] += node.text or ""
    found = []
    for instruction in instructions:
        name = (instruction.split() or [""])[0].upper()
        if name and name not in _SHOWN_FIELDS:
            found.append(Oddity(f"a {name} field (its result kept as text)", kept=True))
    return found

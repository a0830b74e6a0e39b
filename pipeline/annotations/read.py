"""Every annotation a person added to a PDF, as viewers save them.

Acrobat appends an incremental update; Preview and pdf.js (when it reorganises pages) write
the file anew; Edge and Firefox otherwise append: pypdf reads the file as it now stands
whichever way it was saved. An annotation's text is its `/Contents`, else its rich text
(`/RC`, XHTML) as plain text; its author is `/T`; its date `/M` (last modified), else
`/CreationDate`. A reply (`/IRT` without `/RT /Group`) joins its parent's thread; an
annotation grouped with another (`/RT /Group`: Acrobat's "replace text" is a strike-out grouped
with the caret that carries the new words) is one item with it. Popups are part of their
parent; links and form fields are the document's own, never a reviewer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.annotations.quote import Box

SKIPPED = {"/Popup", "/Link", "/Widget", "/PrinterMark", "/TrapNet"}
"""Subtypes that are not a reviewer's mark: part of another, or the document's own."""
NAMES = {
    "/Text": "note",
    "/FreeText": "text box",
    "/Highlight": "highlight",
    "/Underline": "underline",
    "/Squiggly": "squiggly underline",
    "/StrikeOut": "strike-out",
    "/Caret": "insertion",
    "/Ink": "drawing",
    "/Square": "rectangle",
    "/Circle": "ellipse",
    "/Line": "line",
    "/Polygon": "polygon",
    "/PolyLine": "polyline",
    "/Stamp": "stamp",
    "/FileAttachment": "attached file",
    "/Sound": "sound",
    "/Redact": "redaction",
}
MARKUP = {"/Highlight", "/Underline", "/Squiggly", "/StrikeOut"}
"""Marks on text, drawn along their quadrilaterals."""
_DATE = re.compile(
    r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*([Zz+-])?\s*(\d{2})?'?(\d{2})?"
)


@dataclass(slots=True)
class Mark:
    """One annotation a person added."""

    page: int
    """Its page, from 0."""
    subtype: str
    author: str
    date: str
    text: str
    rect: Box
    boxes: tuple[Box, ...]
    """The quadrilaterals of a mark on text, each as its bounding box; else its rectangle."""
    key: Any
    """The annotation's object (to match `/IRT` references)."""
    reply_to: Any = None
    grouped: bool = False
    """Grouped with the annotation it refers to (`/RT /Group`)."""
    state: str = ""
    """A review state a reply sets (Acrobat: Accepted, Rejected, Completed...)."""
    variant: str = ""
    """Its intent (`/IT`): pdf.js and Edge draw a free-hand highlight as `/Ink /InkHighlight`."""
    replies: list[Mark] = field(default_factory=list)
    group: list[Mark] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.variant == "/InkHighlight":
            return "free-hand highlight"
        return NAMES.get(self.subtype, self.subtype.lstrip("/").lower() or "annotation")


def iso_date(value: str) -> str:
    """A PDF date (`D:20240625182216-07'00'`, or as Preview writes it, `...Z00'00'`) in ISO
    8601; '' when it is not one."""
    match = _DATE.match(value.strip())
    if not match:
        return ""
    year, month, day, hour, minute, second, zone, zh, zm = match.groups()
    text = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zone in ("Z", "z") or (zone and not zh):
        return text + "Z"
    if zone and zh:
        return f"{text}{zone}{zh}:{zm or '00'}"
    return text


def plain(rich: str) -> str:
    """The text of a rich-text string (`/RC`: XHTML), each paragraph on a line of its own."""
    from lxml import etree

    from pipeline.safety import parse_xml

    try:
        root = parse_xml(rich.encode("utf-8"))
    except (etree.XMLSyntaxError, ValueError):
        return " ".join(re.sub(r"<[^>]*>", " ", rich).split())

    def block(element: Any) -> bool:
        return isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] in ("p", "div")

    paragraphs = [
        e for e in root.iter() if block(e) and not any(block(d) for d in e.iterdescendants())
    ]
    lines = [" ".join("".join(p.itertext()).split()) for p in paragraphs or [root]]
    return "\n".join(line for line in lines if line)


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


def _box(values: Any) -> Box | None:
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return None
    if len(numbers) != 4:
        return None
    x0, y0, x1, y1 = numbers
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _quads(values: Any) -> list[Box]:
    """Each quadrilateral's bounding box: viewers order a quad's corners differently (Acrobat
    and pdf.js top-left first, the standard bottom-left), so only its extent is relied on."""
    try:
        numbers = [float(v) for v in values or []]
    except (TypeError, ValueError):
        return []
    boxes = []
    for start in range(0, len(numbers) - 7, 8):
        xs, ys = numbers[start : start + 8 : 2], numbers[start + 1 : start + 8 : 2]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _key(annotation: Any) -> Any:
    ref = getattr(annotation, "indirect_reference", None)
    return (ref.idnum, ref.generation) if ref is not None else id(annotation)


def _mark(page: int, annotation: Any) -> Mark | None:
    subtype = _text(annotation.get("/Subtype"))
    if subtype in SKIPPED or not subtype:
        return None
    rect = _box(annotation.get("/Rect")) or (0.0, 0.0, 0.0, 0.0)
    contents = _text(annotation.get("/Contents")).replace("\r\n", "\n").replace("\r", "\n")
    rich = _text(annotation.get("/RC"))
    text = contents.strip() or (plain(rich) if rich else "")
    quads = _quads(annotation.get("/QuadPoints")) if subtype in MARKUP else []
    reply: Any = annotation.raw_get("/IRT") if "/IRT" in annotation else None
    return Mark(
        page=page,
        subtype=subtype,
        author=_text(annotation.get("/T")).strip(),
        date=iso_date(_text(annotation.get("/M")))
        or iso_date(_text(annotation.get("/CreationDate"))),
        text=text,
        rect=rect,
        boxes=tuple(quads) or (rect,),
        key=_key(annotation),
        reply_to=(reply.idnum, reply.generation) if hasattr(reply, "idnum") else None,
        grouped=_text(annotation.get("/RT")) == "/Group",
        state=_text(annotation.get("/State")),
        variant=_text(annotation.get("/IT")),
    )


def read_marks(reader: Any) -> list[Mark]:
    """Every reviewer's annotation, top-level ones in page order with their replies and grouped
    marks attached (a reply to a reply joins the first one's thread)."""
    found: list[Mark] = []
    for number, page in enumerate(reader.pages):
        annots = page.get("/Annots")
        for ref in (annots.get_object() if annots is not None else None) or []:
            annotation = ref.get_object() if hasattr(ref, "get_object") else ref
            if not hasattr(annotation, "get"):
                continue
            mark = _mark(number, annotation)
            if mark is not None:
                found.append(mark)
    by_key = {m.key: m for m in found}
    top: list[Mark] = []
    for mark in found:
        root, seen = mark, {id(mark)}
        while root.reply_to in by_key and id(by_key[root.reply_to]) not in seen:
            root = by_key[root.reply_to]
            seen.add(id(root))
        if root is mark:
            top.append(mark)
        elif mark.grouped:
            root.group.append(mark)
        else:
            root.replies.append(mark)
    return top

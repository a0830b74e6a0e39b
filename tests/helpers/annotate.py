"""Reviewers' annotations put on a real pack as each viewer writes them.

What each writes, read from their own sources and saved files: Acrobat (Reader and Pro) appends
an incremental update; every markup has a popup, an author (`/T`), `/M` and `/CreationDate`, a
`/Subj`, `/NM`, rich text (`/RC`, XHTML) beside `/Contents`; a reply is a `/Text` note with
`/IRT`; "replace text" is a caret (`/IT /Replace`, the new words) with a strike-out grouped to it
(`/IRT` the caret, `/RT /Group`, `/IT /StrikeOutTextEdit`); its quadrilaterals start top-left.
Preview writes the whole file anew; markup without a popup, a text box is a `/FreeText`, dates
as `D:20261201101500Z00'00'`. pdf.js (Firefox) writes `/CreationDate` only, no popup unless a
comment is added, highlights and free-hand highlights (`/Ink /IT /InkHighlight`), free text with
`/DA /Helv`, ink with `/InkList` and `/BS /W`; it appends an update. Edge draws ink, highlights
and text boxes the same way (it shares pdf.js's intent names) and saves a whole file.
Word positions come from poppler's `pdftotext -bbox`, a reader independent of the one tested.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

Box = tuple[float, float, float, float]
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def words(pdf: Path, page: int) -> list[tuple[str, Box]]:
    """The words of page `page` (from 0) with their boxes in PDF space (y up)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page + 1), "-l", str(page + 1), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    height = float(_PAGE.search(out)[2])  # type: ignore[index]
    found = []
    for x0, y0, x1, y1, word in _WORD.findall(out):
        found.append(
            (_unescape(word), (float(x0), height - float(y1), float(x1), height - float(y0)))
        )
    return found


def _unescape(text: str) -> str:
    return (
        text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#39;", "'")
    )


def phrase(pdf: Path, page: int, text: str, after: str = "") -> list[Box]:
    """The boxes, one per line, of the words `text` on the page (the first time they follow
    the words `after`, when given)."""
    found = words(pdf, page)
    wanted, anchor = text.split(), after.split()
    start = 0
    if anchor:
        start = _find(found, anchor, 0) + len(anchor)
    index = _find(found, wanted, start)
    lines: list[list[float]] = []
    for _, (x0, y0, x1, y1) in found[index : index + len(wanted)]:
        if lines and abs(lines[-1][1] - y0) < 2:
            lines[-1][2] = x1
        else:
            lines.append([x0, y0, x1, y1])
    return [(a, b, c, d) for a, b, c, d in lines]


def _find(found: list[tuple[str, Box]], wanted: list[str], start: int) -> int:
    for index in range(start, len(found) - len(wanted) + 1):
        if [w for w, _ in found[index : index + len(wanted)]] == wanted:
            return index
    raise AssertionError(f"{' '.join(wanted)!r} is not on the page")


def _n(*values: float) -> ArrayObject:
    return ArrayObject([FloatObject(round(v, 3)) for v in values])


def _s(text: str) -> TextStringObject:
    return TextStringObject(text)


def quads(boxes: list[Box], order: str = "acrobat") -> ArrayObject:
    """Quadrilaterals: Acrobat and pdf.js write top-left, top-right, bottom-left, bottom-right;
    the standard (and Preview) bottom-left first, counter-clockwise."""
    values: list[float] = []
    for x0, y0, x1, y1 in boxes:
        if order == "acrobat":
            values += [x0, y1, x1, y1, x0, y0, x1, y0]
        else:
            values += [x0, y0, x1, y0, x1, y1, x0, y1]
    return _n(*values)


def around(boxes: list[Box], pad: float = 1.0) -> ArrayObject:
    return _n(
        min(b[0] for b in boxes) - pad, min(b[1] for b in boxes) - pad,
        max(b[2] for b in boxes) + pad, max(b[3] for b in boxes) + pad,
    )  # fmt: skip


def rich(text: str) -> TextStringObject:
    """`/RC` as Acrobat writes it."""
    body = "".join(
        f'<p dir="ltr"><span dir="ltr" style="font-size:10.0pt">{line}</span></p>'
        for line in text.split("\n")
    )
    return _s(
        '<?xml version="1.0"?><body xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/" xfa:APIVersion="Acrobat:25.1.0" '
        f'xfa:spec="2.0.2" >{body}</body>'
    )


class Annotator:
    """Annotations added to one pack, saved incrementally or whole."""

    def __init__(self, pack: Path, incremental: bool) -> None:
        self.pack = pack
        self.writer = (
            PdfWriter(pack, incremental=True) if incremental else PdfWriter(clone_from=pack)
        )
        if incremental:  # the update's trailer names the document information, as Acrobat's does
            self.writer.add_metadata({"/ModDate": "D:20261201103000+00'00'"})
        self.count = 0

    def add(self, page: int, entries: dict[str, Any]) -> Any:
        self.count += 1
        annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot")})
        for key, value in entries.items():
            annotation[NameObject(key)] = value
        target = self.writer.pages[page]
        annotation[NameObject("/P")] = target.indirect_reference
        ref = self.writer._add_object(annotation)
        if "/Annots" not in target:
            target[NameObject("/Annots")] = ArrayObject()
        target["/Annots"].get_object().append(ref)
        return ref

    def appearance(self, rect: ArrayObject) -> Any:
        """An appearance stream: the mark's box outlined in red, so a look at the page shows
        where each mark sits."""
        x0, y0, x1, y1 = (float(v) for v in rect)
        stream = DecodedStreamObject()
        stream.set_data(f"1 0 0 RG 0.6 w {x0} {y0} {x1 - x0} {y1 - y0} re S".encode())
        stream[NameObject("/Type")] = NameObject("/XObject")
        stream[NameObject("/Subtype")] = NameObject("/Form")
        stream[NameObject("/BBox")] = rect
        return DictionaryObject({NameObject("/N"): self.writer._add_object(stream)})

    def popup(self, page: int, parent: Any) -> None:
        ref = self.add(page, {"/Subtype": NameObject("/Popup"), "/Rect": _n(600, 500, 780, 600),
                              "/F": NumberObject(28), "/Open": NameObject("/false"), "/Parent": parent})  # fmt: skip
        parent.get_object()[NameObject("/Popup")] = ref

    def save(self, target: Path) -> Path:
        with target.open("wb") as handle:
            self.writer.write(handle)
        return target


def acrobat(a: Annotator, page: int, subtype: str, boxes: list[Box], text: str = "",
            author: str = "Dr Hana Reviewer", subject: str = "", **extra: Any) -> Any:  # fmt: skip
    """A markup as Acrobat writes it: popup, rich text, subject, unique name, both dates."""
    entries: dict[str, Any] = {
        "/Subtype": NameObject(subtype), "/Rect": around(boxes), "/F": NumberObject(4),
        "/T": _s(author), "/M": _s("D:20261201103000+00'00'"),
        "/CreationDate": _s("D:20261201102900+00'00'"), "/NM": _s(f"acro-{a.count}"),
        "/Subj": _s(subject or subtype.lstrip("/")), "/C": _n(1, 0.8, 0),
    }  # fmt: skip
    if subtype in ("/Highlight", "/Underline", "/Squiggly", "/StrikeOut"):
        entries["/QuadPoints"] = quads(boxes)
    if text:
        entries["/Contents"] = _s(text)
        entries["/RC"] = rich(text)
    entries.update(extra)
    entries["/AP"] = a.appearance(entries["/Rect"])
    ref = a.add(page, entries)
    a.popup(page, ref)
    return ref


def acrobat_reply(
    a: Annotator, page: int, parent: Any, text: str, author: str, state: str = ""
) -> Any:
    entries: dict[str, Any] = {
        "/Subtype": NameObject("/Text"), "/Rect": _n(20, 700, 40, 720), "/F": NumberObject(28),
        "/T": _s(author), "/M": _s("D:20261202090000+00'00'"), "/IRT": parent,
        "/Contents": _s(text), "/RC": rich(text), "/Subj": _s("Sticky Note"),
        "/Name": NameObject("/Comment"),
    }  # fmt: skip
    if state:
        entries.update({"/State": _s(state), "/StateModel": _s("Review")})
    return a.add(page, entries)


def acrobat_replace(a: Annotator, page: int, boxes: list[Box], new: str) -> None:
    """Acrobat's "replace text": a caret carrying the new words at the end of the struck words,
    and the strike-out grouped with it."""
    x1, y0 = boxes[-1][2], boxes[-1][1]
    caret = acrobat(a, page, "/Caret", [(x1 - 4, y0 - 5, x1 + 4, y0 + 5)], new,
                    subject="Inserted Text", **{"/IT": NameObject("/Replace"), "/RD": _n(0.9, 0.9, 0.9, 0.9)})  # fmt: skip
    acrobat(a, page, "/StrikeOut", boxes, subject="Cross-Out",
            **{"/IRT": caret, "/RT": NameObject("/Group"), "/IT": NameObject("/StrikeOutTextEdit")})  # fmt: skip


def acrobat_insert(a: Annotator, page: int, after_word: Box, new: str) -> None:
    """Acrobat's "insert text at cursor": a caret under the baseline, just after a word."""
    x, y0 = after_word[2] + 1, after_word[1]
    acrobat(a, page, "/Caret", [(x - 4, y0 - 5, x + 4, y0 + 5)], new, subject="Inserted Text",
            **{"/RD": _n(0.9, 0.9, 0.9, 0.9), "/Sy": NameObject("/None")})  # fmt: skip


def preview(
    a: Annotator, page: int, subtype: str, boxes: list[Box], text: str = "", **extra: Any
) -> Any:
    """As Preview writes: no popup, an author of "Mobile User"-like plainness, its own date
    form, the standard corner order, an appearance stream."""
    entries: dict[str, Any] = {
        "/Subtype": NameObject(subtype), "/Rect": around(boxes, 0), "/F": NumberObject(4),
        "/T": _s("Sam Preview"), "/M": _s("D:20261201101500Z00'00'"), "/C": _n(1, 0.85, 0.3),
        "/Border": _n(0, 0, 0),
    }  # fmt: skip
    if subtype in ("/Highlight", "/Underline", "/StrikeOut", "/Squiggly"):
        entries["/QuadPoints"] = quads(boxes, "standard")
    if text:
        entries["/Contents"] = _s(text)
    if subtype == "/FreeText":
        entries["/DA"] = _s("/Helvetica 12 Tf 0 g")
    entries.update(extra)
    entries["/AP"] = a.appearance(entries["/Rect"])
    return a.add(page, entries)


def pdfjs(a: Annotator, page: int, subtype: str, boxes: list[Box], text: str = "",
          ink: list[list[float]] | None = None, **extra: Any) -> Any:  # fmt: skip
    """As pdf.js writes (src/core/annotation.js, createNewDict): `/CreationDate` only, `/F 4`,
    `/Border [0 0 0]`, `/Rotate`, `/T` only where a user name is set."""
    entries: dict[str, Any] = {
        "/Subtype": NameObject(subtype), "/Rect": around(boxes, 0), "/F": NumberObject(4),
        "/CreationDate": _s("D:20261201110000"), "/Rotate": NumberObject(0),
    }  # fmt: skip
    if subtype == "/Highlight":
        entries.update(
            {
                "/QuadPoints": quads(boxes),
                "/C": _n(1, 1, 0.4),
                "/CA": FloatObject(1),
                "/Border": _n(0, 0, 0),
            }
        )
    if subtype == "/FreeText":
        entries.update({"/DA": _s("/Helv 10 Tf 0 0 0 rg"), "/Border": _n(0, 0, 0)})
    if subtype == "/Ink":
        entries.update({"/InkList": ArrayObject([_n(*path) for path in ink or []]), "/C": _n(1, 0, 0),
                        "/CA": FloatObject(1), "/BS": DictionaryObject({NameObject("/W"): NumberObject(1)})})  # fmt: skip
    if text:
        entries["/Contents"] = _s(text)
    entries.update(extra)
    entries["/AP"] = a.appearance(entries["/Rect"])
    return a.add(page, entries)


def annotated(
    pack: Path, target: Path, incremental: bool, draw: Callable[[Annotator], None]
) -> Path:
    annotator = Annotator(pack, incremental)
    draw(annotator)
    return annotator.save(target)

"""Page furniture for the pages LibreOffice did not lay out (PDF appendices): the pack's
"Page k of N" footer and an "Appendix B: <title>" header, stamped on top of the page.

Both are marked as pagination artifacts (`/Artifact BMC ... EMC`), so a tagged appendix stays
validly tagged, and both are drawn the right way up on landscape and rotated pages (the page's
`/Rotate` turns what is drawn; the stamp is turned back). The font is Helvetica, which every
PDF reader has, in WinAnsi encoding: a character it lacks is drawn as `?`.
"""

from __future__ import annotations

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

FONT = "/TcPackStamp"
SIZE = 9.0
MARGIN = 56.0
"""Points from the page's left and right edges to the header, and from the bottom edge to the
footer's baseline (from the top to the header's)."""
GREY = "0.376 g"
_WIDTHS = {" ": 278, "f": 278, "P": 667, "A": 667, "B": 667, "C": 722, "D": 722, "i": 222}
"""Helvetica's widths (thousandths of the size) where they differ from 556 (digits, most
lower-case letters): enough to centre "Page k of N" and to shorten a long header."""


def _width(text: str) -> float:
    return sum(_WIDTHS.get(char, 556) for char in text) * SIZE / 1000


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def upright(page: PageObject) -> tuple[float, float, tuple[float, ...]]:
    """The page as it is shown (width, height) and the matrix from shown coordinates (origin
    at the bottom left, as the reader sees the page) to the page's own."""
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    try:
        rotate = page.rotation % 360
    except (TypeError, ValueError):  # a /Rotate that is not a number: shown unturned
        rotate = 0
    if rotate == 90:
        return height, width, (0, 1, -1, 0, left + width, bottom)
    if rotate == 180:
        return width, height, (-1, 0, 0, -1, left + width, bottom + height)
    if rotate == 270:
        return height, width, (0, -1, 1, 0, left, bottom + height)
    return width, height, (1, 0, 0, 1, left, bottom)


def _artifact(kind: str, x: float, y: float, text: str) -> bytes:
    return (
        f"/Artifact <</Type /Pagination /Subtype /{kind}>> BDC BT {FONT} {SIZE:g} Tf "
        f"{x:.2f} {y:.2f} Td ".encode()
        + _literal(text)
        + b" Tj ET EMC\n"
    )


def stamp(writer: PdfWriter, page: PageObject, header: str, footer: str) -> None:
    """Draw `header` at the top left and `footer` centred at the bottom of `page`."""
    width, height, matrix = upright(page)
    room = width - 2 * MARGIN
    while header and _width(header) > room:
        header = header[:-2].rstrip() + "…"
    drawing = (
        b"Q q "
        + " ".join(f"{v:g}" for v in matrix).encode()
        + f" cm {GREY}\n".encode()
        + _artifact("Header", MARGIN, height - MARGIN / 2 - SIZE, header)
        + _artifact("Footer", (width - _width(footer)) / 2, MARGIN / 2, footer)
        + b"Q\n"
    )
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")  # whatever the page leaves set, the stamp starts afresh
    after.set_data(drawing)
    raw = page.raw_get("/Contents") if "/Contents" in page else None
    resolved = raw.get_object() if raw is not None else None
    existing = list(resolved) if isinstance(resolved, ArrayObject) else [raw] if raw else []
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *existing, writer._add_object(after)]
    )
    resources = page.get("/Resources")
    ours = DictionaryObject(dict(resources.get_object()) if resources is not None else {})
    fonts = ours.get("/Font")
    fonts = DictionaryObject(dict(fonts.get_object()) if fonts is not None else {})
    fonts[NameObject(FONT)] = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    ours[NameObject("/Font")] = fonts
    page[NameObject("/Resources")] = ours

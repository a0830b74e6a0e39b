"""Page furniture for the pages LibreOffice did not lay out (PDF appendices): the pack's
"Page k of N" footer and an "Appendix B: <title>" header, stamped on top of the page.

Both are marked as pagination artifacts (`/Artifact BMC ... EMC`), so a tagged appendix stays
validly tagged, and both are drawn the right way up on landscape and rotated pages (the page's
`/Rotate` turns what is drawn; the stamp is turned back). The font is Helvetica, which every
PDF reader has, in WinAnsi encoding: a character it lacks is drawn as `?`.
"""

from __future__ import annotations

from typing import Any

from pikepdf import Array, Dictionary, Name, Page, Pdf

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


def upright(page: Page) -> tuple[float, float, tuple[float, ...]]:
    """The page as it is shown (width, height) and the matrix from shown coordinates (origin
    at the bottom left, as the reader sees the page) to the page's own."""
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    left, bottom, width, height = min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)
    turn = page.obj.get("/Rotate", 0)
    # a /Rotate that is not a whole number: shown unturned
    rotate = turn % 360 if isinstance(turn, int) and not isinstance(turn, bool) else 0
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


def stamp(pack: Pdf, page: Page, header: str, footer: str) -> None:
    """Draw `header` at the top left and `footer` centred at the bottom of `page`."""
    width, height, matrix = upright(page)
    room = width - 2 * MARGIN
    while header and _width(header) > room:  # on a page too small for any: none
        header = header[:-2].rstrip() + "…" if len(header) > 2 else ""
    drawing = (
        b"Q q "
        + " ".join(f"{v:g}" for v in matrix).encode()
        + f" cm {GREY}\n".encode()
        + _artifact("Header", MARGIN, height - MARGIN / 2 - SIZE, header)
        + _artifact("Footer", (width - _width(footer)) / 2, MARGIN / 2, footer)
        + b"Q\n"
    )
    font = Dictionary(
        Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding
    )
    draw_over(pack, page, drawing, {"/Font": {FONT: font}})


def draw_over(pack: Pdf, page: Page, drawing: bytes, resources: dict[str, dict[str, Any]]) -> None:
    """Draw `drawing` over the page, starting afresh from whatever state the page's own content
    leaves (the page's content is wrapped in `q`...; `drawing` starts with its `Q`), with
    `resources` (kind -> name -> object) added to the page's own, on the page alone: resources
    the page shares with others are copied, not changed."""
    contents = page.obj.get("/Contents")
    existing = list(contents) if isinstance(contents, Array) else [contents] if contents else []
    page.obj.Contents = Array([pack.make_stream(b"q\n"), *existing, pack.make_stream(drawing)])
    own = page.obj.get("/Resources")
    ours = Dictionary(dict(own.items())) if isinstance(own, Dictionary) else Dictionary()
    for kind, named in resources.items():
        given = ours.get(kind)
        merged = Dictionary(dict(given.items())) if isinstance(given, Dictionary) else Dictionary()
        for name, value in named.items():
            merged[name] = value
        ours[kind] = merged
    page.obj.Resources = ours

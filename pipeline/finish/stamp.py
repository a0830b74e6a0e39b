"""Page furniture for the pages LibreOffice did not lay out (PDF appendices): the pack's
"Page k of N" footer and an "Appendix B: <title>" header, stamped on top of the page.

Both are pagination artifacts (`/Artifact` with `/Type /Pagination`), so a tagged appendix
stays validly tagged, in an embedded font (`fonts`), and drawn the right way up on landscape
and rotated pages (the page's `/Rotate` turns what is drawn; the stamp is turned back).

An appendix may have its own running header or page number where the stamp goes: the stamp
never covers what the page draws. Each goes in the free band nearest its place (a little
higher or lower, or the header to the right); where the page has no free band there, its own
content is shrunk about its centre (links and all) until the margins are free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pikepdf import Array, Dictionary, Page, Pdf

from pipeline.finish.fonts import StampFont, literal
from pipeline.untagged import Box, Matrix, apply, multiply

FONT = "/TcPackStamp"
SIZE = 9.0
MARGIN = 56.0
"""Points from the page's left and right edges to the header, and from the bottom edge to the
footer's baseline (from the top to the header's)."""
GREY = "0.376 g"
REACH = 1.5 * MARGIN
"""How far from the page's edge a stamp may move to find a free band."""


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


def invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c or 1.0
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def _shown(boxes: Sequence[Box], back: Matrix) -> list[Box]:
    found = []
    for x0, y0, x1, y1 in boxes:
        corners = [apply(back, x, y) for x in (x0, x1) for y in (y0, y1)]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        found.append((min(xs), min(ys), max(xs), max(ys)))
    return found


def _free(boxes: Sequence[Box], x0: float, x1: float, y: float) -> bool:
    """Whether a line of text with its baseline at `y` from `x0` to `x1` covers nothing."""
    low, high = y - 0.3 * SIZE - 1, y + SIZE + 1
    return not any(b[2] > x0 and b[0] < x1 and b[3] > low and b[1] < high for b in boxes)


def _band(
    boxes: Sequence[Box],
    spans: Sequence[tuple[float, float]],
    y: float,
    lowest: float,
    highest: float,
) -> tuple[float, float] | None:
    """(x, baseline) of the free place nearest `y` for a text over one of `spans`."""
    steps = sorted(range(round(lowest), round(highest) + 1), key=lambda v: abs(v - y))
    for value in [y, *map(float, steps)]:
        for x0, x1 in spans:
            if _free(boxes, x0, x1, value):
                return x0, value
    return None


@dataclass
class Placed:
    """Where a page's stamps go, as shown, and the shrinking its content needs (1: none)."""

    header: tuple[float, float]
    footer: tuple[float, float]
    scale: float = 1.0


def place(width: float, height: float, header: float, footer: float, boxes: list[Box]) -> Placed:
    """Where a header `header` wide and a footer `footer` wide go on a page of this size, as
    shown, given the boxes its own content covers."""
    top, bottom = height - MARGIN / 2 - SIZE, MARGIN / 2
    middle = (width - footer) / 2
    found_footer = _band(boxes, [(middle, middle + footer)], bottom, 4, REACH)
    if found_footer is not None:
        x, y = found_footer
        boxes = [*boxes, (x, y - 0.3 * SIZE, x + footer, y + SIZE)]
        spans = [(MARGIN, MARGIN + header), (width - MARGIN - header, width - MARGIN)]
        found_header = _band(boxes, spans, top, height - REACH, height - SIZE - 4)
        if found_header is not None:
            return Placed(found_header, found_footer)
    # no free band: the page's content shrunk about its centre, clear of both margins
    content = [b for b in boxes if b[1] < height and b[3] > 0]
    low = min((b[1] for b in content), default=bottom)
    high = max((b[3] for b in content), default=top)
    room = (top - 0.3 * SIZE - 2) - (bottom + SIZE + 2)
    centre = height / 2
    reach = max(high - centre, centre - low, 1.0)
    scale = max(0.5, min(1.0, room / 2 / reach))
    return Placed((MARGIN, top), (middle, bottom), scale)


def stamp_pages(pack: Pdf, pages: Sequence[tuple[Page, str, str, list[Box]]]) -> None:
    """Draw each page's header at the top left and its footer centred at the bottom, where
    they cover nothing of the page's own (`boxes`, in the page's space, from
    `content.read_page`)."""
    if not pages:
        return
    font = StampFont.find()
    drawn: list[tuple[Page, bytes, tuple[float, ...], float, float]] = []
    text = ""
    for page, header, footer, boxes in pages:
        width, height, matrix = upright(page)
        room = width - 2 * MARGIN
        while header and font.width(header, SIZE) > room:  # on a page too small for any: none
            header = header[:-2].rstrip() + "…" if len(header) > 2 else ""
        shown = _shown(boxes, invert(matrix))  # type: ignore[arg-type]
        where = place(width, height, font.width(header, SIZE), font.width(footer, SIZE), shown)
        if where.scale < 1:
            _shrink(pack, page, matrix, width, height, where.scale)  # type: ignore[arg-type]
        drawing = (
            b"Q q "
            + " ".join(f"{v:g}" for v in matrix).encode()
            + f" cm {GREY}\n".encode()
            + _artifact("Header", *where.header, header)
            + _artifact("Footer", *where.footer, footer)
            + b"Q\n"
        )
        drawn.append((page, drawing, matrix, width, height))
        text += header + footer
    resource = {"/Font": {FONT: font.embed(pack, text)}}
    for page, drawing, *_ in drawn:
        draw_over(pack, page, drawing, resource)


def _artifact(kind: str, x: float, y: float, text: str) -> bytes:
    return (
        f"/Artifact <</Type /Pagination /Subtype /{kind}>> BDC BT {FONT} {SIZE:g} Tf "
        f"{x:.2f} {y:.2f} Td ".encode()
        + literal(text)
        + b" Tj ET EMC\n"
    )


def _shrink(
    pdf: Pdf, page: Page, matrix: Matrix, width: float, height: float, scale: float
) -> None:
    """Shrink what the page draws (and where its links are) by `scale` about its centre."""
    inward: Matrix = (scale, 0, 0, scale, width * (1 - scale) / 2, height * (1 - scale) / 2)
    transform = multiply(multiply(invert(matrix), inward), matrix)  # in the page's own space
    contents = page.obj.get("/Contents")
    existing = list(contents) if isinstance(contents, Array) else [contents] if contents else []
    head = pdf.make_stream(("q " + " ".join(f"{v:.6f}" for v in transform) + " cm\n").encode())
    tail = pdf.make_stream(b"\nQ\n")
    page.obj.Contents = Array([head, *existing, tail])
    for annotation in page.obj.get("/Annots", []):
        rect = annotation.get("/Rect") if isinstance(annotation, Dictionary) else None
        if isinstance(rect, Array) and len(rect) == 4:
            x0, y0 = apply(transform, float(rect[0]), float(rect[1]))
            x1, y1 = apply(transform, float(rect[2]), float(rect[3]))
            annotation.Rect = Array([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)])
            if "/QuadPoints" in annotation:
                del annotation["/QuadPoints"]


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

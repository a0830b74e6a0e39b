"""The DRAFT mark on every page of a review copy, so that it cannot be sent as the final pack.

A large grey word across each page, see-through so the text under it stays legible, marked as
a watermark artifact (decoration that a screen reader passes over, not the document's text), in
an embedded bold font (`fonts`).
"""

from __future__ import annotations

import math

from pikepdf import Dictionary, Name, Pdf

from pipeline.finish.fonts import StampFont
from pipeline.finish.stamp import draw_over

WORD = "DRAFT"


def _drawing(width: float, height: float, length: float, cap: float) -> bytes:
    """The word across the diagonal of a page of this size (its origin at the corner);
    `length` and `cap` are its width and capital height in ems."""
    angle = math.atan2(height, width)
    size = math.hypot(width, height) * 0.6 / length
    cos, sin = math.cos(angle), math.sin(angle)
    along, up = length * size, cap * size
    x = width / 2 - along / 2 * cos + up / 2 * sin
    y = height / 2 - along / 2 * sin - up / 2 * cos
    return (
        "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC q /GSDraft gs 0.55 g "
        f"BT /FDraft {size:.2f} Tf {cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {x:.2f} {y:.2f} Tm "
        f"({WORD}) Tj ET Q EMC"
    ).encode("ascii")


def mark_draft(pack: Pdf) -> None:
    """The DRAFT mark on every page of `pack`, over what is there."""
    font = StampFont.find(bold=True)
    length, cap = font.width(WORD, 1.0), font.metrics.cap / 1000
    state = pack.make_indirect(Dictionary(Type=Name.ExtGState, ca=0.3))
    resources = {"/Font": {"/FDraft": font.embed(pack, WORD)}, "/ExtGState": {"/GSDraft": state}}
    for page in pack.pages:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        left, bottom = min(x0, x1), min(y0, y1)
        drawing = _drawing(abs(x1 - x0), abs(y1 - y0), length, cap)
        draw_over(pack, page, f"Q 1 0 0 1 {left:g} {bottom:g} cm ".encode() + drawing, resources)

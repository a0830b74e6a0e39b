"""The DRAFT mark on every page of a review copy, so that it cannot be sent as the final pack.

A large grey word across each page, see-through so the text under it stays legible, marked as
an artifact (decoration that a screen reader passes over, not the document's text).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pypdf import PageObject
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

if TYPE_CHECKING:
    from pypdf import PdfWriter

WORD = "DRAFT"
_WIDTH = 3.388
"""The word's width in Helvetica-Bold, in ems (D, R, A 0.722; F, T 0.611)."""
_CAP = 0.718
"""Helvetica-Bold's capital height, in ems."""


def _stamp(width: float, height: float) -> PageObject:
    """A blank page of this size with the word across its diagonal."""
    angle = math.atan2(height, width)
    size = math.hypot(width, height) * 0.6 / _WIDTH
    cos, sin = math.cos(angle), math.sin(angle)
    length, cap = _WIDTH * size, _CAP * size
    x = width / 2 - length / 2 * cos + cap / 2 * sin
    y = height / 2 - length / 2 * sin - cap / 2 * cos
    content = (
        "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC q /GSDraft gs 0.55 g "
        f"BT /FDraft {size:.2f} Tf {cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {x:.2f} {y:.2f} Tm "
        f"({WORD}) Tj ET Q EMC"
    )
    page = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    state = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/ExtGState"),
            NameObject("/ca"): FloatObject(0.3),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject({NameObject("/FDraft"): font}),
            NameObject("/ExtGState"): DictionaryObject({NameObject("/GSDraft"): state}),
        }
    )
    stream = DecodedStreamObject()
    stream.set_data(content.encode("ascii"))
    page[NameObject("/Contents")] = stream
    return page


def mark_draft(writer: PdfWriter) -> None:
    """The DRAFT mark on every page of `writer`, over what is there."""
    stamps: dict[tuple[float, float], PageObject] = {}
    for page in writer.pages:
        box = page.mediabox
        size = (float(box.width), float(box.height))
        if size not in stamps:
            stamps[size] = _stamp(*size)
        stamp = stamps[size]
        if box.left or box.bottom:  # a page whose origin is not at the corner
            page.merge_translated_page(stamp, float(box.left), float(box.bottom))
        else:
            page.merge_page(stamp)

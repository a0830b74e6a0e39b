"""Stamped page furniture lands where the reader sees the page's head and foot, however it is
turned, in an embedded font, and never over what the page draws there itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from pipeline.finish.stamp import MARGIN, SIZE, stamp_pages, upright
from pipeline.untagged import read_page


def shown(
    box: tuple[float, float, float, float], rotate: int, x: float, y: float
) -> tuple[float, float]:
    """Where a point of a page's own space appears on screen, the page turned by /Rotate."""
    left, bottom, right, top = box
    x, y = x - left, y - bottom
    width, height = right - left, top - bottom
    return {0: (x, y), 90: (y, width - x), 180: (width - x, height - y), 270: (height - y, x)}[
        rotate
    ]


@pytest.mark.parametrize("rotate", [0, 90, 180, 270, -90, 450])
@pytest.mark.parametrize("box", [(0, 0, 595, 842), (10, 20, 852, 615)])
def test_shown_coordinates_map_back(rotate: int, box: tuple[float, float, float, float]) -> None:
    pack = pikepdf.new()
    page = pack.add_blank_page(page_size=(box[2], box[3]))
    page.mediabox = page.cropbox = pikepdf.Array(box)
    page.obj.Rotate = rotate
    width, height, (a, b, c, d, e, f) = upright(page)
    turned = rotate % 360
    assert (width, height) == (
        (box[2] - box[0], box[3] - box[1])
        if turned in (0, 180)
        else (box[3] - box[1], box[2] - box[0])
    )
    for x, y in ((width / 2, 20), (30, height - 30)):  # the footer's place, the header's
        user = (x * a + y * c + e, x * b + y * d + f)
        assert shown(box, turned, *user) == pytest.approx((x, y))
        # and a step along the text's line is a step to the right as shown
        step = ((x + 1) * a + y * c + e, (x + 1) * b + y * d + f)
        assert shown(box, turned, *step) == pytest.approx((x + 1, y))


def stamped(pack: pikepdf.Pdf, header: str, footer: str) -> None:
    stamp_pages(
        pack, [(page, header, footer, read_page(page, True)[0].boxes) for page in pack.pages]
    )


def test_stamp_keeps_the_page_and_marks_an_artifact_in_an_embedded_font(tmp_path: Path) -> None:
    pack = pikepdf.new()
    page = pack.add_blank_page(page_size=(595, 842))
    page.obj.Rotate = pikepdf.String("sideways")  # not a number: shown unturned
    stamped(pack, "Appendix B: Terms (and conditions) \\ more – é", "Page 3 of 9")
    pack.save(tmp_path / "stamped.pdf")
    page = PdfReader(tmp_path / "stamped.pdf").pages[0]
    data = page.get_contents().get_data()
    assert data.startswith(b"q\n")
    assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in data
    assert b"/Artifact <</Type /Pagination /Subtype /Header>> BDC" in data
    assert b"(Appendix B: Terms \\(and conditions\\) \\\\ more \x96 \xe9) Tj" in data
    text = page.extract_text()
    assert "Page 3 of 9" in text
    assert "Appendix B: Terms (and conditions) \\ more – é" in text
    (font,) = page["/Resources"]["/Font"].values()
    font = font.get_object()
    assert "+" in font["/BaseFont"]  # a subset
    assert "/FontFile2" in font["/FontDescriptor"]
    assert "/ToUnicode" in font


def test_a_page_too_small_for_the_header_gets_none(tmp_path: Path) -> None:
    pack = pikepdf.new()
    page = pack.add_blank_page(page_size=(10, 10))
    stamped(pack, "Appendix B: Terms of reference", "Page 3 of 9")
    data = b"".join(stream.read_bytes() for stream in page.obj.Contents)
    assert b"() Tj" in data  # the header shortened to nothing; the footer still there
    assert b"(Page 3 of 9) Tj" in data


def text_at(x: float, y: float, words: str) -> str:
    return f"BT /F1 10 Tf {x} {y} Td ({words}) Tj ET\n"


TOP = 842 - MARGIN / 2 - SIZE
"""The header's baseline on an A4 page, where nothing is in the way."""
MARGINS = {
    "running header at the stamp's line": text_at(MARGIN, TOP, "Kelderwick Network report 2026"),
    "page number at the top right": text_at(500, TOP + 2, "Page 7"),
    "two-line letterhead": text_at(MARGIN, 820, "Faculty of Science")
    + text_at(MARGIN, 808, "University of Kelderwick, Saltmere Road"),
    "rule across the top": "0.5 w 40 815 m 555 815 l S\n",
    "page number at the foot": text_at(280, MARGIN / 2, "- 7 -"),
    "text to the edges": "".join(
        text_at(40, y, "A line of the report that runs from margin to margin, " * 2)
        for y in range(4, 840, 12)
    ),
}


def spans(page: Any) -> list[tuple[str, float, float, float, float]]:
    """(text, left, bottom, top, right) of every piece of text on the page, as shown (pypdf's
    reading, not the pipeline's; its width taken generously, 0.6 em a character)."""
    found = []
    box = tuple(float(v) for v in page.cropbox)
    rotate = int(page.get("/Rotate", 0)) % 360

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        a, b, c, d, e, f = cm
        x, y = tm[4], tm[5]
        scale = (tm[3] ** 2 + tm[2] ** 2) ** 0.5 * (a**2 + b**2) ** 0.5 or 1
        left, bottom = shown(box, rotate, x * a + y * c + e, x * b + y * d + f)  # type: ignore[arg-type]
        high = size * scale
        right = left + 0.6 * high * len(text.strip())
        found.append((text.strip(), left, bottom - 0.25 * high, bottom + high, right))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("rotate", [0, 90])
@pytest.mark.parametrize("kind", list(MARGINS))
def test_the_stamp_never_covers_the_pages_own_margin(
    tmp_path: Path, kind: str, rotate: int
) -> None:
    pack = pikepdf.new()
    width, height = (595, 842) if rotate == 0 else (842, 595)
    page = pack.add_blank_page(page_size=(width, height))
    helvetica = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica))
    content = MARGINS[kind]
    if rotate:  # drawn turned, shown upright: as a scanner saves a landscape page
        content = f"q 0 1 -1 0 {width} 0 cm\n{content}Q\n"
        page.obj.Rotate = rotate
    page.obj.Contents = pack.make_stream(content.encode())
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[50, 2, 150, 838]
    )
    page.obj.Annots = pikepdf.Array([pack.make_indirect(link)])
    stamped(pack, "Appendix B: Technician network terms of reference", "Page 14 of 17")
    pack.save(tmp_path / "stamped.pdf")
    texts = spans(PdfReader(tmp_path / "stamped.pdf").pages[0])
    ours = [t for t in texts if t[0].startswith(("Appendix B", "Page 14"))]
    theirs = [t for t in texts if t not in ours]
    assert len(ours) == 2
    assert theirs or kind.startswith("rule"), "the page's own text is still there"
    for mine in ours:
        assert 0 < mine[2] < mine[3] < 842, mine  # on the page
        for other in theirs:  # no text of the page's own under the stamp
            apart = mine[3] <= other[2] + 0.5 or other[3] <= mine[2] + 0.5
            assert apart or mine[4] <= other[1] or other[4] <= mine[1], (mine, other)
    header = next(t for t in ours if t[0].startswith("Appendix"))
    if kind == "rule across the top" and not rotate:
        assert header[2] > 815 or header[3] < 815  # not struck through
    if kind == "text to the edges":  # shrunk to make room: the link with it
        rect = [float(v) for v in pack.pages[0].obj.Annots[0].Rect]
        assert rect[1] > 2
        assert rect[3] < 838

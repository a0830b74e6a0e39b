"""Stamped page furniture lands where the reader sees the page's foot, however it is turned."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from pipeline.finish.stamp import stamp, upright


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


def test_stamp_keeps_the_page_and_marks_an_artifact(tmp_path: Path) -> None:
    pack = pikepdf.new()
    page = pack.add_blank_page(page_size=(595, 842))
    page.obj.Rotate = pikepdf.String("sideways")  # not a number: shown unturned
    stamp(pack, page, "Appendix B: Terms (and conditions) \\ more", "Page 3 of 9")
    pack.save(tmp_path / "stamped.pdf")
    page = PdfReader(tmp_path / "stamped.pdf").pages[0]
    data = page.get_contents().get_data()
    assert data.startswith(b"q\n")
    assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in data
    assert b"(Appendix B: Terms \\(and conditions\\) \\\\ more) Tj" in data
    assert "Page 3 of 9" in page.extract_text()


def test_a_page_too_small_for_the_header_gets_none(tmp_path: Path) -> None:
    pack = pikepdf.new()
    page = pack.add_blank_page(page_size=(10, 10))
    stamp(pack, page, "Appendix B: Terms of reference", "Page 3 of 9")
    data = b"".join(stream.read_bytes() for stream in page.obj.Contents)
    assert b"() Tj" in data  # the header shortened to nothing; the footer still there
    assert b"(Page 3 of 9) Tj" in data

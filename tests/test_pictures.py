"""Pictures as phones, scanners and image programs save them: shown upright and at a sensible
size in the DOCX handed to LibreOffice, in a format it reads, or refused by `pack check` with
the answer's file and line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx.shared import Cm
from PIL import Image

from helpers.packs import TODAY
from helpers.word import to_document
from pipeline.errors import MarkdownError
from pipeline.inputs.check import check


def _embedded(document: object) -> Image.Image:
    """The one picture the document holds, as Pillow reads it from the DOCX."""
    (shape,) = document.inline_shapes  # type: ignore[attr-defined]
    rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    part = document.part.related_parts[rid]  # type: ignore[attr-defined]
    return Image.open(io.BytesIO(part.blob))


def _photo(path: Path, mode: str = "RGB", **save: object) -> Path:
    """A 300 x 200 picture, a dark band on its left edge to tell which way it is up."""
    image = Image.new("RGB", (300, 200), (240, 240, 240))
    image.paste((20, 20, 20), (0, 0, 30, 200))
    image.convert(mode).save(path, **save)
    return path


def test_a_phone_photo_is_shown_as_its_orientation_says(tmp_path: Path) -> None:
    """Phones save a portrait photo lying on its side with EXIF orientation 6 (turn it 90
    degrees clockwise to show it); python-docx and LibreOffice ignore the tag."""
    exif = Image.Exif()
    exif[0x0112] = 6
    _photo(tmp_path / "photo.jpg", exif=exif.tobytes(), quality=95)
    document = to_document("![Our workshop](photo.jpg)", source=tmp_path / "answer.md")
    (shape,) = document.inline_shapes
    assert shape.height > shape.width  # portrait, as the phone showed it
    shown = _embedded(document).convert("RGB")
    assert shown.size == (200, 300)
    assert sum(shown.getpixel((100, 10))) < 150  # the dark band is now along the top
    assert sum(shown.getpixel((100, 290))) > 600


@pytest.mark.parametrize(
    ("name", "mode", "save"),
    [
        ("adobe-cmyk.jpg", "CMYK", {"quality": 90}),  # Photoshop's print JPEG: no JFIF header
        ("scan.tif", "I;16", {}),  # a scanner's 16-bit grey
        ("measured.tif", "F", {}),  # 32-bit floating-point grey, which LibreOffice drops
        ("printer.tif", "CMYK", {"compression": "tiff_lzw"}),
        ("palette.bmp", "P", {}),
    ],
)
def test_pictures_every_reader_would_not_take_are_written_again(
    tmp_path: Path, name: str, mode: str, save: dict[str, object]
) -> None:
    _photo(tmp_path / name, mode, **save)
    document = to_document(f"![A picture]({name})", source=tmp_path / "answer.md")
    shown = _embedded(document)
    assert shown.format in ("PNG", "JPEG")
    assert shown.mode in ("1", "L", "LA", "P", "RGB", "RGBA")
    assert shown.size == (300, 200)
    (shape,) = document.inline_shapes
    assert abs(shape.width / shape.height - 1.5) < 0.01


def test_a_picture_keeps_its_own_bytes_where_nothing_needs_changing(tmp_path: Path) -> None:
    png = _photo(tmp_path / "chart.png", dpi=(96, 96))
    document = to_document("![A chart](chart.png)", source=tmp_path / "answer.md")
    (shape,) = document.inline_shapes
    rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[rid].blob == png.read_bytes()
    assert abs(shape.width - Cm(300 / 96 * 2.54)) < Cm(0.01)  # sized by its own resolution


@pytest.mark.parametrize("dpi", [1, 10_000])
def test_an_absurd_resolution_does_not_make_a_picture_a_dot_or_a_poster(
    tmp_path: Path, dpi: int
) -> None:
    _photo(tmp_path / "odd.png", dpi=(dpi, dpi))
    document = to_document("![A picture](odd.png)", source=tmp_path / "answer.md")
    (shape,) = document.inline_shapes
    assert abs(shape.width - Cm(300 / 72 * 2.54)) < Cm(0.01)  # as if 72 dpi, as Word would


def test_a_picture_whose_pixels_are_damaged_is_named_with_its_line(example: Path) -> None:
    """A header that promises more than the file holds (a download cut short): the header
    alone reads well; the pixels do not."""
    data = _photo(example / "answers" / "cut.png").read_bytes()
    (example / "answers" / "cut.png").write_bytes(data[: len(data) // 2])
    answer = next((example / "answers").glob("5-*.md"))
    lines = answer.read_text(encoding="utf-8").rstrip("\n").split("\n")
    answer.write_text("\n".join([*lines, "", "![The open day](cut.png)", ""]), encoding="utf-8")
    pack, problems = check(example, TODAY)
    assert pack is None
    found = [p for p in problems if p.code == "image-type"]
    assert [(p.path, p.line) for p in found] == [(answer, len(lines) + 2)]
    assert found[0].message.startswith("'cut.png' is a damaged (")
    assert found[0].message.endswith("image; save or export it again")
    with pytest.raises(MarkdownError, match="is a damaged"):
        to_document("![x](cut.png)", source=example / "answers" / "x.md")


@pytest.mark.parametrize("name", ["open day.png", "journée portes ouvertes.png"])
def test_a_picture_named_with_spaces_or_accents_is_found(tmp_path: Path, name: str) -> None:
    """The Markdown parser writes such a path percent-encoded (%20, %C3%A9)."""
    _photo(tmp_path / name)
    for written in (f"<{name}>", name.replace(" ", "%20")):
        document = to_document(f"![The open day]({written})", source=tmp_path / "answer.md")
        assert len(document.inline_shapes) == 1


def test_the_pictures_an_answer_shows_follow_its_text_and_its_folder(tmp_path: Path) -> None:
    """An answer's pictures are parsed once for each text, but a picture saved beside it
    later, or a text that names another, is found at once (a watch asks at every save)."""
    from pipeline.markdown.syntax import pictures

    answer = tmp_path / "1-profile.md"
    answer.write_text("Our team.\n\n![The team](team.png)\n", encoding="utf-8")
    assert pictures(answer) == []
    (tmp_path / "team.png").write_bytes(b"")
    assert pictures(answer) == [tmp_path / "team.png"]
    (tmp_path / "my lab.png").write_bytes(b"")
    answer.write_text("Our lab.\n\n![The lab](my%20lab.png)\n", encoding="utf-8")
    assert pictures(answer) == [tmp_path / "my lab.png"]

"""Signature images on the sign-off page, named in pack.toml and checked as answers' pictures."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from helpers.packs import png_header, wide_png
from pipeline.cli import cli
from pipeline.limits import IMAGE_PIXELS


def sign(root: Path, lines: str) -> None:
    toml = root / "pack.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[signoff]\n", f"[signoff]\n{lines}"), encoding="utf-8")


def with_signature(root: Path) -> Path:
    (root / "signatures").mkdir()
    image = root / "signatures" / "lead.png"
    image.write_bytes(wide_png(600, 150))
    sign(root, 'lead_signature = "signatures/lead.png"\n')
    return image


def signature_cells(document: docx.document.Document) -> list[docx.table._Cell]:
    """The cell under each "Signature" header: the sign-off tables read across."""
    return [
        table.rows[1].cells[index]
        for table in document.tables
        for index, cell in enumerate(table.rows[0].cells)
        if cell.text.strip() == "Signature"
    ]


def test_the_image_goes_in_the_lead_s_box(pack_dir: Path, tmp_path: Path) -> None:
    with_signature(pack_dir)
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["render", str(pack_dir), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(result.stdout.splitlines()[0])
    lead, leader = signature_cells(document)
    (picture,) = lead._tc.xpath(".//wp:inline")
    (described,) = picture.xpath("./wp:docPr")
    assert described.get("descr") == "Signature of Dr Ada Lead"
    extent = picture.find(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
    )
    width, height = int(extent.get("cx")), int(extent.get("cy"))
    assert height <= 720000  # 2 cm: the box's height, scaled down with its width
    assert abs(width / height - 4) < 0.01  # its proportions kept
    (table,) = [t for t in document.tables if lead._tc in t._tbl.iter()]
    column = table.columns[1].width  # the box's grid column, as LibreOffice lays it
    assert width < column
    assert leader._tc.xpath(".//wp:inline") == []  # no image: left for a wet signature


def test_without_signatures_both_boxes_stay_empty(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["render", str(pack_dir), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    cells = signature_cells(docx.Document(result.stdout.splitlines()[0]))
    assert [cell._tc.xpath(".//wp:inline") for cell in cells] == [[], []]


@pytest.mark.parametrize(
    ("line", "make", "message"),
    [
        ('lead_signature = "signatures/lead.png"\n', None,
         "signoff.lead_signature 'signatures/lead.png' not found; save the signature image "
         "there, or delete the line to sign the printed form by hand"),
        ('lead_signature = "signatures/lead.png"\n', b"%PDF-1.7 not a picture",
         "signoff.lead_signature 'signatures/lead.png' is not a PNG, JPEG, GIF, BMP or TIFF "
         "image; save it as PNG"),
        ('lead_signature = "/etc/lead.png"\n', None,
         "signoff.lead_signature '/etc/lead.png': give a path relative to pack.toml, e.g. "
         "'signatures/lead.png'"),
        ('lead_signature = "../lead.png"\n', None,
         "signoff.lead_signature '../lead.png' is outside the inputs folder; keep the image "
         "inside it"),
        ("leader_signature = 3\n", None,
         'signoff.leader_signature must be an image\'s path in quotes, e.g. leader_signature = '
         '"signatures/leader.png"'),
    ],
)  # fmt: skip
def test_pack_check_validates_the_image(
    pack_dir: Path, line: str, make: bytes | None, message: str
) -> None:
    sign(pack_dir, line)
    if make is not None:
        (pack_dir / "signatures").mkdir()
        (pack_dir / "signatures" / "lead.png").write_bytes(make)
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", "2026-11-22"])
    assert (result.exit_code, result.output) == (
        1,
        f"{pack_dir}/pack.toml:15: error: {message}\n1 error, 0 warnings\n",
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (png_header(20000, 20000),
         f"has 400,000,000 pixels, over the limit of {IMAGE_PIXELS:,}; scale it down"),
        (wide_png(60, 20)[:70], "is a damaged"),  # its pixel data cut short
        (png_header(600, 150), "is a damaged"),  # a header that promises rows that are not there
    ],
    ids=["over the pixel limit", "cut short", "rows missing"],
)  # fmt: skip
def test_a_signature_meets_the_picture_limits(pack_dir: Path, data: bytes, words: str) -> None:
    """The limits and the whole reading an answer's picture gets, before the build."""
    (pack_dir / "signatures").mkdir()
    (pack_dir / "signatures" / "lead.png").write_bytes(data)
    sign(pack_dir, 'lead_signature = "signatures/lead.png"\n')
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", "2026-11-22"])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"{pack_dir}/pack.toml:15: error: signoff.lead_signature 'signatures/lead.png' {words}"
    )


def _photo(path: Path, mode: str = "RGB", **save: object) -> Path:
    """A 600 x 200 picture, a dark band on its left edge to tell which way it is up."""
    image = Image.new("RGB", (600, 200), (240, 240, 240))
    image.paste((20, 20, 20), (0, 0, 40, 200))
    image.convert(mode).save(path, **save)
    return path


@pytest.mark.parametrize(
    ("name", "mode", "save", "size"),
    [
        ("phone.jpg", "RGB", {"exif": "turned", "quality": 95}, (200, 600)),  # EXIF orientation 6
        ("adobe-cmyk.jpg", "CMYK", {"quality": 90}, (600, 200)),  # not a JPEG to python-docx
        ("scan.tif", "I;16", {}, (600, 200)),  # a scanner's 16-bit grey: LibreOffice drops it
        ("odd.png", "RGB", {"dpi": (1, 1)}, (600, 200)),  # an absurd resolution: read as 72
    ],
)
def test_a_signature_is_shown_as_an_answers_picture_is(
    pack_dir: Path,
    tmp_path: Path,
    name: str,
    mode: str,
    save: dict[str, object],
    size: tuple[int, int],
) -> None:
    """Turned upright, written again in a format every reader takes, sized sensibly."""
    (pack_dir / "signatures").mkdir()
    if save.get("exif") == "turned":
        exif = Image.Exif()
        exif[0x0112] = 6
        save = {**save, "exif": exif.tobytes()}
    _photo(pack_dir / "signatures" / name, mode, **save)
    sign(pack_dir, f'lead_signature = "signatures/{name}"\n')
    result = CliRunner().invoke(
        cli, ["render", str(pack_dir), "--out", str(tmp_path / "build"), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(result.stdout.splitlines()[0])
    lead, _ = signature_cells(document)
    (blip,) = lead._tc.xpath(".//a:blip")
    part = document.part.related_parts[blip.get(qn("r:embed"))]
    shown = Image.open(io.BytesIO(part.blob))
    assert shown.format in ("PNG", "JPEG")
    assert shown.mode in ("1", "L", "LA", "P", "RGB", "RGBA")
    assert shown.size == size
    (extent,) = lead._tc.xpath(".//wp:inline/wp:extent")
    ratio = int(extent.get("cx")) / int(extent.get("cy"))
    assert abs(ratio - size[0] / size[1]) < 0.02  # upright, its proportions kept
    if size[0] > size[1]:
        assert int(extent.get("cx")) > 720000  # a box's width, not a dot


@pytest.mark.libreoffice
def test_the_signature_is_on_the_sign_off_page(pack_dir: Path, tmp_path: Path) -> None:
    with_signature(pack_dir)
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["assemble", str(pack_dir), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(result.stdout.splitlines()[-1])
    pages = [page for page in reader.pages if "Signature" in page.extract_text()]
    assert len(pages) == 1  # both signatories on one page, the image too
    # LibreOffice shares one resource dictionary between pages: look for the image by its shape
    # (4:1; the PDF export keeps pictures at 300 dpi, so its pixels follow the box's size)
    sizes = [image.image.size for image in pages[0].images]
    assert any(w >= 300 and abs(w / h - 4) < 0.05 for w, h in sizes), sizes


@pytest.mark.parametrize(
    "command", [["render", "--draft"], ["draft"]], ids=["render --draft", "pack draft"]
)
def test_copies_for_review_carry_no_signature(
    pack_dir: Path, tmp_path: Path, command: list[str]
) -> None:
    with_signature(pack_dir)
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, [command[0], str(pack_dir), *command[1:], "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    (made,) = [line for line in result.stdout.splitlines() if line.endswith(".docx")][:1]
    cells = signature_cells(docx.Document(made))
    assert len(cells) == 2
    assert [cell._tc.xpath(".//wp:inline") for cell in cells] == [[], []]

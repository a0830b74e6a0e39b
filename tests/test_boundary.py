"""The inputs folder is a boundary, files are what their content says, every input has a budget:
hostile inputs made by the tests, each refused by name with exit 1, nothing written, the
sources unchanged."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.packs import EXAMPLE, TODAY, png_header, wide_png
from helpers.plan_shapes import THEMES
from pipeline.cli import cli
from pipeline.limits import IMAGE_PIXELS, NESTING


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def check_fails(root: Path, *expected: str) -> str:
    """`pack check` exits 1 naming each expected message; nothing in the folder changes."""
    before = snapshot(root)
    result = CliRunner().invoke(cli, ["check", str(root), "--date", str(TODAY)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for message in expected:
        assert message in result.output, result.output
    assert snapshot(root) == before
    return result.output


def assemble_fails(root: Path, out: Path, *expected: str) -> None:
    """`pack assemble` exits 1 with the message, and writes no pack."""
    result = CliRunner().invoke(
        cli, ["assemble", str(root), "--out", str(out), "--date", str(TODAY)]
    )
    assert result.exit_code == 1, result.output
    for message in expected:
        assert message in result.stderr, result.stderr
    assert not list(out.glob("*.pdf"))


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "secret.txt"
    path.parent.mkdir()
    path.write_text("root:x:0:0:secret line\n", encoding="utf-8")
    return path


def test_image_path_climbing_out_of_the_inputs_folder(pack_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes(wide_png(10, 10))
    answer = pack_dir / "answers" / "2-answer.md"
    answer.write_text("Text.\n\n![chart](../../outside.png)\n", encoding="utf-8")
    check_fails(
        pack_dir,
        f"{answer}:3: error: image '../../outside.png' leads outside the inputs folder; "
        "put the picture in it",
    )


def test_image_symlinked_to_a_file_outside(pack_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes(wide_png(10, 10))
    (pack_dir / "answers" / "images").mkdir()
    (pack_dir / "answers" / "images" / "chart.png").symlink_to(tmp_path / "outside.png")
    answer = pack_dir / "answers" / "2-answer.md"
    answer.write_text("![chart](images/chart.png)\n", encoding="utf-8")
    check_fails(pack_dir, f"{answer}:1: error: image 'images/chart.png' leads outside")


def test_image_symlinked_inside_the_folder_is_fine(pack_dir: Path) -> None:
    (pack_dir / "answers" / "images").mkdir()
    (pack_dir / "answers" / "images" / "real.png").write_bytes(wide_png(10, 10))
    (pack_dir / "answers" / "images" / "chart.png").symlink_to("real.png")
    (pack_dir / "answers" / "2-answer.md").write_text("![c](images/chart.png)\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", str(TODAY)])
    assert result.exit_code == 0, result.output


def test_appendix_symlinked_to_a_file_outside(pack_dir: Path, tmp_path: Path, secret: Path) -> None:
    link = pack_dir / "appendices" / "4-notes.md"
    link.symlink_to(secret)
    message = (
        f"{link}: error: leads outside the inputs folder (a link to a file elsewhere); "
        "put the file itself in the folder"
    )
    output = check_fails(pack_dir, message)
    assert "secret line" not in output
    assemble_fails(pack_dir, tmp_path / "build", message)


@pytest.mark.parametrize("name", ["answers/3-answer.md", "action-plan.csv", "pack.toml"])
def test_source_symlinked_outside(pack_dir: Path, tmp_path: Path, name: str) -> None:
    target = tmp_path / "elsewhere" / Path(name).name
    target.parent.mkdir()
    (pack_dir / name).rename(target)
    (pack_dir / name).symlink_to(target)
    check_fails(pack_dir, f"{pack_dir / name}: error: leads outside the inputs folder")


def test_answers_folder_symlinked_outside(pack_dir: Path, tmp_path: Path) -> None:
    (pack_dir / "answers").rename(tmp_path / "answers-elsewhere")
    (pack_dir / "answers").symlink_to(tmp_path / "answers-elsewhere")
    check_fails(pack_dir, "leads outside the inputs folder")


# -- types by content ------------------------------------------------------------------------


def zip_of(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_opendocument_with_a_decoy_word_part_is_not_word(pack_dir: Path) -> None:
    path = pack_dir / "appendices" / "2-terms.docx"
    path.write_bytes(
        zip_of(
            {
                "mimetype": "application/vnd.oasis.opendocument.text",
                "content.xml": "<office:document-content/>",
                "word/document.xml": "<w:document/>",
            }
        )
    )
    check_fails(pack_dir, f"{path}: error: not a Word document (a zip of another kind")


def ole_file(streams: list[str]) -> bytes:
    """An OLE compound file's first sector and a directory naming `streams` (as Office's
    encrypted files and Word 97-2003 files begin)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(
        name.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for name in streams
    )
    return header + directory


@pytest.mark.parametrize(
    ("streams", "message"),
    [
        (
            ["Root Entry", "EncryptionInfo", "EncryptedPackage"],
            "password-protected; remove the password or export it again",
        ),
        (["Root Entry", "WordDocument"], "a Word 97-2003 document (.doc); save it as .docx"),
    ],
)
def test_ole_files_are_named_for_what_they_are(
    pack_dir: Path, streams: list[str], message: str
) -> None:
    path = pack_dir / "appendices" / "2-terms.docx"
    path.write_bytes(ole_file(streams))
    check_fails(pack_dir, f"{path}: error: {message}")


MINIMAL_DOCX = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    ),
}
BODY = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Terms</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    "document",
    [
        # a DOCTYPE after the first 4 KiB, behind a comment
        (
            '<?xml version="1.0" encoding="UTF-8"?><!--'
            + "x" * 5000
            + '--><!DOCTYPE w [<!ENTITY e "e">]>'
            + BODY
        ).encode("utf-8"),
        # the whole part in UTF-16, as its declaration says
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY e "e">]>' + BODY).encode(
            "utf-16"
        ),
        # UTF-16 without a byte-order mark, big-endian
        ('<?xml version="1.0" encoding="UTF-16BE"?><!DOCTYPE w [<!ENTITY e "e">]>' + BODY).encode(
            "utf-16-be"
        ),
    ],
    ids=["after-4-KiB", "utf-16", "utf-16-be-no-bom"],
)
def test_doctype_anywhere_in_any_encoding_is_refused(pack_dir: Path, document: bytes) -> None:
    path = pack_dir / "appendices" / "2-terms.docx"
    path.write_bytes(zip_of({**MINIMAL_DOCX, "word/document.xml": document}))
    check_fails(pack_dir, f"{path}: error: part word/document.xml has a DOCTYPE; refused")


DEFAULT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


@pytest.mark.parametrize("types", ["override", "default"])
def test_a_real_minimal_word_file_is_word(pack_dir: Path, types: str) -> None:
    """Its main part declared by an Override, or (as some tools write it) for every .xml part."""
    parts = {**MINIMAL_DOCX, "word/document.xml": BODY}
    if types == "default":
        parts["[Content_Types].xml"] = DEFAULT_TYPES
    path = pack_dir / "appendices" / "2-terms.docx"
    path.write_bytes(zip_of(parts))
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", str(TODAY)])
    assert result.exit_code == 0, result.output


def test_a_word_file_whose_main_part_has_another_name_is_read_where_its_package_says(
    pack_dir: Path,
) -> None:
    """The format lets a package name its main part as it likes (Word for the web writes
    word/document2.xml): it is found through _rels/.rels, as Word finds it
    (tests/test_word_packages.py builds such files)."""
    parts = {
        **{
            k: v.replace("word/document.xml", "word/document2.xml") for k, v in MINIMAL_DOCX.items()
        },
        "word/document2.xml": BODY,
    }
    path = pack_dir / "appendices" / "2-terms.docx"
    path.write_bytes(zip_of(parts))
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", str(TODAY)])
    assert result.exit_code == 0, result.output


def test_a_word_file_damaged_inside_is_named_not_a_crash(pack_dir: Path) -> None:
    """Its zip directory intact, the compressed data of a part garbled (a copy cut short, a
    bad sector): the part's CRC or its decompression fails when it is read."""
    body = BODY.replace(
        "</w:body>", "<w:p><w:r><w:t>" + "words " * 400 + "</w:t></w:r></w:p></w:body>"
    )
    data = bytearray(zip_of({**MINIMAL_DOCX, "word/document.xml": body}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        item = archive.getinfo("word/document.xml")
    start = item.header_offset + 30 + len(item.filename) + len(item.extra)
    for at in range(start + 4, start + 20):
        data[at] ^= 0xFF
    path = pack_dir / "appendices" / "2-terms.docx"
    path.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", str(TODAY)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path}: error: damaged (part word/document.xml: " in result.output
    assert "save it again from the program that made it" in result.output


# -- budgets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["> ", "- "])
def test_markdown_nested_deeper_than_shown_is_an_error(pack_dir: Path, kind: str) -> None:
    answer = pack_dir / "answers" / "2-answer.md"
    if kind == "> ":  # all on line 3
        text = "Intro.\n\n" + "> " * 2000 + "innermost\n\nAfter.\n"
        line = 3
    else:  # a level a line from line 3: the one too deep is on line 3 + NESTING
        text = "Intro.\n\n" + "".join("  " * i + "- level\n" for i in range(30)) + "\nAfter.\n"
        line = 3 + NESTING
    answer.write_text(text, encoding="utf-8")
    check_fails(
        pack_dir,
        f"{answer}:{line}: error: block quotes and lists nested {NESTING + 1} deep; at most "
        f"{NESTING} levels can be shown, so nest them less",
    )


def test_nesting_up_to_the_limit_is_fine(pack_dir: Path) -> None:
    text = "".join("  " * i + f"- level {i + 1}\n" for i in range(NESTING))
    (pack_dir / "answers" / "2-answer.md").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", str(TODAY)])
    assert result.exit_code == 0, result.output


def test_image_over_the_pixel_budget(pack_dir: Path) -> None:
    (pack_dir / "answers" / "images").mkdir()
    (pack_dir / "answers" / "images" / "huge.png").write_bytes(png_header(20000, 20000))
    answer = pack_dir / "answers" / "2-answer.md"
    answer.write_text("![huge](images/huge.png)\n", encoding="utf-8")
    check_fails(
        pack_dir,
        f"{answer}:1: error: image 'images/huge.png' has 400,000,000 pixels, over the limit of "
        f"{IMAGE_PIXELS:,}; scale it down",
    )


def test_huge_pack_toml_is_one_short_line(pack_dir: Path) -> None:
    toml = pack_dir / "pack.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"initial"', '"' + "x" * 10_000_000 + '"'),
        encoding="utf-8",
    )
    output = check_fails(pack_dir, f"{toml}: error: 9.5 MiB, over the limit of 1 MiB")
    assert max(len(line) for line in output.splitlines()) < 300


def test_long_framework_name_is_one_short_line(pack_dir: Path) -> None:
    toml = pack_dir / "pack.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('"initial"', '"' + "x" * 100_000 + '"'),
        encoding="utf-8",
    )
    output = check_fails(
        pack_dir, f"{toml}:2: error: framework '{'x' * 40}'... is far too long to name a form\n"
    )
    assert max(len(line) for line in output.splitlines()) < 300


def test_renderer_refuses_what_it_cannot_nest() -> None:
    from helpers.word import to_document
    from pipeline.errors import MarkdownError

    with pytest.raises(MarkdownError, match=r"answer.md:1: block quotes and lists nested 10 deep"):
        to_document("> " * 50 + "innermost\n")


def test_word_copy_keeps_no_link_to_outside_but_web_links(tmp_path: Path) -> None:
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from pipeline.word.external import private_copy

    template = (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
    )
    document = docx.Document()
    paragraph = document.add_paragraph("Linked things.")
    part = document.part
    part.relate_to("file:///etc/passwd", RT.IMAGE, is_external=True)
    part.relate_to("http://127.0.0.1:9/template.dotm", template, is_external=True)
    web = part.relate_to("https://www.example.org/", RT.HYPERLINK, is_external=True)
    paragraph._p.append(
        parse_xml(
            f"<w:fldSimple {nsdecls('w')} w:instr=' INCLUDEPICTURE \"http://127.0.0.1:9/a.png\" \\d '>"
            "<w:r><w:t>shown</w:t></w:r></w:fldSimple>"
        )
    )
    source, copy = tmp_path / "linked.docx", tmp_path / "copy.docx"
    document.save(str(source))
    before = source.read_bytes()
    private_copy(source, copy)
    assert source.read_bytes() == before
    with zipfile.ZipFile(copy) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
        body = archive.read("word/document.xml").decode()
    assert "/etc/passwd" not in rels
    assert "template.dotm" not in rels
    assert f'Id="{web}"' in rels
    assert "https://www.example.org/" in rels
    assert "INCLUDEPICTURE" not in body
    assert "shown" in body


# -- the plan's budget -----------------------------------------------------------------------


def test_workbook_whose_used_range_is_the_whole_sheet(pack_dir: Path) -> None:
    """A tiny workbook with one cell at XFD1048576 is refused, not read as a grid."""
    from openpyxl import Workbook

    from helpers.packs import PLAN_CSV

    book = Workbook()
    sheet = book.active
    sheet.title = "Plan"
    for row in PLAN_CSV.splitlines():
        sheet.append([c.strip('"') for c in row.split(",")])
    sheet["XFD1048576"] = "x"
    (pack_dir / "action-plan.csv").unlink()
    path = pack_dir / "action-plan.xlsx"
    book.save(path)
    assert path.stat().st_size < 20_000
    check_fails(
        pack_dir,
        f"{path}: error: sheet 'Plan' reaches XFD1048576 (1,048,576 rows, 16,384 columns), "
        "over the limit of 2,000 rows and 64 columns for a plan",
    )


def test_plan_of_100000_rows_is_refused_by_check(pack_dir: Path) -> None:
    path = pack_dir / "action-plan.csv"
    row = ",Another action,Measured,2027,,x,\n"
    path.write_text(path.read_text(encoding="utf-8") + row * 100_000, encoding="utf-8")
    check_fails(pack_dir, f"{path}: error: reaches row 100010 (100,010 rows, 7 columns)")


def test_control_character_in_a_plan_cell_is_named_with_its_row(pack_dir: Path) -> None:
    path = pack_dir / "action-plan.csv"
    text = path.read_text(encoding="utf-8").replace("Hold an open day", "Hold an\x01open day")
    path.write_text(text, encoding="utf-8")
    check_fails(
        pack_dir, f"{path}:4: error: control character U+0001 in the cell; delete it (cell B4)"
    )


def test_a_pipe_named_like_an_answer_is_refused_not_read(pack_dir: Path) -> None:
    import os

    pipe = pack_dir / "answers" / "3-answer.md"
    pipe.unlink()
    os.mkfifo(pipe)
    check_fails(pack_dir, f"{pipe}: error: not a regular file; put the file itself here")


# -- reading untrusted files under a time and memory limit ---------------------------------


def test_a_read_that_does_not_end_is_stopped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pipeline import limits

    monkeypatch.setattr(limits, "PARSE_SECONDS", 1)

    def forever() -> str:
        while True:
            pass

    with pytest.raises(limits.Exceeded, match=r"slow\.pdf: not read within 1 s; refused"):
        limits.bounded(tmp_path / "slow.pdf", forever)


def test_a_read_that_takes_too_much_memory_is_stopped(tmp_path: Path) -> None:
    from pipeline import limits

    def greedy() -> int:
        return len(bytearray(2 * limits.PARSE_MEMORY))

    with pytest.raises(limits.Exceeded, match=r"big\.pdf: needs more than 1 GiB to read; refused"):
        limits.bounded(tmp_path / "big.pdf", greedy)


def test_the_aims_of_a_plan_with_a_theme_column_are_read_within_the_budget(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A plan with a Theme column takes its themes' aims from another sheet of the workbook:
    that second reading is bounded too. Reading the aims is made slow here (the sheets, read
    from inside `theme_aims`, take five seconds): stopped at the limit, said as a problem."""
    import inspect
    import time

    from pipeline import limits
    from pipeline.plan import sheet
    from pipeline.plan.read import load_plan
    from pipeline.plan.spreadsheet import write_xlsx

    plan, _ = load_plan(EXAMPLE / "action-plan.xlsx", THEMES)
    assert plan is not None
    published = write_xlsx(plan, tmp_path / "plan.xlsx", "Title")  # a Theme column, aims beside
    real = sheet.xlsx.sheets

    def slow_for_aims(path: Path) -> object:
        if any(frame.function == "theme_aims" for frame in inspect.stack()):
            time.sleep(5)
        return real(path)

    monkeypatch.setattr(sheet.xlsx, "sheets", slow_for_aims)
    monkeypatch.setattr(limits, "PARSE_SECONDS", 1)
    again, problems = load_plan(published, THEMES)
    assert again is None
    assert [(p.code, p.message) for p in problems] == [
        ("plan-unsafe", "not read within 1 s; refused")
    ]


def test_a_bounded_read_gives_back_its_result_or_its_error(tmp_path: Path) -> None:
    from pipeline import limits
    from pipeline.errors import UnsafeFile

    assert limits.bounded(tmp_path / "a", lambda: [(1, ["Goal", "x"])]) == [(1, ["Goal", "x"])]

    def refuse() -> None:
        raise UnsafeFile("a: refused")

    with pytest.raises(UnsafeFile, match="a: refused"):
        limits.bounded(tmp_path / "a", refuse)


def test_xml_in_an_encoding_that_cannot_be_told_is_refused(pack_dir: Path) -> None:
    """EBCDIC: the parser could read it, a search for DOCTYPE could not."""
    document = ('<?xml version="1.0" encoding="cp500"?><!DOCTYPE w>' + BODY).encode("cp500")
    path = pack_dir / "appendices" / "2-terms.docx"
    path.write_bytes(zip_of({**MINIMAL_DOCX, "word/document.xml": document}))
    check_fails(
        pack_dir,
        f"{path}: error: part word/document.xml is not XML in an encoding it declares; refused",
    )


def test_sections_start_on_the_next_page_not_an_odd_or_even_one(tmp_path: Path) -> None:
    """A blank page left for printing on both sides would be counted and numbered by
    LibreOffice but left out of the PDF: the copy converted, and a form rendered from a
    template that has such sections, start each on the next page; a footer's total counts the
    document, not its section."""
    import re
    import zipfile

    import docx
    from docx.enum.section import WD_SECTION
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from pipeline.word.external import one_sided, private_copy

    source = tmp_path / "report.docx"
    document = docx.Document()
    footer = document.sections[0].footer.paragraphs[0]
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" SECTIONPAGES "/>'))
    document.add_paragraph("One")
    for start in (WD_SECTION.ODD_PAGE, WD_SECTION.EVEN_PAGE, WD_SECTION.NEW_PAGE):
        document.add_section(start)
        document.add_paragraph("More")
    document.save(source)

    def starts(path: Path) -> list[str]:
        xml = zipfile.ZipFile(path).read("word/document.xml").decode()
        return re.findall(r'<w:type w:val="(\w+)"', xml)

    def totals(path: Path) -> list[str]:
        xml = zipfile.ZipFile(path).read("word/footer1.xml").decode()
        return re.findall(r'w:instr=" (\w+) "', xml)

    assert starts(source) == ["oddPage", "evenPage"]  # a next-page section says nothing
    assert totals(source) == ["SECTIONPAGES"]
    copy = tmp_path / "copy.docx"
    private_copy(source, copy)
    assert (starts(copy), totals(copy)) == (["nextPage"] * 2, ["NUMPAGES"])
    assert one_sided(source)
    assert (starts(source), totals(source)) == (["nextPage"] * 2, ["NUMPAGES"])
    assert not one_sided(source)  # nothing left to change: the file is not written again


@pytest.mark.parametrize("opening", ["table", "paragraph", "table after a paragraph"])
def test_a_document_that_opens_with_a_table_gets_a_point_high_paragraph_first(
    tmp_path: Path, opening: str
) -> None:
    """The pack's page numbers start on the document's first paragraph (LibreOffice 25.2
    ignores a table's page number offset): a table that opens the body gets an empty paragraph
    one point high before it, in the copy; nothing else moves."""
    import zipfile

    import docx
    from lxml import etree

    from pipeline.word.external import private_copy

    source = tmp_path / "audit.docx"
    document = docx.Document()
    if opening != "table":
        document.add_paragraph("Workshop audit")
    if opening != "paragraph":
        document.add_table(rows=1, cols=2).cell(0, 0).text = "Owner"
    document.save(source)
    copy = tmp_path / "copy.docx"
    private_copy(source, copy)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def body(path: Path) -> list[etree._Element]:
        root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
        return [child for child in root.find(f"{w}body") if child.tag != f"{w}sectPr"]

    before, after = body(source), body(copy)
    if opening != "table":
        assert [e.tag for e in after] == [e.tag for e in before]
        return
    assert [e.tag for e in after] == [f"{w}p", f"{w}tbl"]
    (spacing,) = after[0].iter(f"{w}spacing")
    assert (spacing.get(f"{w}line"), spacing.get(f"{w}lineRule")) == ("20", "exact")
    assert "".join(after[0].itertext()) == ""

"""Word files as other programs write them: a main part named otherwise (Word for the web's
`word/document2.xml`), found as Word finds it, and a file broken inside (malformed XML in any
part, a part that is not what its content type says, a part its relationships name missing, an
encoding declared that the bytes are not in), refused by `pack check` naming the file and the
part, never an internal error halfway through a build."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from helpers.packs import TODAY, write_pack
from helpers.pdf import pdf_text
from helpers.reviewed_word import SHAPES, write
from pipeline.cli import cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def run_check(root: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(root), "--date", str(TODAY), *options])
    return result.exit_code, result.output


def web_document(path: Path, text: str) -> Path:
    """A Word file as Word for the web saves it: its main part `word/document2.xml`."""
    document = docx.Document()
    document.add_heading("Terms of reference", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    renamed = {}
    for name, data in parts.items():
        name = {
            "word/document.xml": "word/document2.xml",
            "word/_rels/document.xml.rels": "word/_rels/document2.xml.rels",
        }.get(name, name)
        if name in ("[Content_Types].xml", "_rels/.rels"):
            data = data.replace(b"word/document.xml", b"word/document2.xml")
        renamed[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in renamed.items():
            out.writestr(name, data)
    return path


@pytest.mark.libreoffice
def test_word_for_the_webs_document2_builds(tmp_path: Path) -> None:
    inputs = write_pack(tmp_path / "inputs")
    web_document(inputs / "appendices" / "2-web.docx", "Written in Word for the web.")
    result = CliRunner().invoke(
        cli, ["assemble", str(inputs), "--out", str(tmp_path / "build"), "--date", str(TODAY)]
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(Path(result.stdout.splitlines()[-1]))
    assert "Written in Word for the web." in text


def test_a_main_part_the_relationships_name_wins_over_a_decoy(tmp_path: Path) -> None:
    """Word reads the part `_rels/.rels` names; a `word/document.xml` left beside it is not it."""
    from pipeline.safety import check_zip

    path = web_document(tmp_path / "web.docx", "The real text.")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/document.xml", "<decoy/>")
    assert check_zip(path, "word/document.xml") == "word/document2.xml"


# -- broken inside ----------------------------------------------------------------------------


def full_docx(path: Path) -> Path:
    """A Word file with every part a broken one could be: styles, list numbering, a header, a
    footer, footnotes, comments, settings (Word's own shape, with a numbering part added)."""
    write(SHAPES[0], path)
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts["word/numbering.xml"] = f'<w:numbering xmlns:w="{W}"/>'.encode()
    numbering = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/word/numbering.xml" ContentType="{numbering}"/></Types>'.encode(),
    )
    rel = (
        '<Relationship Id="rIdU" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/numbering" Target="numbering.xml"/></Relationships>'
    )
    name = "word/_rels/document.xml.rels"
    parts[name] = parts[name].replace(b"</Relationships>", rel.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for part, data in parts.items():
            out.writestr(part, data)
    return path


def with_part(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for part, content in parts.items():
            out.writestr(part, content)


PARTS = [
    "word/document.xml", "word/styles.xml", "word/numbering.xml", "word/header1.xml",
    "word/footer1.xml", "word/footnotes.xml", "word/comments.xml", "word/settings.xml",
    "[Content_Types].xml", "word/_rels/document.xml.rels", "_rels/.rels",
]  # fmt: skip


@pytest.mark.parametrize("part", PARTS)
def test_malformed_xml_in_any_part_is_refused_by_check(pack_dir: Path, part: str) -> None:
    path = full_docx(pack_dir / "appendices" / "2-terms.docx")
    with zipfile.ZipFile(path) as archive:
        assert part in archive.namelist()
        data = archive.read(part)
    with_part(path, part, data[: len(data) // 2])  # cut short: a tag left open
    code, output = run_check(pack_dir)
    assert code == 1
    assert f"{path}: error: part {part} is not well-formed XML (" in output
    assert "open it in Word or LibreOffice and save it again" in output


def test_malformed_xml_fails_check_before_the_build(pack_dir: Path, tmp_path: Path) -> None:
    """Before, check passed and the build ended in "internal error (XMLSyntaxError ...)"."""
    path = full_docx(pack_dir / "appendices" / "2-terms.docx")
    with_part(path, "word/styles.xml", b"<w:styles><w:style></w:styles>")
    result = CliRunner().invoke(
        cli, ["assemble", str(pack_dir), "--out", str(tmp_path / "b"), "--date", str(TODAY)]
    )
    assert result.exit_code == 1
    assert "internal error" not in result.output
    assert "part word/styles.xml is not well-formed XML" in result.stderr
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").glob("*.pdf"))


@pytest.mark.parametrize(
    ("part", "data", "message"),
    [
        (
            "word/styles.xml",
            f'<w:document xmlns:w="{W}"><w:body/></w:document>'.encode(),
            "part word/styles.xml should hold styles but holds <document>",
        ),
        (
            "word/header1.xml",
            f'<w:ftr xmlns:w="{W}"/>'.encode(),
            "part word/header1.xml should hold a header but holds <ftr>",
        ),
        (
            "word/settings.xml",
            f'<?xml version="1.0" encoding="UTF-16"?><w:settings xmlns:w="{W}"/>'.encode(),
            "part word/settings.xml is not XML in an encoding it declares; refused",
        ),
        (
            "word/comments.xml",
            f'<?xml version="1.0" encoding="ISO-8859-1"?><w:comments xmlns:w="{W}">'
            "<w:comment w:id='0'><w:p><w:r><w:t>caf\xe9</w:t></w:r></w:p></w:comment>"
            "</w:comments>".encode()[:-2],
            "part word/comments.xml is not well-formed XML (",
        ),
        (
            "word/footnotes.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W}">'
            "<w:footnote w:id='1'><w:p><w:r><w:t>caf\xe9</w:t></w:r></w:p></w:footnote>"
            "</w:footnotes>".encode("latin-1"),
            "part word/footnotes.xml is not well-formed XML (",
        ),
    ],
    ids=[
        "styles-holding-a-document",
        "header-holding-a-footer",
        "utf-16-declared",
        "cut-short",
        "utf-8-declared-latin-1-written",
    ],
)
def test_a_part_that_is_not_what_it_says(
    pack_dir: Path, part: str, data: bytes, message: str
) -> None:
    path = full_docx(pack_dir / "appendices" / "2-terms.docx")
    with_part(path, part, data)
    code, output = run_check(pack_dir)
    assert code == 1
    assert f"{path}: error: {message}" in output


def test_a_part_the_relationships_name_and_the_file_lacks(pack_dir: Path) -> None:
    path = full_docx(pack_dir / "appendices" / "2-terms.docx")
    with zipfile.ZipFile(path) as archive:
        parts = {
            i.filename: archive.read(i)
            for i in archive.infolist()
            if i.filename != "word/footer1.xml"
        }
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    code, output = run_check(pack_dir)
    assert code == 1
    assert (
        f"{path}: error: part word/_rels/document.xml.rels names a part word/footer1.xml that "
        "is not in the file; open it in Word or LibreOffice and save it again"
    ) in output


def test_a_declared_encoding_that_is_right_is_read(pack_dir: Path) -> None:
    """A part in ISO-8859-1 that says so is fine, as Word reads it."""
    path = full_docx(pack_dir / "appendices" / "2-terms.docx")
    comments = (
        f'<?xml version="1.0" encoding="ISO-8859-1"?><w:comments xmlns:w="{W}">'
        "<w:comment w:id='0'><w:p><w:r><w:t>caf\xe9</w:t></w:r></w:p></w:comment>"
        "</w:comments>"
    ).encode("latin-1")
    with_part(path, "word/comments.xml", comments)
    code, output = run_check(pack_dir, "--draft")  # its review aside: a warning
    assert code == 0, output


def test_a_draft_saved_by_word_for_the_web_is_reviewed(tmp_path: Path) -> None:
    """A reviewer who edits the draft in Word for the web sends back word/document2.xml:
    `pack review` finds the tracked change there, as in any other draft."""
    import helpers.docx_edit as ed
    from helpers.draft import make_draft

    draft = make_draft(write_pack(tmp_path / "inputs"), tmp_path / "build")
    reviewed = ed.rewrite(
        draft,
        tmp_path / "reviewed.docx",
        lambda root: ed.track_insert_after(
            ed.paragraph(root, "Answer 2: our"), "Answer 2:", " (revised)"
        ),
    )
    with zipfile.ZipFile(reviewed) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    web = tmp_path / "web.docx"
    with zipfile.ZipFile(web, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            name = {
                "word/document.xml": "word/document2.xml",
                "word/_rels/document.xml.rels": "word/_rels/document2.xml.rels",
            }.get(name, name)
            if name in ("[Content_Types].xml", "_rels/.rels"):
                data = data.replace(b"word/document.xml", b"word/document2.xml")
            out.writestr(name, data)
    result = CliRunner().invoke(cli, ["review", str(web), "--json"])
    assert result.exit_code == 0, result.output
    assert "(revised)" in result.stdout
    assert '"question": 2' in result.stdout

"""`pack import` on files whose package is not whole or holds parts the body only points at:
a picture whose image part is missing, parts Word shows in place of an element (altChunk).
What is missing or cannot be shown is named; the rest is imported."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import word_forms as wf
from helpers.word_forms import ANSWERS, PROMPTS
from pipeline.cli import cli


def without_media(document: object, path: Path) -> Path:
    """The document saved with its pictures' parts left out (their relationships kept), as a
    damaged copy or a careless converter leaves them."""
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            if not item.filename.startswith("word/media/"):
                target.writestr(item, source.read(item))
    return path


def test_a_picture_without_its_image_is_named_and_the_text_kept(tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("Our technicians, pictured below.")
    wf.add_picture(document)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Our workshop"
    wf.add_picture(document, table.rows[0].cells[1].paragraphs[0])
    source = without_media(document, tmp_path / "one.docx")
    result = CliRunner().invoke(
        cli, ["import", str(source), str(tmp_path / "in"), "--question", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    (answer,) = (tmp_path / "in" / "answers").glob("1-*.md")
    assert answer.read_text(encoding="utf-8").startswith("Our technicians, pictured below.\n\n|")
    (question,) = json.loads(result.output)["questions"][:1]
    missing = [item for item in question["left_out"] if "picture whose image is missing" in item]
    assert len(missing) == 2, question["left_out"]


def test_a_signature_without_its_image_is_a_note(tmp_path: Path) -> None:
    document = wf.new()
    wf.fields(document)
    for prompt, text in zip(PROMPTS, ANSWERS, strict=True):
        document.add_paragraph(prompt)
        document.add_paragraph(text)
    document.add_paragraph("Sign-off")
    wf.signoff(document)
    source = without_media(document, tmp_path / "form.docx")
    result = CliRunner().invoke(cli, ["import", str(source), str(tmp_path / "in"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert "the lead's signature picture is missing from the file" in report["notes"]
    assert not (tmp_path / "in" / "signatures" / "lead.png").exists()


def with_chunks(path: Path, chunks: list[tuple[str, str, bytes]], in_control: bool) -> Path:
    """A document with a paragraph, then each (part name, type, data) as an embedded part
    Word shows in place (`w:altChunk`), as mail-merge and document-assembly tools write them."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = wf.new()
    document.add_paragraph("Written in Word.")
    body = document.element.body
    for name, kind, data in chunks:
        part = Part(PackURI(f"/word/{name}"), kind, data, document.part.package)
        r_id = document.part.relate_to(part, RT.A_F_CHUNK)
        chunk = f'<w:altChunk {nsdecls("w", "r")} r:id="{r_id}"/>'
        if in_control:
            chunk = f"<w:sdt {nsdecls('w', 'r')}><w:sdtContent>{chunk}</w:sdtContent></w:sdt>"
        body.insert(len(body) - 1, parse_xml(chunk))
    return wf.save(document, path)


@pytest.mark.parametrize("in_control", [False, True], ids=["in the body", "in a control"])
def test_embedded_parts_keep_their_text_or_are_named(in_control: bool, tmp_path: Path) -> None:
    page = b"<html><head><title>No</title><style>p{}</style></head><body><h1>Merged in</h1>"
    page += b"<p>From a <b>web</b> page &amp; more.</p><ul><li>One item</li></ul></body></html>"
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    chunks = [
        ("chunk1.html", "text/html", page),
        ("chunk2.txt", "text/plain", b"A plain\r\n\r\ntext file"),
        ("chunk3.docx", docx, b"PK\x03\x04not read"),
    ]
    source = with_chunks(tmp_path / "chunks.docx", chunks, in_control)
    result = CliRunner().invoke(
        cli, ["import", str(source), str(tmp_path / "in"), "--question", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    (answer,) = (tmp_path / "in" / "answers").glob("1-*.md")
    assert answer.read_text(encoding="utf-8") == (
        "Written in Word.\n\nMerged in\n\nFrom a web page & more.\n\nOne item\n\nA plain\n\n"
        "text file\n"
    )
    (question,) = json.loads(result.output)["questions"][:1]
    assert question["left_out"] == [
        "an embedded web page (altChunk) (after paragraph 1): the pack cannot show it; its text "
        "is kept as paragraphs",
        "an embedded text file (altChunk) (after paragraph 1): the pack cannot show it; its text "
        "is kept as paragraphs",
        "an embedded document part (altChunk) (after paragraph 1): the pack cannot show it; not "
        "imported",
    ]


def test_a_body_nested_too_deep_is_refused_as_that(tmp_path: Path) -> None:
    """Well-formed XML deeper than the parser goes is not a damaged file: the message says so."""
    from docx.oxml.ns import qn
    from lxml import etree

    document = wf.new()
    holder = document.element.body
    for _ in range(300):  # content controls in content controls, built (no parser limits)
        holder = etree.SubElement(etree.SubElement(holder, qn("w:sdt")), qn("w:sdtContent"))
    document.element.body.append(document.element.body[0])  # the section's settings last
    holder.append(document.add_paragraph("Deep")._p)
    source = wf.save(document, tmp_path / "deep.docx")
    result = CliRunner().invoke(
        cli, ["import", str(source), str(tmp_path / "in"), "--question", "1"]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {source}: part word/document.xml nests tables, content controls or other "
        "elements more than 256 deep; refused: flatten them in Word and run again\n"
    )
    assert not (tmp_path / "in").exists()

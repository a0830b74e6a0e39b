"""What `pack import` says about a file rather than imports from it: reviewers' comments (listed,
never imported), the form's guidance, fields and linked pictures named, hostile packages refused
by name with nothing written, and a folder that is not an inputs folder left alone."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from helpers import word_forms as wf
from helpers.word_forms import ANSWERS, PROMPTS
from pipeline.cli import cli


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["import", *args])


def test_comments_are_listed_with_their_question_and_not_imported(tmp_path: Path) -> None:
    document = wf.new()
    for prompt, answer in zip(PROMPTS, ANSWERS, strict=True):
        document.add_paragraph(prompt)
        paragraph = document.add_paragraph(answer)
        if answer is ANSWERS[2]:
            document.add_comment(paragraph.runs, text="Check this figure", author="Rita")
    source = wf.save(document, tmp_path / "form.docx")
    result = run(str(source), str(tmp_path / "inputs"))
    assert result.exit_code == 0, result.output
    assert "comment (question 3, not imported): Rita: Check this figure" in result.output
    (three,) = (tmp_path / "inputs" / "answers").glob("3-*.md")
    assert three.read_text() == ANSWERS[2] + "\n"
    report = json.loads(run(str(source), str(tmp_path / "again"), "--json").output)
    assert report["comments"] == [{"author": "Rita", "text": "Check this figure", "question": 3}]


def test_the_forms_guidance_is_left_out(tmp_path: Path) -> None:
    document = wf.new()
    for prompt, answer in zip(PROMPTS, ANSWERS, strict=True):
        document.add_paragraph(prompt)
        document.add_paragraph("(up to 250 words)")
        document.add_paragraph(answer)
        document.add_paragraph("Click or tap here to enter text.")
    source = wf.save(document, tmp_path / "form.docx")
    result = run(str(source), str(tmp_path / "inputs"), "--json")
    assert result.exit_code == 0, result.output
    for n, answer in enumerate(ANSWERS, start=1):
        (path,) = (tmp_path / "inputs" / "answers").glob(f"{n}-*.md")
        assert path.read_text() == answer + "\n"
    said = json.loads(result.output)["questions"][0]["left_out"]
    assert any("the form's guidance" in item for item in said), said


def test_fields_and_linked_pictures_are_named(tmp_path: Path) -> None:
    document = wf.new()
    paragraph = document.add_paragraph("Updated on ")
    paragraph._p.append(
        wf.parse_xml(
            f'<w:fldSimple {wf.nsdecls("w")} w:instr=" DATE "><w:r><w:t>3 May 2026</w:t></w:r>'
            "</w:fldSimple>"
        )
    )
    wf.add_picture(document, alt="linked")
    source = wf.save(document, tmp_path / "one.docx")
    linked = tmp_path / "linked.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(linked, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"r:embed=", b"r:link=")
            new.writestr(item, data)
    external = tmp_path / "external.docx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(external, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b'Target="media/image1.png"',
                    b'Target="file:///etc/x.png" TargetMode="External"',
                )
            new.writestr(item, data)
    result = run(str(external), str(tmp_path / "other"), "--question", "4", "--json")
    assert result.exit_code == 0, result.output
    said = " | ".join(json.loads(result.output)["questions"][0]["left_out"])
    assert "a linked picture (pictures outside the file are never fetched)" in said
    result = run(str(linked), str(tmp_path / "inputs"), "--question", "4", "--json")
    assert result.exit_code == 0, result.output
    said = " | ".join(json.loads(result.output)["questions"][0]["left_out"])
    assert "a DATE field (its result kept as text) (paragraph 1)" in said
    assert "a linked picture (pictures outside the file are never fetched)" in said
    (four,) = (tmp_path / "inputs" / "answers").glob("4-*.md")
    assert four.read_text() == "Updated on 3 May 2026\n"


def _with_part(name: str, data: bytes, tmp_path: Path, compress: bool = True) -> Path:
    document = wf.new()
    document.add_paragraph("Text")
    buffer = io.BytesIO()
    document.save(buffer)
    target = tmp_path / "form.docx"
    with zipfile.ZipFile(buffer) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, data if item.filename == name else old.read(item))
        if name not in old.namelist():
            new.writestr(name, data)
    return target


HOSTILE = {
    "entity": (
        "word/document.xml",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>',
        "has a DOCTYPE",
    ),
    "zip bomb": ("word/media/huge.xml", b"<a>" + b" " * 50_000_000 + b"</a>", "expands"),
    "not xml": ("word/styles.xml", b"\x00\x01 not xml", "is not XML"),
    "broken xml": ("word/document.xml", b"<w:document><w:body>", "damaged"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_package_is_refused_by_name(kind: str, tmp_path: Path) -> None:
    name, data, said = HOSTILE[kind]
    source = _with_part(name, data, tmp_path)
    result = run(str(source), str(tmp_path / "inputs"))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {source}: "), result.stderr
    assert said in result.stderr
    assert not (tmp_path / "inputs").exists()


def test_a_folder_that_is_not_an_inputs_folder_is_left_alone(tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("Text")
    source = wf.save(document, tmp_path / "one.docx")
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = run(str(source), str(folder), "--question", "1")
    assert result.exit_code == 1
    assert "not an inputs folder (no pack.toml) and not empty" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_a_question_the_form_does_not_have(tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("Text")
    source = wf.save(document, tmp_path / "one.docx")
    result = run(str(source), str(tmp_path / "inputs"), "--question", "9")
    assert result.exit_code == 1
    assert result.stderr == "Error: the form has no question 9 (it has 1 to 8)\n"
    assert not (tmp_path / "inputs").exists()


def _drawing(inner: str) -> Any:
    return wf.parse_xml(
        f"<w:r {wf.nsdecls('w', 'wp', 'a', 'r')} "
        'xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<w:drawing><wp:inline><wp:docPr id="5" name="thing"/><a:graphic><a:graphicData uri="x">'
        f"{inner}</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )


def test_smartart_charts_and_embedded_objects_are_named(tmp_path: Path) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    document = wf.new()
    data = (
        b'<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst><dgm:pt>'
        b"<dgm:t><a:p><a:r><a:t>Plan</a:t></a:r></a:p></dgm:t></dgm:pt><dgm:pt><dgm:t><a:p><a:r>"
        b"<a:t>Deliver</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>"
    )
    part = Part(
        PackURI("/word/diagrams/data1.xml"),
        "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml",
        data,
        document.part.package,
    )
    r_id = document.part.relate_to(part, RT.DIAGRAM_DATA)
    document.add_paragraph("A cycle:")._p.append(_drawing(f'<dgm:relIds r:dm="{r_id}"/>'))
    document.add_paragraph("Staff by year:")._p.append(_drawing('<c:chart r:id="rId99"/>'))
    document.add_paragraph("The budget:")._p.append(
        wf.parse_xml(
            f'<w:r {wf.nsdecls("w")} xmlns:o="urn:schemas-microsoft-com:office:office">'
            '<w:object><o:OLEObject ProgID="Excel.Sheet.12"/></w:object></w:r>'
        )
    )
    source = wf.save(document, tmp_path / "things.docx")
    result = run(str(source), str(tmp_path / "inputs"), "--question", "5", "--json")
    assert result.exit_code == 0, result.output
    said = json.loads(result.output)["questions"][0]["left_out"]
    assert said == [
        "a SmartArt diagram (paragraph 1): the pack cannot show it; its text is kept as paragraphs",
        "a chart (paragraph 2): the pack cannot show it; not imported",
        "an embedded object (Excel.Sheet.12) (paragraph 3): the pack cannot show it; not imported",
    ]
    (five,) = (tmp_path / "inputs" / "answers").glob("5-*.md")
    assert five.read_text() == "A cycle:\n\nPlan\n\nDeliver\n\nStaff by year:\n\nThe budget:\n"


def test_a_file_with_no_question_in_it_asks_for_one(tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("Our technicians run the workshops and the laboratories.")
    source = wf.save(document, tmp_path / "colleague.docx")
    result = run(str(source), str(tmp_path / "inputs"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source}: none of the form's questions found in it; to import the whole file "
        "as one answer, give --question N\n"
    )
    assert not (tmp_path / "inputs").exists()

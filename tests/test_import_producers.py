"""Word files as other programs save them (Google Docs, LibreOffice, Word for the web, pandoc,
mammoth's and docx2python's test documents hold these constructs), imported as one answer
with `--question 1`: never an internal error, and their text kept. Each test makes its file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import word_forms as wf
from pipeline.cli import cli

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
MC_NS = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'

CONSTRUCTS = {
    "alternate content": (
        f'<w:p><mc:AlternateContent {MC_NS}><mc:Choice Requires="w14"><w:r><w:t>Chosen</w:t></w:r>'
        "</mc:Choice><mc:Fallback><w:r><w:t>Fallback</w:t></w:r></mc:Fallback></mc:AlternateContent>"
        "<w:r><w:t> text</w:t></w:r></w:p>",
        "Chosen text",
    ),
    "smart tag": (
        '<w:p><w:smartTag w:uri="urn:x" w:element="place"><w:r><w:t>Kelderwick</w:t></w:r>'
        "</w:smartTag><w:r><w:t> campus</w:t></w:r></w:p>",
        "Kelderwick campus",
    ),
    "block content control": (
        "<w:sdt><w:sdtPr><w:alias w:val='Answer'/></w:sdtPr><w:sdtContent><w:p><w:r>"
        "<w:t>Inside a control</w:t></w:r></w:p></w:sdtContent></w:sdt>",
        "Inside a control",
    ),
    "run content control": (
        "<w:p><w:sdt><w:sdtContent><w:r><w:t>Typed into a field</w:t></w:r></w:sdtContent>"
        "</w:sdt></w:p>",
        "Typed into a field",
    ),
    "simple field": (
        '<w:p><w:r><w:t xml:space="preserve">Updated on </w:t></w:r><w:fldSimple '
        'w:instr=" DATE \\@ &quot;d MMMM yyyy&quot; "><w:r><w:t>3 May 2026</w:t></w:r>'
        "</w:fldSimple></w:p>",
        "Updated on 3 May 2026",
    ),
    "complex field": (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF _Ref1 '
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>'
        'Table 2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
        "Table 2",
    ),
    "hyperlink field": (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK '
        '"https://example.org/x" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
        '</w:r><w:r><w:t>our page</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
        "[our page](https://example.org/x)",
    ),
    "anchor hyperlink": (
        '<w:p><w:hyperlink w:anchor="_Toc1"><w:r><w:t>see above</w:t></w:r></w:hyperlink></w:p>',
        "see above",
    ),
    "bookmarks and proofing marks": (
        '<w:p><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:proofErr w:type="spellStart"/>'
        '<w:r><w:t>Bookmarked</w:t></w:r><w:proofErr w:type="spellEnd"/><w:bookmarkEnd w:id="0"/>'
        "</w:p>",
        "Bookmarked",
    ),
    "symbol": (
        '<w:p><w:r><w:t xml:space="preserve">Tick </w:t></w:r><w:r><w:sym w:font="Wingdings" '
        'w:char="F0FC"/></w:r></w:p>',
        "Tick",
    ),
    "tabs and breaks": (
        "<w:p><w:r><w:t>Left</w:t><w:tab/><w:t>right</w:t><w:br/><w:t>next line</w:t>"
        '<w:br w:type="page"/><w:t>after the page</w:t></w:r></w:p>',
        "next line",
    ),
    "paragraph ids and rsids": (
        f'<w:p {W14} w14:paraId="1A2B3C4D" w:rsidR="00AB12CD"><w:pPr><w:rPr><w:lang '
        'w:val="en-GB"/></w:rPr></w:pPr><w:r w:rsidRPr="00EF"><w:rPr><w:noProof/></w:rPr>'
        "<w:t>Word for the web</w:t></w:r></w:p>",
        "Word for the web",
    ),
    "custom xml": (
        '<w:customXml w:element="answer"><w:p><w:r><w:t>Custom wrapped</w:t></w:r></w:p>'
        "</w:customXml>",
        "Custom wrapped",
    ),
    "nested table": (
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Outer</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r>"
        "<w:t>Inner cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc><w:tc><w:p><w:r>"
        "<w:t>Beside</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        "Outer",
    ),
    "cell in a content control": (
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>First</w:t></w:r></w:p></w:tc><w:sdt><w:sdtContent>"
        "<w:tc><w:p><w:r><w:t>Controlled cell</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt>"
        "</w:tr></w:tbl>",
        "| First | Controlled cell |",
    ),
    "row in a content control": (
        "<w:tbl><w:sdt><w:sdtContent><w:tr><w:tc><w:p><w:r><w:t>Controlled row</w:t></w:r></w:p>"
        "</w:tc></w:tr></w:sdtContent></w:sdt></w:tbl>",
        "Controlled row",
    ),
    "nested table text": (
        "<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Deep inside</w:t></w:r></w:p></w:tc>"
        "</w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>",
        "Deep inside",
    ),
    "phonetic guide": (
        "<w:p><w:r><w:ruby><w:rubyPr><w:rubyAlign w:val='center'/></w:rubyPr><w:rt><w:r>"
        "<w:t>guide</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>Ruby base</w:t></w:r></w:rubyBase>"
        "</w:ruby></w:r><w:r><w:t xml:space='preserve'> text</w:t></w:r></w:p>",
        "Ruby base text",
    ),
    "alternate content around paragraphs": (
        f'<mc:AlternateContent {MC_NS}><mc:Choice Requires="w14"><w:p><w:r><w:t>Chosen block'
        "</w:t></w:r></w:p></mc:Choice><mc:Fallback><w:p><w:r><w:t>Fallback block</w:t></w:r>"
        "</w:p></mc:Fallback></mc:AlternateContent>",
        "Chosen block",
    ),
    "alternate content around a row": (
        f'<w:tbl><mc:AlternateContent {MC_NS}><mc:Choice Requires="w14"><w:tr><w:tc><w:p><w:r>'
        "<w:t>Chosen row</w:t></w:r></w:p></w:tc></w:tr></mc:Choice><mc:Fallback><w:tr><w:tc>"
        "<w:p><w:r><w:t>Fallback row</w:t></w:r></w:p></w:tc></w:tr></mc:Fallback>"
        "</mc:AlternateContent></w:tbl>",
        "Chosen row",
    ),
    "empty paragraphs and runs": (
        "<w:p/><w:p><w:r/></w:p><w:p><w:r><w:t>Only this</w:t></w:r></w:p>",
        "Only this",
    ),
}


def package(body: str, main: str = "word/document.xml") -> bytes:
    """A minimal package, as the thinnest producers write one: no styles, no settings."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/' + main + '" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            f'Target="/{main}"/></Relationships>',
        )
        archive.writestr(
            main,
            f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS} {R_NS}><w:body>{body}'
            "<w:sectPr/></w:body></w:document>",
        )
    return buffer.getvalue()


def imported(tmp_path: Path, data: bytes, name: str = "file.docx") -> str:
    source = tmp_path / name
    source.write_bytes(data)
    result = CliRunner().invoke(
        cli, ["import", str(source), str(tmp_path / "in"), "--question", "1"]
    )
    assert result.exit_code == 0, result.output
    (answer,) = (tmp_path / "in" / "answers").glob("1-*.md")
    return answer.read_text(encoding="utf-8")


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_each_construct_keeps_its_text(construct: str, tmp_path: Path) -> None:
    body, kept = CONSTRUCTS[construct]
    assert kept in imported(tmp_path, package(body))


def test_every_construct_in_one_file_with_the_main_part_named_otherwise(tmp_path: Path) -> None:
    """Word for the web and some converters name the main part word/document2.xml."""
    body = "".join(b for b, _ in CONSTRUCTS.values())
    text = imported(tmp_path, package(body, "word/document2.xml"))
    for _, kept in CONSTRUCTS.values():
        assert kept in text


def test_strict_open_xml(tmp_path: Path) -> None:
    """Word's "Strict Open XML Document": the same elements in other namespaces."""
    body = "".join(b for b, _ in CONSTRUCTS.values())
    data = package(body)
    strict = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(strict, "w") as target:
        for item in source.infolist():
            part = source.read(item).replace(
                b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                b"http://purl.oclc.org/ooxml/wordprocessingml/main",
            )
            target.writestr(item, part)
    text = imported(tmp_path, strict.getvalue())
    for _, kept in CONSTRUCTS.values():
        assert kept in text


def test_a_picture_described_over_lines_stays_one_paragraph(tmp_path: Path) -> None:
    document = wf.new()
    wf.add_picture(document, alt="A jellyfish\n\nDescription automatically generated")
    text = imported(tmp_path, wf.save(document, tmp_path / "p.docx").read_bytes())
    assert text == (
        "![A jellyfish Description automatically generated]"
        "(images/1-profile-of-the-organisation-1.png)\n"
    )


@pytest.mark.parametrize("suffix", [".docm", ".dotx"])
def test_macro_enabled_files_and_templates_are_read(suffix: str, tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("From a template")
    buffer = io.BytesIO()
    document.save(buffer)
    kind = {
        ".docm": "application/vnd.ms-word.document.macroEnabled.main+xml",
        ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    }[suffix]
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    kind.encode(),
                )
            target.writestr(item, data)
        if suffix == ".docm":
            target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0never run")
    assert "From a template" in imported(tmp_path, out.getvalue(), f"file{suffix}")


@pytest.mark.libreoffice
@pytest.mark.parametrize("suffix", [".doc", ".odt"])
def test_doc_and_odt_go_through_libreoffice(suffix: str, tmp_path: Path) -> None:
    import subprocess

    from pipeline.libreoffice.soffice import find_soffice

    document = wf.new()
    document.add_paragraph("Saved long ago")
    source = wf.save(document, tmp_path / "old.docx")
    profile = tmp_path / "profile"
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", suffix[1:], "--outdir", str(tmp_path / "saved"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    data = (tmp_path / "saved" / f"old{suffix}").read_bytes()
    assert "Saved long ago" in imported(tmp_path, data, f"old{suffix}")

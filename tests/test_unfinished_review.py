"""A final pack never carries an unfinished review: Word appendices with tracked changes or
comments and PDF appendices with reviewers' annotations are refused by name in a final build
and taken with a warning in a draft; Word files with comments convert in every mode."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Highlight, Link, Text
from pypdf.generic import ArrayObject, FloatObject

from helpers.packs import TODAY, write_pack
from helpers.pdf import pdf_text
from pipeline.cli import cli
from pipeline.inputs.check import check
from pipeline.word.revisions import copy_without_comments, counts

_STAMP = 'w:author="Reviewer One" w:date="2026-11-01T10:00:00Z"'


def tracked(paragraph: docx.text.paragraph.Paragraph, kind: str, text: str, ident: int) -> None:
    """A tracked insertion or deletion of `text` at the end of `paragraph`."""
    if kind == "ins":
        run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    else:
        run = f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'
    paragraph._p.append(
        parse_xml(f'<w:{kind} {nsdecls("w")} w:id="{ident}" {_STAMP}>{run}</w:{kind}>')
    )


def word_file(path: Path, insertions: int = 0, deletions: int = 0, comments: int = 0) -> Path:
    """A Word file with the given tracked changes and comments, made here."""
    document = docx.Document()
    document.add_heading("Terms of reference", level=1)
    for index in range(max(insertions, deletions, comments, 1)):
        paragraph = document.add_paragraph(f"The network meets in term {index + 1}. ")
        if index < insertions:
            tracked(paragraph, "ins", f"Added sentence {index + 1}.", 100 + index)
        if index < deletions:
            tracked(paragraph, "del", f"Removed sentence {index + 1}.", 200 + index)
        if index < comments:
            document.add_comment(
                paragraph.runs[0], text=f"Is term {index + 1} right?", author="Reviewer Two"
            )
    document.save(str(path))
    return path


def annotated_pdf(path: Path, notes: int = 0, highlights: int = 0) -> Path:
    """A two-page PDF with sticky notes, highlights and one link (which is not a review mark)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    for _ in range(notes):
        writer.add_annotation(0, Text(text="Check this", rect=(50, 550, 200, 650)))
    for _ in range(highlights):
        quad = ArrayObject([FloatObject(v) for v in (50, 700, 300, 700, 50, 680, 300, 680)])
        writer.add_annotation(1, Highlight(rect=(50, 680, 300, 700), quad_points=quad))
    writer.add_annotation(1, Link(rect=(50, 50, 200, 70), url="https://example.org/"))
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def messages(root: Path, draft: bool) -> list[str]:
    _, problems = check(root, TODAY, draft=draft)
    return [p.format(root) for p in problems if p.code == "appendix-review"]


def test_word_changes_and_comments_are_counted(tmp_path: Path) -> None:
    path = word_file(tmp_path / "x.docx", insertions=2, deletions=1, comments=2)
    found = counts(path)
    assert (found.changes, found.comments) == (3, 2)
    assert found.describe() == "3 tracked changes and 2 comments"
    assert not counts(word_file(tmp_path / "clean.docx"))


def test_a_final_build_refuses_an_unfinished_word_review(pack_dir: Path) -> None:
    word_file(pack_dir / "appendices" / "4-x.docx", insertions=2, deletions=1, comments=2)
    word_file(pack_dir / "appendices" / "5-notes.docx", comments=1)
    assert messages(pack_dir, draft=False) == [
        "appendices/4-x.docx: error: 3 tracked changes and 2 comments; accept or reject them "
        "in Word, or build with --draft",
        "appendices/5-notes.docx: error: 1 comment; delete it in Word, or build with --draft",
    ]
    assert check(pack_dir, TODAY)[0] is None  # an error: nothing is built


def test_a_draft_build_warns(pack_dir: Path) -> None:
    word_file(pack_dir / "appendices" / "4-x.docx", insertions=1, comments=2)
    assert messages(pack_dir, draft=True) == [
        "appendices/4-x.docx: warning: 1 tracked change and 2 comments: a draft build; the pack "
        "shows the tracked changes as marked-up text; the comments are left out of the pack"
    ]
    assert check(pack_dir, TODAY, draft=True)[0] is not None


def test_a_pdf_with_reviewers_annotations(pack_dir: Path) -> None:
    annotated_pdf(pack_dir / "appendices" / "3-minutes.pdf", notes=2, highlights=1)
    annotated_pdf(pack_dir / "appendices" / "4-links-only.pdf")
    assert messages(pack_dir, draft=False) == [
        "appendices/3-minutes.pdf: error: 2 sticky notes and 1 highlight; remove them in your "
        "PDF reader (or save a flattened copy), or build with --draft"
    ]
    assert messages(pack_dir, draft=True) == [
        "appendices/3-minutes.pdf: warning: 2 sticky notes and 1 highlight: a draft build; the "
        "pack shows them as they are"
    ]


def test_the_copy_converted_has_no_comments_and_all_the_text(tmp_path: Path) -> None:
    source = word_file(tmp_path / "x.docx", insertions=1, comments=2)
    before = source.read_bytes()
    copy = tmp_path / "copy.docx"
    assert copy_without_comments(source, copy) == 2
    assert source.read_bytes() == before  # the source is never touched
    assert (counts(copy).changes, counts(copy).comments) == (1, 0)
    with zipfile.ZipFile(copy) as archive:
        names = archive.namelist()
        assert not [n for n in names if "comments" in n]
        for name in ("[Content_Types].xml", "word/_rels/document.xml.rels"):
            assert b"comments" not in archive.read(name)
    assert [p.text for p in docx.Document(str(copy)).paragraphs] == [
        p.text for p in docx.Document(str(source)).paragraphs
    ]
    clean = word_file(tmp_path / "clean.docx")
    assert copy_without_comments(clean, tmp_path / "same.docx") == 0
    assert (tmp_path / "same.docx").read_bytes() == clean.read_bytes()


@pytest.mark.libreoffice
def test_final_refused_by_name_draft_built_with_comments(tmp_path: Path) -> None:
    inputs = write_pack(tmp_path / "inputs")
    word_file(inputs / "appendices" / "4-x.docx", insertions=2, deletions=1, comments=2)
    out = tmp_path / "build"
    args = ["assemble", str(inputs), "--out", str(out), "--date", "2026-11-22"]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1
    assert (
        f"{inputs / 'appendices' / '4-x.docx'}: error: 3 tracked changes and 2 comments; "
        "accept or reject them in Word, or build with --draft"
    ) in refused.stderr
    assert not out.exists() or not list(out.glob("*.pdf"))

    built = CliRunner().invoke(cli, [*args, "--draft"])
    assert built.exit_code == 0, built.output
    assert "4-x.docx: warning: 3 tracked changes and 2 comments: a draft build" in built.stderr
    assert "4-x.docx: its comments are left out of the pack" in built.stderr
    assert "stopped" not in built.stderr
    pack = Path(built.stdout.splitlines()[-1])
    text = pdf_text(pack)
    for words in ("The network meets in term 2.", "Added sentence 1.", "Removed sentence 1."):
        assert words in text  # tracked changes show as marked-up text in a draft
    assert "Is term 1 right?" not in text
    outline = [i.title for i in PdfReader(pack).outline if not isinstance(i, list)]
    assert outline[-1] == "Appendix B: X"


@pytest.mark.libreoffice
def test_a_document_uno_cannot_load_is_converted_cold(tmp_path: Path) -> None:
    from pipeline.libreoffice.jobs import Job
    from pipeline.libreoffice.pool import Converters

    source = word_file(tmp_path / "commented.docx", comments=2)  # as it is, comments and all
    notes: list[str] = []
    with Converters(note=notes.append) as converters:
        kind = converters.expected_kind()
        pages = converters.convert(Job(source, tmp_path / "commented.pdf"))
    assert pages == 1
    assert "The network meets in term 2." in pdf_text(tmp_path / "commented.pdf")
    if kind == "warm":  # LibreOffice 7.4 through UNO: dies on it, or will not load it
        assert any("converting it with soffice --convert-to instead" in n for n in notes), notes

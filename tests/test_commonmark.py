"""CommonMark's own examples, read as markdown-it-py reads them, shown in Word as a browser
shows the spec's HTML: lists that start at 0, items that open with a list (or hold nothing),
a picture's description as plain text, character references to line ends as white space, a
linked picture as a clickable picture; and what stays an error, at its file and line."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from docx.oxml.ns import qn

from helpers.packs import wide_png
from helpers.word import rendered
from pipeline.inputs.lint import lint_markdown
from pipeline.libreoffice.soffice import convert
from pipeline.word.blocks import Para, Reader
from pipeline.word.package import Lookups


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An answer's folder with a picture beside it."""
    (tmp_path / "x.png").write_bytes(wide_png(40, 20))
    return tmp_path


def shown(markdown: str, folder: Path) -> tuple[Any, list[tuple[object, ...]]]:
    """The document, and (kind, level, number shown, text) of each paragraph as Word shows it."""
    document, _ = rendered(markdown, source=folder / "answer.md")
    read = Reader(Lookups.of_document(document)).blocks(list(document.element.body))
    return document, [
        (b.list_kind or b.kind, b.level, b.number, b.text) for b, _ in read if isinstance(b, Para)
    ]


@pytest.mark.parametrize(
    ("markdown", "items"),
    [
        ("0. ok\n", [("ordered", 0, 0, "ok")]),  # spec 0.31 example 265: <ol start="0">
        ("0. ok\n1. two\n", [("ordered", 0, 0, "ok"), ("ordered", 0, 1, "two")]),
        ("003. ok\n", [("ordered", 0, 3, "ok")]),  # example 266
        ("- foo\n\n  0. bar\n", [("bullet", 0, None, "foo"), ("ordered", 1, 0, "bar")]),
        # an item that opens with a list (examples 298, 299): its own marker first
        ("- - foo\n", [("bullet", 0, None, ""), ("bullet", 1, None, "foo")]),
        (
            "1. - 2. foo\n",
            [("ordered", 0, 1, ""), ("bullet", 1, None, ""), ("ordered", 2, 2, "foo")],
        ),
        ("0. - x\n", [("ordered", 0, 0, ""), ("bullet", 1, None, "x")]),
        # empty items (examples 278-282)
        (
            "- foo\n-\n- bar\n",
            [("bullet", 0, None, "foo"), ("bullet", 0, None, ""), ("bullet", 0, None, "bar")],
        ),
        (
            "1. foo\n2.\n3. bar\n",
            [("ordered", 0, 1, "foo"), ("ordered", 0, 2, ""), ("ordered", 0, 3, "bar")],
        ),
        ("*\n", [("bullet", 0, None, "")]),
        (
            "-\n  foo\n-\n  ```\n  bar\n  ```\n",
            [("bullet", 0, None, "foo"), ("bullet", 0, None, "bar")],
        ),
        # an item that opens with a table: its marker, then the table
        ("- | a |\n  |---|\n  | b |\n", [("bullet", 0, None, "")]),
    ],
)
def test_lists_as_the_spec_shows_them(
    markdown: str, items: list[tuple[object, ...]], folder: Path
) -> None:
    _, found = shown(markdown, folder)
    assert found == items


@pytest.mark.parametrize(
    ("markdown", "alt"),
    [
        ("![foo *bar*](x.png)", "foo bar"),  # example 573
        ("![foo ![bar](x.png)](x.png)", "foo bar"),  # 574
        ("![foo [bar](/url)](x.png)", "foo bar"),  # 575
        ("![foo *bar*][]\n\n[foo *bar*]: x.png", "foo bar"),  # 576
        ("![**Staff** by `faculty`](x.png)", "Staff by faculty"),
        ("![a&#10;b &amp; c](x.png)", "a b & c"),
        ("![two\nlines](x.png)", "two lines"),
        ("![](x.png)", ""),
    ],
)
def test_a_pictures_description_is_plain_text(markdown: str, alt: str, folder: Path) -> None:
    document, _ = shown(markdown, folder)
    assert document.element.xpath("//wp:docPr/@descr") == [alt]


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("foo&#10;bar", "foo bar"),  # a newline by reference: white space, as HTML shows it
        ("foo&#xA;bar", "foo bar"),
        ("foo&#13;bar", "foo bar"),
        ("foo&#12;bar", "foo bar"),  # a form feed: not even a character XML may hold
        ("foo&#10;&#10;bar", "foo  bar"),  # example 40: never a paragraph break
        ("&#9;foo", "\tfoo"),  # a tab stays a tab
        ("&#0; &#35; &#1234;", "\ufffd # Ӓ"),  # example 26
        ("[a&#10;b](https://example.org/)", "a b"),
        ("# Heading&#10;text", "Heading text"),
        ("| a&#10;b |\n|---|\n| c&#13;d |", "a b|c d"),  # a table's cells
    ],
)
def test_a_reference_to_a_line_end_is_white_space(markdown: str, text: str, folder: Path) -> None:
    document, found = shown(markdown, folder)
    assert document.element.xpath("//w:br") == []
    if document.tables:
        assert "|".join(c.text for row in document.tables[0].rows for c in row.cells) == text
    else:
        assert [entry[3] for entry in found] == [text]


def _link_of(document: Any, element: Any) -> str:
    link = element.getparent()
    while link is not None and link.tag != qn("w:hyperlink"):
        link = link.getparent()
    assert link is not None, "the picture is not inside a link"
    return str(document.part.rels[link.get(qn("r:id"))].target_ref)


@pytest.mark.parametrize(
    "markdown",
    [
        "[![moon](x.png)](https://example.org/moon)",  # example 519
        "See [the chart ![moon](x.png) here](https://example.org/moon).",
        "# [![moon](x.png)](https://example.org/moon)",  # in a heading
        "| a |\n|---|\n| [![moon](x.png)](https://example.org/moon) |",  # in a table
    ],
)
def test_a_linked_picture_is_a_clickable_picture(markdown: str, folder: Path) -> None:
    document, _ = shown(markdown, folder)
    (drawing,) = document.element.xpath("//w:drawing")
    assert _link_of(document, drawing) == "https://example.org/moon"
    (click,) = drawing.xpath(".//wp:docPr/a:hlinkClick")
    assert str(document.part.rels[click.get(qn("r:id"))].target_ref) == ("https://example.org/moon")
    assert drawing.xpath(".//wp:docPr/@descr") == ["moon"]


@pytest.mark.parametrize(
    ("markdown", "code", "message"),
    [
        ("![chart](/srv/chart.png)", "image-path", "image '/srv/chart.png': use a path relative"),
        ("![chart](C:\\charts\\a.png)", "image-path", "use a path relative to this file"),
        ("![chart](https://example.org/a.png)", "image-path", "use a path relative"),
        ("[foo]()", "link-empty", "a link has no address"),
        ("[foo](<>)", "link-empty", "a link has no address"),
        ("[![moon](x.png)]()", "link-empty", "a link has no address"),
        ("# [foo]()", "link-empty", "a link has no address"),
    ],
)
def test_what_stays_an_error_at_its_line(
    markdown: str, code: str, message: str, folder: Path
) -> None:
    answer = folder / "answer.md"
    text = f"Text.\n\nMore text.\n\n{markdown}\n"
    found = [(p.line, p.level, p.code, p.message) for p in lint_markdown(answer, text)]
    assert [(line, level, kind) for line, level, kind, _ in found] == [(5, "error", code)]
    assert message in found[0][3]


@pytest.mark.libreoffice
def test_libreoffice_shows_them(folder: Path, tmp_path: Path) -> None:
    """The real LibreOffice: a list counted from 0, the item that opens with a list, a line
    end by reference on one line, and the linked picture a link over the picture itself."""
    markdown = (
        "0. zero\n1. one\n\n"
        "Before&#10;after.\n\n"
        "- - nested\n\n"
        "[![moon](x.png)](https://example.org/moon)\n"
    )
    document, _ = rendered(markdown, source=folder / "answer.md")
    source = tmp_path / "commonmark.docx"
    document.save(str(source))
    (pdf,) = convert([(source, tmp_path / "commonmark.pdf")])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines[:5] == ["0. zero", "1. one", "Before after.", "•", "◦ nested"]
    with pikepdf.open(pdf) as read:
        page = read.pages[0]
        links = [a for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert [str(a.A.URI) for a in links] == ["https://example.org/moon"]
        x0, y0, x1, y1 = (float(v) for v in links[0].Rect)
        assert x1 - x0 > 5  # over the picture, not a sliver of text
        assert y1 - y0 > 5

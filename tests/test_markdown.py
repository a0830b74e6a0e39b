"""Markdown to Word: structure checked through python-docx, as a reviewer's Word would see it."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from helpers.packs import wide_png
from helpers.word import rendered, to_document
from pipeline.errors import TemplateError
from pipeline.markdown.renderer import render_markdown
from pipeline.markdown.syntax import MarkdownError, count_words
from pipeline.word.context import DocumentContext

NASTY = 'Tom & Jerry <select> {{ 7*7 }} {% if x %} ]]> "quotes" ‘curly’ café 日本 🙂'


def num(paragraph) -> tuple[int, int] | None:
    numpr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if numpr is None:
        return None
    return int(numpr.numId.val), int(numpr.ilvl.val)


def test_paragraphs_and_emphasis() -> None:
    document = to_document("Plain **bold** *italic* ~~gone~~ `code`\nsoft break")
    (paragraph,) = document.paragraphs
    assert paragraph.style.name == "Body Text"
    runs = {run.text: run for run in paragraph.runs}
    assert runs["bold"].bold
    assert runs["italic"].italic
    assert runs["gone"].font.strike
    assert runs["code"].style.name == "Code Char"
    assert paragraph.text == "Plain bold italic gone code soft break"


def test_every_character_survives() -> None:
    document = to_document(NASTY)
    assert document.paragraphs[0].text == NASTY


def test_links_are_real_hyperlinks() -> None:
    document = to_document("See [our page](https://www.example.ac.uk/tc?a=1&b=2) now.")
    paragraph = document.paragraphs[0]
    (link,) = paragraph._p.findall(qn("w:hyperlink"))
    target = document.part.rels[link.get(qn("r:id"))].target_ref
    assert target == "https://www.example.ac.uk/tc?a=1&b=2"
    assert paragraph.text == "See our page now."


def test_bullets_and_numbers_are_word_lists() -> None:
    document = to_document("- a\n- b\n  1. b1\n  2. b2\n     - deep\n- c\n\n3. three\n4. four\n")
    items = [(p.text, num(p)) for p in document.paragraphs]
    texts = [t for t, _ in items]
    assert texts == ["a", "b", "b1", "b2", "deep", "c", "three", "four"]
    levels = [n[1] for _, n in items]
    assert levels == [0, 0, 1, 1, 2, 0, 0, 0]
    bullets, nested, deep, ordered = items[0][1][0], items[2][1][0], items[4][1][0], items[6][1][0]
    assert len({bullets, nested, deep, ordered}) == 4  # each list its own numbering instance
    numbering = document.part.numbering_part.element
    start = numbering.xpath(f'//w:num[@w:numId="{ordered}"]//w:startOverride/@w:val')
    assert start == ["3"]


def test_a_new_list_restarts() -> None:
    document = to_document("1. one\n2. two\n\nText.\n\n1. again\n")
    first, second = num(document.paragraphs[0])[0], num(document.paragraphs[3])[0]
    assert first != second
    numbering = document.part.numbering_part.element
    assert numbering.xpath(f'//w:num[@w:numId="{second}"]//w:startOverride/@w:val') == ["1"]


def test_headings_sit_below_the_question() -> None:
    document = to_document("# Top\n\n## Second\n")
    assert [p.style.name for p in document.paragraphs] == ["Heading 2", "Heading 3"]


def test_tables() -> None:
    document = to_document("| Faculty | Staff |\n|:--|--:|\n| Arts & *Design* | 12 |\n")
    (table,) = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Faculty", "Staff"],
        ["Arts & Design", "12"],
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.cell(1, 1).paragraphs[0].alignment == 2  # right


def test_quotes_code_and_rules() -> None:
    document = to_document("> quoted\n\n```\n  keep  spaces\nline two\n```\n\n---\n")
    styles = [p.style.name for p in document.paragraphs]
    assert styles == ["Quote", "Code", "Body Text"]
    assert document.paragraphs[1].text == "  keep  spaces\nline two"


def test_raw_html_stays_text() -> None:
    document = to_document("<b>not bold</b>")
    assert document.paragraphs[0].text == "<b>not bold</b>"


def test_missing_image_names_file_and_line() -> None:
    with pytest.raises(MarkdownError, match=r"^answer\.md:3: image 'chart\.png' not found$"):
        to_document("Text\n\nA picture ![chart](chart.png)\n")


@pytest.mark.parametrize(
    "src", ["https://example.org/a.png", "/etc/passwd", "data:image/png;base64,AAAA"]
)
def test_images_come_only_from_beside_the_answer(src: str) -> None:
    with pytest.raises(MarkdownError, match="use a path relative to this file"):
        to_document(f"![x]({src})")


def test_images_are_scaled_to_the_page_with_alt_text(tmp_path: Path) -> None:
    png = tmp_path / "chart.png"
    png.write_bytes(wide_png(4000, 1000))
    (tmp_path / "not.png").write_text("text")
    document = to_document("![Staff by faculty](chart.png)", source=tmp_path / "answer.md")
    (shape,) = document.inline_shapes
    assert shape.width == Cm(16.6)
    assert abs(shape.height - Cm(16.6) / 4) < Cm(0.01)
    assert document.element.xpath("//wp:docPr/@descr") == ["Staff by faculty"]
    with pytest.raises(MarkdownError, match=r"'not\.png' is not a PNG, JPEG"):
        to_document("![x](not.png)", source=tmp_path / "answer.md")


def test_footnotes_are_word_footnotes() -> None:
    document, doc = rendered(
        "Claim[^a] and more[^b].\n\n[^a]: The **source**.\n[^b]: Another {{ 7*7 }}.\n"
    )
    refs = document.element.xpath("//w:footnoteReference/@w:id")
    assert refs == ["1", "2"]
    pending = doc.footnotes.pending
    assert [(n, "".join(p.xpath("string(.)") for p in ps)) for n, ps in pending] == [
        (1, "The source."),
        (2, "Another {{ 7*7 }}."),
    ]


def test_bare_urls_become_links() -> None:
    document = to_document("See https://www.example.ac.uk/tc and <mailto:a@b.example>.")
    links = document.paragraphs[0]._p.findall(qn("w:hyperlink"))
    targets = [document.part.rels[h.get(qn("r:id"))].target_ref for h in links]
    assert targets == ["https://www.example.ac.uk/tc", "mailto:a@b.example"]


def test_missing_style_is_a_template_error() -> None:
    document = docx.Document()  # python-docx's own template lacks our styles
    with pytest.raises(TemplateError, match="'Code'"):
        render_markdown("```\nx\n```\n", DocumentContext(document.part), Path("a.md"))


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        ("One two three", 3),
        ("**One** [two](https://x.example) `three`", 3),
        ("- one\n- two\n\n| a | b |\n|---|---|\n| c | d |", 6),
        ("# Heading\n\nword", 2),
    ],
)
def test_words_are_counted_as_a_reader_sees_them(markdown: str, words: int) -> None:
    assert count_words(markdown) == words


@pytest.mark.parametrize(
    "text",
    [
        "Publish a directory of technicians",
        "Profiles for all 34 teams, reviewed each year; 80% complete (2027/2028)",
        "Café – “quoted” – Estates and Facilities",
    ],
)
def test_plain_text_is_recognised_as_plain(text: str) -> None:
    from pipeline.markdown.syntax import has_markup

    document = to_document(text)
    assert not has_markup(text)
    assert [p.text for p in document.paragraphs] == [text]  # the fast path changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "**bold**",
        "a_b_",
        "see https://x.example",
        "www.x.example",
        "1. first",
        "- item",
        "> quote",
        "R&amp;D",
        "a <b>",
        "x\n\ny",
        "`code`",
        "[link](u)",
        "# heading",
        "    code",
        "a | b",
    ],
)
def test_markup_is_recognised(text: str) -> None:
    from pipeline.markdown.syntax import has_markup

    assert has_markup(text)

"""Reading annotations and the words under them, without LibreOffice: fonts as producers write
them (simple fonts with `/Widths`, composite fonts with `/W` and two-byte codes, `/ToUnicode`
maps), kerning, forms, page furniture; dates as viewers write them; threads and groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from pipeline.annotations.fonts import parse_to_unicode
from pipeline.annotations.glyphs import page_glyphs
from pipeline.annotations.quote import caret, flow, under
from pipeline.annotations.read import iso_date, plain, read_marks
from pipeline.cli import cli

N = NameObject
SIZE = 12.0
"""The font size of the test pages; every glyph 600/1000 of it wide (a monospaced font)."""
STEP = SIZE * 0.6


def _stream(writer: PdfWriter, data: bytes, **entries: object) -> object:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[N(key)] = value  # type: ignore[assignment]
    return writer._add_object(stream)


def _fonts(writer: PdfWriter) -> DictionaryObject:
    simple = DictionaryObject({
        N("/Type"): N("/Font"), N("/Subtype"): N("/TrueType"), N("/BaseFont"): N("/Mono"),
        N("/FirstChar"): NumberObject(32),
        N("/Widths"): ArrayObject([NumberObject(600)] * 95),
    })  # fmt: skip
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"2 beginbfchar <0003> <0020> <0010> <00660069> endbfchar\n"
        b"1 beginbfrange <0020> <0039> <0061> endbfrange\n"
        b"1 beginbfrange <0040> <0041> [<00C9> <D83DDE00>] endbfrange\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    composite = DictionaryObject({
        N("/Type"): N("/Font"), N("/Subtype"): N("/Type0"), N("/BaseFont"): N("/Word"),
        N("/Encoding"): N("/Identity-H"), N("/ToUnicode"): _stream(writer, cmap),
        N("/DescendantFonts"): ArrayObject([writer._add_object(DictionaryObject({
            N("/Type"): N("/Font"), N("/Subtype"): N("/CIDFontType2"), N("/DW"): NumberObject(1000),
            N("/W"): ArrayObject([NumberObject(3), NumberObject(60), NumberObject(600),
                                  NumberObject(16), ArrayObject([NumberObject(600)])]),
        }))]),
    })  # fmt: skip
    return DictionaryObject(
        {N("/F1"): writer._add_object(simple), N("/F2"): writer._add_object(composite)}
    )


def make_page(
    path: Path, content: bytes, annotations: list[dict[str, object]] | None = None
) -> Path:
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    form = _stream(writer, b"BT /F1 12 Tf 72 500 Td (in a form) Tj ET", **{
        "/Type": N("/XObject"), "/Subtype": N("/Form"), "/BBox": ArrayObject([NumberObject(0)] * 2 + [NumberObject(595), NumberObject(842)]),
        "/Resources": DictionaryObject({N("/Font"): _fonts(writer)}),
    })  # fmt: skip
    page[N("/Resources")] = DictionaryObject(
        {N("/Font"): _fonts(writer), N("/XObject"): DictionaryObject({N("/Fm1"): form})}
    )
    page[N("/Contents")] = _stream(writer, content)
    refs = []
    for entries in annotations or []:
        annotation = DictionaryObject({N("/Type"): N("/Annot")})
        for key, value in entries.items():
            if not isinstance(value, int):  # an int: the index of the annotation it refers to
                annotation[N(key)] = value  # type: ignore[assignment]
        refs.append(writer._add_object(annotation))
    for ref, entries in zip(refs, annotations or [], strict=True):
        for key, value in entries.items():
            if isinstance(value, int):
                ref.get_object()[N(key)] = refs[value]
    if refs:
        page[N("/Annots")] = ArrayObject(refs)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


LINE = b"BT /F1 12 Tf 72 700 Td (alpha beta gamma) Tj ET"


def box(first: int, count: int, baseline: float = 700, x: float = 72) -> ArrayObject:
    """The box of `count` characters from the `first`, on a line of the monospaced font."""
    x0 = x + first * STEP
    return ArrayObject(
        [FloatObject(v) for v in (x0, baseline - 3, x0 + count * STEP, baseline + 10)]
    )


def quads(rect: ArrayObject) -> ArrayObject:
    x0, y0, x1, y1 = (float(v) for v in rect)
    return ArrayObject([FloatObject(v) for v in (x0, y1, x1, y1, x0, y0, x1, y0)])


def words_under(path: Path, rect: ArrayObject) -> str | None:
    reader = PdfReader(path)
    page = flow(page_glyphs(reader, reader.pages[0]))
    span = under(page, [tuple(float(v) for v in rect)])  # type: ignore[list-item]
    return page.words(*span) if span else None


@pytest.mark.parametrize(
    ("content", "rect", "words"),
    [
        (LINE, box(6, 4), "beta"),
        (LINE, box(5, 6), "beta"),  # a highlight a little wider than the word: the spaces go
        (LINE, box(6, 10), "beta gamma"),
        # kerning in TJ moves what follows (-1000 is one em: 12 points at 12 points)
        (b"BT /F1 12 Tf 72 700 Td [(alpha) -1000 (beta)] TJ ET", box(5, 4, x=72 + 12), "beta"),
        # the text matrix scales and moves, a `cm` moves everything
        (b"q 1 0 0 1 100 0 cm BT /F1 1 Tf 12 0 0 12 72 700 Tm (alpha beta) Tj ET Q", box(6, 4, x=172), "beta"),
        # a composite font: two bytes a code, widths from /W, text from /ToUnicode ranges
        (b"BT /F2 12 Tf 72 700 Td <0020002100030010> Tj ET", box(0, 4), "ab fi"),
        (b"BT /F2 12 Tf 72 700 Td <00400041> Tj ET", box(0, 4), "\u00c9\U0001f600"),  # 1000 wide
        # page furniture (a running header) is left out; a form's text is read
        (b"/Artifact BMC BT /F1 12 Tf 72 700 Td (Page 1 of 9) Tj ET EMC", box(0, 11), None),
        (b"q /Fm1 Do Q", box(0, 9, baseline=500), "in a form"),
        # two lines: a highlight over the end of one and the start of the next
        (b"BT /F1 12 Tf 14 TL 72 700 Td (first line) Tj T* (second line) Tj ET", box(6, 4), "line"),
    ],
)  # fmt: skip
def test_the_words_under_a_box(
    tmp_path: Path, content: bytes, rect: ArrayObject, words: str | None
) -> None:
    assert words_under(make_page(tmp_path / "page.pdf", content), rect) == words


def test_a_caret_points_between_two_words(tmp_path: Path) -> None:
    path = make_page(tmp_path / "page.pdf", LINE)
    reader = PdfReader(path)
    page = flow(page_glyphs(reader, reader.pages[0]))
    x = 72 + 5 * STEP  # the end of "alpha"
    at = caret(page, (x - 4, 695, x + 4, 705))
    assert at is not None
    assert (page.text[:at], page.text[at:]) == ("alpha", " beta gamma")


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("D:20240625182216-07'00'", "2024-06-25T18:22:16-07:00"),  # Acrobat
        ("D:20211117212539Z00'00'", "2021-11-17T21:25:39Z"),  # Preview
        ("D:20261201110000", "2026-12-01T11:00:00"),  # pdf.js
        ("D:2026", "2026-01-01T00:00:00"),
        ("yesterday", ""),
    ],
)
def test_dates_as_viewers_write_them(written: str, iso: str) -> None:
    assert iso_date(written) == iso


def test_rich_text_and_unicode_maps() -> None:
    assert (
        plain(
            '<?xml version="1.0"?><body xmlns="http://www.w3.org/1999/xhtml"><p>One <b>two</b></p><p>Three</p></body>'
        )
        == "One two\nThree"
    )
    assert plain("<body><p>not closed") == "not closed"
    nested = "<body><p><span>a<b>b</b>c</span>d</p><div><p>e</p></div></body>"
    assert plain(nested) == "abcd\ne"
    mapped = parse_to_unicode(
        b"2 beginbfchar <01> <0041> <02> <D83DDE00> endbfchar 1 beginbfrange <10> <12> <0061> endbfrange"
    )
    assert mapped == {1: "A", 2: "\U0001f600", 16: "a", 17: "b", 18: "c"}


def _annotation(subtype: str, rect: ArrayObject, **extra: object) -> dict[str, object]:
    return {"/Subtype": N(subtype), "/Rect": rect, **extra}


def test_threads_groups_and_what_is_not_a_reviewers(tmp_path: Path) -> None:
    s = TextStringObject
    path = make_page(tmp_path / "page.pdf", LINE, [
        _annotation("/Caret", box(10, 1), **{"/Contents": s("delta"), "/T": s("Ann")}),
        _annotation("/StrikeOut", box(6, 4), **{"/QuadPoints": quads(box(6, 4)), "/IRT": 0, "/RT": N("/Group")}),
        _annotation("/Text", box(0, 1), **{"/Contents": s("Why?"), "/IRT": 0, "/T": s("Bo")}),
        _annotation("/Text", box(0, 1), **{"/Contents": s("Because."), "/IRT": 2, "/T": s("Ann")}),
        _annotation("/Text", box(0, 1), **{"/RC": s('<body xmlns="http://www.w3.org/1999/xhtml"><p>Rich only</p></body>'), "/IRT": 0}),
        _annotation("/Popup", box(0, 1), **{"/Parent": 0}),
        _annotation("/Link", box(0, 5)),
        _annotation("/Widget", box(0, 5), **{"/FT": N("/Tx")}),
        _annotation("/Ink", box(0, 5), **{"/IT": N("/InkHighlight"), "/InkList": ArrayObject()}),
    ])  # fmt: skip
    marks = read_marks(PdfReader(path))
    assert [m.kind for m in marks] == ["insertion", "free-hand highlight"]
    replacement = marks[0]
    assert [m.kind for m in replacement.group] == ["strike-out"]
    assert [(m.author, m.text) for m in replacement.replies] == [
        ("Bo", "Why?"),
        ("Ann", "Because."),
        ("", "Rich only"),
    ]


def test_a_pdf_pack_did_not_make_is_listed_by_page(tmp_path: Path) -> None:
    path = make_page(tmp_path / "page.pdf", LINE, [
        _annotation("/Highlight", box(6, 4), **{"/QuadPoints": quads(box(6, 4)), "/Contents": TextStringObject("Why beta?")}),
    ])  # fmt: skip
    result = CliRunner().invoke(cli, ["review", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert (
        result.stderr
        == f"{path}: not a pack made by pack (it has no build record): annotations are listed by page\n"
    )
    [item] = json.loads(result.stdout)
    assert (item["where"], item["anchor"], item["text"], item["kind"]) == (
        "Page 1",
        "beta",
        "Why beta?",
        "comment",
    )

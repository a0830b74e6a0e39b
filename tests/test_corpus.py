"""The Markdown corpus: each construct's Word structure as a readable snapshot, and its words
in the DOCX and the PDF in the author's order, none lost, none added.

Each case's words are written out in `<case>.txt` beside it. A changed snapshot shows as a YAML
diff under tests/test_corpus/; accept one deliberately with
`pytest tests/test_corpus.py --force-regen` and read the diff.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn

from helpers.pdf import in_order, pdf_text, tokens
from helpers.word import CASES, element_text, rendered
from pipeline.libreoffice.soffice import convert
from pipeline.markdown.syntax import plain_text
from pipeline.word.context import DocumentContext


def structure(document: Any, doc: DocumentContext) -> dict[str, Any]:
    """What a reader of the DOCX meets, in order, with numbering ids renumbered from 1."""
    numbers: dict[str, int] = {}
    blocks: list[Any] = []
    rels = document.part.rels
    for element in document.element.body:
        if element.tag == qn("w:p"):
            style = element.xpath("string(w:pPr/w:pStyle/@w:val)")
            num = element.xpath("string(w:pPr/w:numPr/w:numId/@w:val)")
            block: dict[str, Any] = {"style": str(style), "text": element_text(element)}
            if num:
                block["list"] = [
                    numbers.setdefault(num, len(numbers) + 1),
                    int(element.xpath("string(w:pPr/w:numPr/w:ilvl/@w:val)")),
                ]
                fmt = document.part.numbering_part.element.xpath(
                    f'//w:abstractNum[@w:abstractNumId=//w:num[@w:numId="{num}"]/w:abstractNumId/@w:val]/w:lvl[@w:ilvl="{block["list"][1]}"]/w:numFmt/@w:val'
                )
                start = document.part.numbering_part.element.xpath(
                    f'//w:num[@w:numId="{num}"]//w:startOverride/@w:val'
                )
                block["format"] = str(fmt[0]) if fmt else None
                if start:
                    block["start"] = int(start[0])
            if element.xpath("w:pPr/w:spacing/@w:after"):
                block["spaced"] = True  # a loose list's item
            links = [rels[h.get(qn("r:id"))].target_ref for h in element.findall(qn("w:hyperlink"))]
            if links:
                block["links"] = links
            marks = sorted(
                {
                    m
                    for r in element.findall(qn("w:r"))
                    for m in ("b", "i", "strike")
                    if r.find(f"{qn('w:rPr')}/{qn('w:' + m)}") is not None
                }
            )
            if marks:
                block["marks"] = marks
            notes = element.xpath(".//w:footnoteReference/@w:id")
            if notes:
                block["footnotes"] = [int(n) for n in notes]
            pictures = element.xpath(".//wp:docPr/@descr")
            if pictures:
                block["pictures"] = [str(p) for p in pictures]
            blocks.append(block)
        elif element.tag == qn("w:tbl"):
            rows = [
                [element_text(cell) for cell in row.findall(qn("w:tc"))]
                for row in element.findall(qn("w:tr"))
            ]
            blocks.append(
                {"table": rows, "header_repeats": bool(element.xpath("w:tr[1]/w:trPr/w:tblHeader"))}
            )
    footnotes = [(n, "".join(element_text(p) for p in ps)) for n, ps in doc.footnotes.pending]
    return {"blocks": blocks, "footnotes": [{"id": n, "text": t} for n, t in footnotes]}


def expected(case: Path) -> str:
    """The words a reader of the case sees, written out in `<case>.txt` beside it."""
    return case.with_suffix(".txt").read_text(encoding="utf-8")


def words(text: str) -> list[str]:
    """Words between spaces; pdftotext's bidirectional embedding marks dropped."""
    return re.findall(r"\S+", re.sub("[\u202a-\u202e\u2066-\u2069]", "", text))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_structure(case: Path, data_regression: Any) -> None:
    document, doc = rendered(case.read_text(encoding="utf-8"), source=case)
    data_regression.check(structure(document, doc), basename=case.stem)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_docx_keeps_every_word_in_order(case: Path) -> None:
    markdown = case.read_text(encoding="utf-8")
    shown = structure(*rendered(markdown, source=case))
    text = []
    for block in shown["blocks"]:
        text += [block["text"]] if "text" in block else [c for row in block["table"] for c in row]
    text += [note["text"] for note in shown["footnotes"]]
    assert words(" ".join(text)) == words(expected(case))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_plain_text_is_the_words_a_reader_sees(case: Path) -> None:
    """What word limits count: the same words, written out beside each case."""
    assert words(plain_text(case.read_text(encoding="utf-8"))) == words(expected(case))


@pytest.mark.libreoffice
def test_pdf_keeps_every_word_in_order(tmp_path: Path) -> None:
    jobs = []
    for case in CASES:
        document, doc = rendered(case.read_text(encoding="utf-8"), source=case)
        doc.attach_footnotes()
        path = tmp_path / f"{case.stem}.docx"
        document.save(str(path))
        jobs.append((path, tmp_path / f"{case.stem}.pdf"))
    convert(jobs)  # the whole corpus in one LibreOffice run
    for case, (_, pdf) in zip(CASES, jobs, strict=True):
        text = pdf_text(pdf)
        # compared token by token (a footnote's number sits between a word and its full stop)
        missing = in_order(tokens(expected(case)), tokens(text))
        assert missing is None, f"{case.name}: {missing!r} is missing or out of order in the PDF"

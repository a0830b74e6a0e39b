"""The corpus against pandoc's DOCX, where pandoc is installed: the same words in the same
order, except where we differ on purpose (each difference listed here and in the README)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from helpers.pdf import tokens
from helpers.word import CASES, CORPUS, element_text, rendered


@pytest.fixture(autouse=True)
def pandoc() -> None:
    """pandoc, where it is installed: a skip without it locally, a failure under CI=true (CI
    installs it, so that these comparisons run)."""
    if shutil.which("pandoc") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but pandoc is not installed (apt-get install pandoc)")
        pytest.skip("pandoc is not installed")


# Deliberate differences in the words: case -> the tokens only we show
DIFFERENCES = {
    # pandoc drops raw HTML from a DOCX without a word; we keep it as text and `pack check` warns.
    "html": [
        "<",
        "b",
        ">",
        "<",
        "/",
        "b",
        ">",
        "<",
        "script",
        ">",
        "<",
        "/",
        "script",
        ">",
        "<",
        "div",
        ">",
        "A",
        "block",
        "of",
        "HTML",
        "<",
        "/",
        "div",
        ">",
    ],
}


def body_tokens(document: docx.document.Document, footnotes: list[str]) -> list[str]:
    text = [
        element_text(element)
        for element in document.element.body
        if element.tag in (qn("w:p"), qn("w:tbl"))
    ]
    return tokens(" ".join(text + footnotes))


def pandoc_docx(case: Path, target: Path) -> docx.document.Document:
    subprocess.run(
        [
            "pandoc",
            "-f",
            "gfm+footnotes",
            "-t",
            "docx",
            f"--resource-path={CORPUS}",
            str(case),
            "-o",
            str(target),
        ],
        check=True,
        capture_output=True,
    )
    return docx.Document(str(target))


def pandoc_footnotes(path: Path) -> list[str]:
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        if "word/footnotes.xml" not in archive.namelist():
            return []
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    notes = [n for n in root.findall(qn("w:footnote")) if int(n.get(qn("w:id"))) > 0]
    return [element_text(n) for n in notes]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_same_words_as_pandoc(case: Path, tmp_path: Path) -> None:
    ours, doc = rendered(case.read_text(encoding="utf-8"), source=case)
    our_notes = ["".join(element_text(p) for p in ps) for _, ps in doc.footnotes.pending]
    theirs_path = tmp_path / "pandoc.docx"
    theirs = pandoc_docx(case, theirs_path)
    mine, pandocs = body_tokens(ours, our_notes), body_tokens(theirs, pandoc_footnotes(theirs_path))
    only_ours = DIFFERENCES.get(case.stem, [])
    if only_ours:
        assert pandocs != mine  # the difference is real, not a stale entry
    assert pandocs == [t for t in mine if t not in set(only_ours)]

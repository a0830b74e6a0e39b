"""Markdown rendered into a copy of the real template, and Word XML read as a reader sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from pipeline.form import TEMPLATES
from pipeline.markdown.renderer import render_markdown
from pipeline.word.context import DocumentContext

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"
"""The Markdown corpus: one small file per construct."""
CASES = sorted(CORPUS.glob("*.md"))


def rendered(
    markdown: str, base_level: int = 1, source: Path = Path("answer.md")
) -> tuple[docx.document.Document, DocumentContext]:
    """The Markdown rendered into a copy of the real template's styles, and the document's
    context (its footnotes wait there, not yet attached)."""
    document = docx.Document(str(TEMPLATES / "self-assessment.docx"))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    doc = DocumentContext(document.part)
    content = render_markdown(markdown, doc, source, base_level)
    for child in list(content.body):
        body.insert(len(body) - 1, child)
    return document, doc


def to_document(
    markdown: str, base_level: int = 1, source: Path = Path("answer.md")
) -> docx.document.Document:
    """The Markdown rendered into a copy of the real template's styles."""
    return rendered(markdown, base_level, source)[0]


def element_text(element: Any) -> str:
    """The text a reader sees: w:t, with breaks and tabs as white space."""
    parts = []
    for node in element.iter(qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:cr")):
        parts.append(
            node.text or "" if node.tag == qn("w:t") else "\t" if node.tag == qn("w:tab") else "\n"
        )
    return "".join(parts)

"""What a reviewed answer is compared with: the answer as the draft was made from it.

`Rereader` renders Markdown answers as the draft renders them and reads them back as blocks,
each with the source lines it came from; `Drafted` is one answer so read: its text and lines,
its blocks and their lines, its footnotes by their text and its pictures by their description.
Pictures become placeholders carrying their description, so an answer can be read back without
its image files (a reviewed file may be read far from the inputs it was made from).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from pipeline.markdown.renderer import WordRenderer
from pipeline.markdown.syntax import alt_text, parser
from pipeline.review.to_markdown import shows_something
from pipeline.word.blocks import Block, Reader
from pipeline.word.context import DocumentContext, WordContent
from pipeline.word.package import Lookups

if TYPE_CHECKING:
    from markdown_it.token import Token

Lines = tuple[int, int]


class _Placeholders(WordRenderer):
    """The answer renderer, with a described placeholder for each picture."""

    def image(self, tokens: list[Token], i: int) -> int:
        run = self.picture_run()
        run._r.append(
            parse_xml(
                f'<w:drawing {nsdecls("w", "wp")}><wp:inline><wp:docPr id="1" name="picture"/>'
                "</wp:inline></w:drawing>"
            )
        )
        self.describe(run, alt_text(tokens[i]))
        return i + 1


class Rereader:
    """Renders answers into one scratch copy of a form's template and reads them back."""

    def __init__(self, template: Path) -> None:
        self.document: Any = docx.Document(str(template))  # python-docx wants a str path
        self.styles = Lookups.of_document(self.document).styles
        self.doc = DocumentContext(self.document.part)

    def blocks(self, text: str, source: Path) -> list[tuple[Block, Lines | None]]:
        """The blocks `text` renders to, each with its source lines (0-based, end excluded)."""
        renderer = _Placeholders(WordContent(self.doc), source)
        content = renderer.render(text)
        self.doc.attach_footnotes()
        lookups = Lookups.of_document(self.document, self.styles)  # with the new links and notes
        read = Reader(lookups).blocks(list(content.body))
        return [(block, renderer.origins.get(top)) for block, top in read]


@dataclass
class Drafted:
    """The answer as the draft was made from it: text, its rendered blocks, and their lines."""

    text: str
    lines: list[str]
    blocks: list[Block]
    spans: list[Lines]
    notes: dict[str, str]
    """Footnote text -> its label."""
    pictures: dict[str, str]
    """Picture description -> its path."""
    definitions: list[str]
    """Footnote and link definitions: the source's lines outside every block, in groups."""


def drafted(rereader: Rereader, text: str, source: Path) -> Drafted:
    read = [(b, lines) for b, lines in rereader.blocks(text, source) if shows_something(b)]
    notes: dict[str, str] = {}
    pictures: dict[str, str] = {}
    label = None
    for token in parser().parse(text, {}):
        if token.type == "footnote_open":
            label = token.meta["label"]
        elif token.type == "footnote_close":
            label = None
        for child in token.children or []:
            if child.type == "image":
                pictures.setdefault(alt_text(child), str(child.attrGet("src") or ""))
        if label is not None and token.type == "inline":
            plain = "".join(
                c.content if c.type in ("text", "code_inline") else " " if "break" in c.type else ""
                for c in token.children or []
            )
            notes.setdefault(" ".join(plain.split()), label)
    lines = text.splitlines(keepends=True)
    spans = [span or (0, 0) for _, span in read]
    inside = {n for start, end in spans for n in range(start, end)}
    outside = "".join(line if n not in inside else "\n" for n, line in enumerate(lines))
    return Drafted(
        text,
        lines,
        [b for b, _ in read],
        spans,
        notes,
        pictures,
        [group.strip("\n") + "\n" for group in re.split(r"\n\s*\n", outside) if group.strip()],
    )

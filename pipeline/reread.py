"""Markdown answers rendered as the draft renders them, then read back as blocks, each with the
source lines it came from: what a reviewed document is compared with.

Pictures become placeholders carrying their description, so an answer can be read back without
its image files (a reviewed file may be read far from the inputs it was made from).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from pipeline.docx_read import Lookups
from pipeline.footnotes import attach_footnotes
from pipeline.markdown import WordContent, WordRenderer
from pipeline.wordview import Block, Reader

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph
    from markdown_it.token import Token

Lines = tuple[int, int]


class _Placeholders(WordRenderer):
    """The answer renderer, with a described placeholder for each picture."""

    def image(self, paragraph: Paragraph, token: Token, line: int | None) -> None:
        run = paragraph.add_run()
        run._r.append(
            parse_xml(
                f'<w:drawing {nsdecls("w", "wp")}><wp:inline><wp:docPr id="1" name="picture"/>'
                "</wp:inline></w:drawing>"
            )
        )
        run._r.find(f"{qn('w:drawing')}/{qn('wp:inline')}/{qn('wp:docPr')}").set(
            "descr", token.content
        )


class Rereader:
    """Renders answers into one scratch copy of a form's template and reads them back."""

    def __init__(self, template: Path) -> None:
        self.document: Any = docx.Document(str(template))  # python-docx wants a str path
        self.styles = Lookups.of_document(self.document).styles

    def blocks(self, text: str, source: Path) -> list[tuple[Block, Lines | None]]:
        """The blocks `text` renders to, each with its source lines (0-based, end excluded)."""
        part = self.document.part
        renderer = _Placeholders(WordContent(part), source)
        content = renderer.render(text)
        attach_footnotes(part)
        lookups = Lookups.of_document(self.document, self.styles)  # with the new links and notes
        read = Reader(lookups).blocks(list(content.body))
        return [(block, renderer.origins.get(top)) for block, top in read]

"""The inline half of the Markdown renderer: one rule per inline token type (text, emphasis,
links, pictures, footnote references), each writing runs into the paragraph being filled.

`WordRenderer` (in `renderer.py`) inherits these rules and dispatches each child of an `inline`
token to one of them through its `rules` table, as it does block tokens; a rule has the same
shape as a block rule, `rule(tokens, i) -> the index of the next token`, and a subclass may
override any of them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length

from pipeline.markdown.picture import read_picture
from pipeline.markdown.syntax import alt_text, image_file
from pipeline.word.footnotes import reference_run

_EMU_PER_INCH = 914400
"""Word's length unit: English Metric Units."""
_AS_SPACES = {ord("\n"): " ", ord("\r"): " ", ord("\f"): " "}
"""Line ends and form feeds in a text token come from character references (`&#10;`, `&#13;`,
`&#12;`; typed ones end lines, or are refused): white space in the text, as HTML shows them,
never a line break (and a form feed is not a character an XML document may hold)."""

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run
    from markdown_it.token import Token

    from pipeline.word.context import DocumentContext


@dataclass
class InlineState:
    """Where an `inline` token's children go, and the character formatting in force."""

    paragraph: Paragraph
    target: Any
    """The paragraph's `w:p`, or the `w:hyperlink` inside it being filled."""
    line: int | None
    """The source line of the `inline` token, for messages."""
    bold: int = 0
    italic: int = 0
    strike: int = 0
    link: list[str] = field(default_factory=list)


class InlineRules:
    """The renderer's rules for inline tokens; `WordRenderer` sets `at` before walking them."""

    doc: DocumentContext
    source: Path
    text_width: Length
    max_height: Length
    footnote_ids: dict[int, list[int]]
    at: InlineState

    def text(self, tokens: list[Token], i: int) -> int:
        if tokens[i].content:  # markdown-it leaves empty text tokens around emphasis
            self.run(tokens[i].content.translate(_AS_SPACES))
        return i + 1

    def code_inline(self, tokens: list[Token], i: int) -> int:
        if tokens[i].content:
            self.run(tokens[i].content, code=True)
        return i + 1

    def softbreak(self, tokens: list[Token], i: int) -> int:
        self.run(" ")
        return i + 1

    def hardbreak(self, tokens: list[Token], i: int) -> int:
        self.run("").add_break()
        return i + 1

    # an opening token's nesting is 1, a closing one's -1
    def strong(self, tokens: list[Token], i: int) -> int:
        self.at.bold += tokens[i].nesting
        return i + 1

    def em(self, tokens: list[Token], i: int) -> int:
        self.at.italic += tokens[i].nesting
        return i + 1

    def strike(self, tokens: list[Token], i: int) -> int:
        self.at.strike += tokens[i].nesting
        return i + 1

    def link_open(self, tokens: list[Token], i: int) -> int:
        href = str(tokens[i].attrGet("href") or "")
        r_id = self.doc.part.relate_to(href, RT.HYPERLINK, is_external=True)
        self.at.target = OxmlElement("w:hyperlink")
        self.at.target.set(qn("r:id"), r_id)
        self.at.paragraph._p.append(self.at.target)
        self.at.link.append(href)
        return i + 1

    def link_close(self, tokens: list[Token], i: int) -> int:
        self.at.link.pop()
        self.at.target = self.at.paragraph._p
        return i + 1

    def image(self, tokens: list[Token], i: int) -> int:
        """A picture from a path relative to the Markdown file, scaled to fit the page."""
        token, line = tokens[i], self.at.line
        src = str(token.attrGet("src") or "")
        picture = read_picture(image_file(src, self.source, line or 1))  # checked there
        width = picture.width / picture.dpi * _EMU_PER_INCH
        height = picture.height / picture.dpi * _EMU_PER_INCH
        scale = min(1.0, self.text_width / width, self.max_height / height)
        run = self.picture_run()
        run.add_picture(
            io.BytesIO(picture.data),
            width=Length(int(width * scale)),
            height=Length(int(height * scale)),
        )
        self.describe(run, alt_text(token))
        return i + 1

    def picture_run(self) -> Run:
        """An empty run for a picture, inside the link being filled if there is one."""
        run = self.at.paragraph.add_run()
        if self.at.target is not self.at.paragraph._p:
            self.at.target.append(run._r)
        return run

    def describe(self, run: Run, alt: str) -> None:
        """The picture's description (read aloud by screen readers) and, inside a link, the
        link on the picture itself, as Word writes a linked picture: a clickable picture."""
        for doc_pr in run._r.xpath(".//wp:docPr"):
            doc_pr.set("descr", alt)
            if self.at.link:
                click = OxmlElement("a:hlinkClick")
                click.set(qn("r:id"), self.at.target.get(qn("r:id")))
                doc_pr.append(click)

    def footnote_ref(self, tokens: list[Token], i: int) -> int:
        """The footnote's number in the text; its paragraphs come with the footnote block."""
        word_id = self.doc.footnotes.reserve()
        self.footnote_ids.setdefault(tokens[i].meta["id"], []).append(word_id)
        self.at.target.append(reference_run(word_id))
        return i + 1

    def run(self, text: str, code: bool = False) -> Run:
        """A run of `text` in the current paragraph (or link), formatted as the state says."""
        at = self.at
        run = at.paragraph.add_run(text)
        if at.target is not at.paragraph._p:
            at.target.append(run._r)
        if at.bold:
            run.bold = True
        if at.italic:
            run.italic = True
        if at.strike:
            run.font.strike = True
        style = "Code Char" if code else "Hyperlink" if at.link else None
        if style:
            self.doc.styles.apply(run._r, style, WD_STYLE_TYPE.CHARACTER)
        return run

"""Markdown to Word content: one renderer for answers, Markdown appendices and plan cells.

The renderer walks markdown-it-py's token stream with one method per token type, block and
inline alike, dispatched through a dict (`rules`), as markdown-it-py's own `RendererHTML` does;
the table it is made from is `syntax.RULES`, which `pack check` reads too. Block rules are here,
inline rules in `inline.py`. Every construct maps to a *named* style of the Word template, so
restyling the template restyles the answers. A construct it does not handle is an error with
the file and line, never a silent drop.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pipeline.errors import MarkdownError
from pipeline.limits import NESTING
from pipeline.markdown.inline import InlineRules, InlineState
from pipeline.markdown.syntax import RULES, nesting_error, parser, unsupported
from pipeline.word.context import DocumentContext, WordContent
from pipeline.word.tables import cell_widths, fix_widths, repeat_header

if TYPE_CHECKING:
    from markdown_it.token import Token

Rule = Callable[[list["Token"], int], int]
"""A rule renders the token at an index (and any it consumes); it returns the next index."""


class WordRenderer(InlineRules):
    """Renders Markdown into a `WordContent`, one method per token type."""

    #: Heading level of the question (or appendix title) the Markdown sits under;
    #: an answer's `#` becomes one level below it.
    base_level = 1
    #: The style of ordinary paragraphs.
    paragraph_style = "Body Text"
    #: The widest a picture may be: the portrait page's text width.
    text_width: Length = Cm(16.6)
    max_height: Length = Cm(20)

    def __init__(self, content: WordContent, source: Path) -> None:
        self.content = content
        self.doc = content.doc
        self.source = source
        self.numbering = self.doc.numbering
        self.footnotes = self.doc.footnotes
        self.footnote_ids: dict[int, list[int]] = {}  # markdown-it's id -> Word's ids
        self.lists: list[tuple[str, int]] = []  # (kind, numId) per open list
        self.after_table = False
        self.item_first: list[bool] = []  # per open list item: next paragraph is its first
        self.quote = 0
        self.source_lines: tuple[int, int] | None = None  # of the block being rendered
        self.origins: dict[Any, tuple[int, int] | None] = {}
        """Each paragraph and table made -> the source lines (from, to) it came from."""
        self.rules: dict[str, Rule] = {kind: getattr(self, name) for kind, name in RULES.items()}
        """Token type -> the method that renders it (a subclass's override, if it has one)."""

    # -- entry point ---------------------------------------------------------------------
    def render(self, text: str, tokens: list[Token] | None = None) -> WordContent:
        """Render `text`, or its `tokens` when the caller has parsed it already."""
        self.render_tokens(parser().parse(text) if tokens is None else tokens)
        return self.content

    def render_tokens(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.map is not None:
                self.source_lines = (token.map[0], token.map[1])
            rule = self.rules.get(token.type)
            if rule is None:
                if token.type.endswith("_close"):
                    i += 1
                    continue
                raise self.unsupported(token)
            i = rule(tokens, i)

    def inline(self, paragraph: Paragraph, token: Token, bold: bool = False) -> None:
        """Render an `inline` token's children into `paragraph`, each through its rule."""
        line = token.map[0] + 1 if token.map else None
        self.at = InlineState(paragraph, paragraph._p, line, bold=int(bold))
        children = token.children or []
        i = 0
        while i < len(children):
            rule = self.rules.get(children[i].type)
            if rule is None:
                raise self.unsupported(children[i], line)
            i = rule(children, i)

    def unsupported(self, token: Token, line: int | None = None) -> MarkdownError:
        return unsupported(token, self.source, line)

    # -- blocks ---------------------------------------------------------------------------
    def new_paragraph(self, style: str) -> Paragraph:
        paragraph = self.content.container.add_paragraph()
        self.origins[paragraph._p] = self.source_lines
        self.doc.styles.apply(paragraph._p, style, WD_STYLE_TYPE.PARAGRAPH)
        if self.after_table:  # Word runs text into a table's last row otherwise
            paragraph.paragraph_format.space_before = Pt(8)
            self.after_table = False
        if self.lists and self.item_first:
            _, num_id = self.lists[-1]
            if self.item_first[-1]:
                self.numbering.apply(paragraph, num_id, len(self.lists) - 1)
                self.item_first[-1] = False
            else:
                self.numbering.indent(paragraph, len(self.lists) - 1)
        return paragraph

    def body_style(self) -> str:
        if self.lists:
            return "List Paragraph"
        return "Quote" if self.quote else self.paragraph_style

    def paragraph(self, tokens: list[Token], i: int) -> int:
        paragraph = self.new_paragraph(self.body_style())
        if self.lists and not tokens[i].hidden:  # a loose list: items spaced like paragraphs
            paragraph.paragraph_format.space_after = Pt(8)
        self.inline(paragraph, tokens[i + 1])
        return i + 3

    def heading(self, tokens: list[Token], i: int) -> int:
        # never at or above the level of the question (Heading 1) the text sits under
        level = max(2, min(int(tokens[i].tag[1]) + self.base_level, 9))
        paragraph = self.new_paragraph(f"Heading {level}")
        self.inline(paragraph, tokens[i + 1])
        return i + 3

    def list_open(self, tokens: list[Token], i: int) -> int:
        token = tokens[i]
        if len(self.lists) + self.quote >= NESTING:
            raise nesting_error(token, len(self.lists) + self.quote + 1, self.source)
        self.item_marker()
        kind = "bullet" if token.type == "bullet_list_open" else "ordered"
        start = token.attrGet("start")  # absent for 1; a list may start at 0
        start = int(start) if start is not None else 1
        self.lists.append((kind, self.numbering.new_list(kind, len(self.lists), start)))
        return i + 1

    def list_close(self, tokens: list[Token], i: int) -> int:
        self.lists.pop()
        return i + 1

    def item_open(self, tokens: list[Token], i: int) -> int:
        self.item_first.append(True)
        return i + 1

    def item_marker(self) -> None:
        """An item that opens with a list or a table (`- - foo`) shows its own bullet or number
        first, on a line of its own, as a browser shows it; then the list or table."""
        if self.lists and self.item_first and self.item_first[-1]:
            self.new_paragraph("List Paragraph")

    def item_close(self, tokens: list[Token], i: int) -> int:
        if self.item_first.pop():  # an empty item still shows its bullet
            self.item_first.append(True)
            self.new_paragraph("List Paragraph")
            self.item_first.pop()
        return i + 1

    def skip(self, tokens: list[Token], i: int) -> int:
        return i + 1

    def quote_open(self, tokens: list[Token], i: int) -> int:
        if len(self.lists) + self.quote >= NESTING:
            raise nesting_error(tokens[i], len(self.lists) + self.quote + 1, self.source)
        self.quote += 1
        return i + 1

    def quote_close(self, tokens: list[Token], i: int) -> int:
        self.quote -= 1
        return i + 1

    def code_block(self, tokens: list[Token], i: int) -> int:
        paragraph = self.new_paragraph("Code")
        lines = tokens[i].content.removesuffix("\n").split("\n")
        for n, line in enumerate(lines):
            run = paragraph.add_run(line)
            if n < len(lines) - 1:
                run.add_break()
        return i + 1

    def hr(self, tokens: list[Token], i: int) -> int:
        paragraph = self.new_paragraph("Body Text")
        border = parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
            'w:color="auto"/></w:pBdr>'
        )
        paragraph._p.get_or_add_pPr().append(border)
        return i + 1

    def table(self, tokens: list[Token], i: int) -> int:
        self.item_marker()
        rows: list[list[Token]] = []  # inline tokens per cell
        aligns: list[str | None] = []
        j = i + 1
        while tokens[j].type != "table_close":
            token = tokens[j]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                if len(rows) == 1:
                    style = str(token.attrGet("style") or "")
                    aligns.append(style.removeprefix("text-align:") or None)
                rows[-1].append(tokens[j + 1])
            j += 1
        self.build_table(rows, aligns)
        self.after_table = True
        return j + 1

    def build_table(self, rows: list[list[Token]], aligns: list[str | None]) -> Table:
        columns = len(aligns)
        container = self.content.container
        table = container.add_table(rows=len(rows), cols=columns, width=0)  # type: ignore[arg-type]
        self.origins[table._tbl] = self.source_lines
        self.doc.styles.apply(table._tbl, "Table Grid", WD_STYLE_TYPE.TABLE)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = cell_widths([[c.content for c in row] for row in rows], columns, self.text_width)
        fix_widths(table, widths)
        alignment = {
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }
        repeat_header(table.rows[0])
        # straight from the XML: python-docx's table.cell() rebuilds the whole grid per call
        for r, (tr, cells) in enumerate(zip(table._tbl.tr_lst, rows, strict=True)):
            for c, tc in enumerate(tr.tc_lst):
                paragraph = Paragraph(tc.p_lst[0], _Cell(tc, table))
                self.doc.styles.apply(paragraph._p, "Table Text", WD_STYLE_TYPE.PARAGRAPH)
                if aligns[c] in alignment:
                    paragraph.alignment = alignment[aligns[c]]  # type: ignore[index]
                if c < len(cells):
                    self.inline(paragraph, cells[c], bold=r == 0)
        return table

    def footnote_block(self, tokens: list[Token], i: int) -> int:
        """Each footnote's paragraphs become a Word footnote, attached after rendering."""
        j = i + 1
        while tokens[j].type != "footnote_block_close":
            start = j
            depth = 0
            while True:  # to the footnote_close that ends this footnote
                depth += {"footnote_open": 1, "footnote_close": -1}.get(tokens[j].type, 0)
                if depth == 0:
                    break
                j += 1
            for word_id in self.footnote_ids.get(tokens[start].meta["id"], []):
                note = WordRenderer(WordContent(self.doc), self.source)
                note.paragraph_style = "Footnote Text"
                note.footnote_ids = self.footnote_ids
                note.render_tokens(tokens[start + 1 : j])
                self.footnotes.add(word_id, list(note.content.body))
            j += 1
        return j + 1


def render_markdown(
    text: str,
    doc: DocumentContext,
    source: Path,
    base_level: int = 1,
    text_width: Length | None = None,
    paragraph_style: str = "Body Text",
    tokens: list[Token] | None = None,
) -> WordContent:
    """Markdown `text` (from `source`, for messages), or its `tokens` if parsed already, as Word
    content for the document `doc`."""
    renderer = WordRenderer(WordContent(doc), source)
    renderer.base_level = base_level
    renderer.paragraph_style = paragraph_style
    if text_width is not None:
        renderer.text_width = text_width
    return renderer.render(text, tokens)

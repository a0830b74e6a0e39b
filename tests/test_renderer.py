"""The renderer's shape: one rule table, shared with `pack check`, for block and inline tokens;
rules a subclass can override; the tokens it is given; no state left on python-docx's objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from helpers.word import rendered
from pipeline.errors import MarkdownError
from pipeline.form import TEMPLATES
from pipeline.markdown.renderer import WordRenderer, render_markdown
from pipeline.markdown.syntax import RULES, parser, problems
from pipeline.word.context import DocumentContext, WordContent


def _doc() -> tuple[Any, DocumentContext]:
    document = docx.Document(str(TEMPLATES / "self-assessment.docx"))
    return document, DocumentContext(document.part)


def _texts(content: WordContent) -> list[str]:
    return ["".join(block.xpath(".//w:t/text()")) for block in content.body]


def test_every_rule_in_the_table_is_a_renderer_method() -> None:
    renderer = WordRenderer(WordContent(_doc()[1]), Path("a.md"))
    assert set(renderer.rules) == set(RULES)
    assert {"text", "strong_open", "link_open", "image", "footnote_ref"} <= set(renderer.rules)
    for kind, name in RULES.items():
        assert renderer.rules[kind] == getattr(renderer, name)


def test_render_markdown_renders_the_tokens_it_is_given() -> None:
    tokens = parser().parse("**Given** tokens\n")
    content = render_markdown("Other text\n", _doc()[1], Path("a.md"), tokens=tokens)
    assert _texts(content) == ["Given tokens"]
    assert content.body.xpath(".//w:r[w:rPr/w:b]//w:t/text()") == ["Given"]


def test_a_subclass_overrides_an_inline_rule() -> None:
    class Shouting(WordRenderer):
        def text(self, tokens: list[Any], i: int) -> int:
            self.run(tokens[i].content.upper())
            return i + 1

    renderer = Shouting(WordContent(_doc()[1]), Path("a.md"))
    content = renderer.render("Quiet *words*\n\n| a | b |\n|---|---|\n| c | `d` |\n")
    assert _texts(content) == ["QUIET WORDS", "ABCd"]


def _math() -> MarkdownIt:
    """Our parser plus a construct the renderer does not know: `$x$` and `$$` blocks."""
    return MarkdownIt("commonmark", {"html": False}).use(dollarmath_plugin)


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("Text\n\nSum $x$ here\n", "a.md:3: math inline is not supported here; remove it"),
        ("Text\n\n$$\nx\n$$\n", "a.md:3: math block is not supported here; remove it"),
    ],
)
def test_check_and_renderer_refuse_the_same_token_at_the_same_line(
    markdown: str, message: str
) -> None:
    tokens = _math().parse(markdown)
    assert [str(p) for p in problems(tokens, Path("a.md"))] == [message]
    with pytest.raises(MarkdownError) as raised:
        render_markdown(markdown, _doc()[1], Path("a.md"), tokens=tokens)
    assert str(raised.value) == message


def test_no_state_is_left_on_python_docx_objects() -> None:
    document, doc = rendered("- a **list**[^n]\n\n1. and `code`\n\n[^n]: A note.\n")
    assert doc.footnotes.pending  # the renderer's state is on our object ...
    for part in document.part.package.iter_parts():  # ... and on none of the library's
        assert not [name for name in vars(part) if name.startswith("_pack_")], part.partname


def test_renderers_of_one_document_share_its_numbering_and_footnote_ids() -> None:
    doc = _doc()[1]
    first = render_markdown("One[^a]\n\n[^a]: A.\n\n1. x\n", doc, Path("a.md"))
    second = render_markdown("Two[^a]\n\n[^a]: B.\n\n1. y\n", doc, Path("b.md"))
    refs = [c.body.xpath(".//w:footnoteReference/@w:id") for c in (first, second)]
    assert refs == [["1"], ["2"]]
    assert [n for n, _ in doc.footnotes.pending] == [1, 2]
    lists = [c.body.xpath(".//w:numPr/w:numId/@w:val") for c in (first, second)]
    assert lists[0] != lists[1]  # each list its own instance, so each starts at 1
    assert doc.attach_footnotes() == 2
    assert doc.attach_footnotes() == 0

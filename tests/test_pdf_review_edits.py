"""Suggested edits from a PDF made in an answer's Markdown: the marked words found through the
markup a reader does not see and across line wraps, each edit made exactly (every other byte
as it was), and refused where it would not read as the page suggests."""

from __future__ import annotations

import pytest

from pipeline.annotations.edits import Edit, apply, splice
from pipeline.annotations.locate import Context, find
from pipeline.annotations.source import reads, visible
from pipeline.review.to_markdown import escape


def edit(source: str, before: str, quote: str, after: str, kind: str, new: str = "") -> str | None:
    """`source` with the edit a reviewer marked on the page (the page's words around it given)."""
    view = visible(source)
    found = find(view, Context(before, quote, after))
    assert found.unique, (quote, found)
    return apply(view, [splice(view, Edit(found.start, found.end, new, kind), escape)])


@pytest.mark.parametrize(
    ("source", "page", "kind", "new", "expected"),
    [
        # plain words, a wrap in the file that the page does not have
        ("A marine and coastal\nfield station at Saltmere.\n", ("A marine and ", "coastal field", " station at"),
         "delete", "", "A marine and station at Saltmere.\n"),
        ("One two three four five.\n", ("One two ", "three", " four five."), "replace", "3", "One two 3 four five.\n"),
        # inside bold: the marks stay; the whole bold stretch deleted takes its marks along
        ("It employs **412 technicians** in all.\n", ("It employs ", "412", " technicians in"), "replace", "415",
         "It employs **415 technicians** in all.\n"),
        ("It employs **412 technicians** in all.\n", ("It employs ", "412 technicians", " in all."), "delete", "",
         "It employs in all.\n"),
        ("Now *very* good news.\n", ("Now ", "very", " good news."), "delete", "", "Now good news.\n"),
        # a link's text, an escape, an entity, code
        ("See [the network page](https://example.org/n) for more.\n", ("See the ", "network", " page for"),
         "replace", "members'", "See [the members' page](https://example.org/n) for more.\n"),
        ("Costs 5\\* per item &amp; more.\n", ("Costs ", "5*", " per item"), "replace", "6*", "Costs 6\\* per item &amp; more.\n"),
        ("Run `pack check` first, then build.\n", ("first, ", "then", " build."), "delete", "", "Run `pack check` first, build.\n"),
        # a list item, a table cell, a heading
        ("- the first item here\n- the second item\n", ("the ", "second", " item"), "replace", "last",
         "- the first item here\n- the last item\n"),
        ("| Faculty | FTE |\n| --- | --- |\n| Science | 129.6 |\n", ("Science ", "129.6", ""), "replace", "130",
         "| Faculty | FTE |\n| --- | --- |\n| Science | 130 |\n"),
        ("## Our own heading\n\nText under it.\n", ("Our ", "own", " heading Text"), "delete", "", "## Our heading\n\nText under it.\n"),
        # a word deleted before punctuation leaves no space before it
        ("Ten labs, nine rooms and workshops.\n", ("rooms and ", "workshops", "."), "delete", "", "Ten labs, nine rooms and.\n"),
        # what a reviewer types is written to show as typed
        ("Fund the fees.\n", ("Fund the ", "fees", "."), "replace", "*all* fees", "Fund the \\*all\\* fees.\n"),
        # Windows line ends and a byte-order mark stay
        ("\ufeffFirst line\r\nsecond line here.\r\n", ("First line ", "second", " line here."), "replace", "2nd",
         "\ufeffFirst line\r\n2nd line here.\r\n"),
    ],
)  # fmt: skip
def test_edits_change_the_marked_words_only(
    source: str, page: tuple[str, str, str], kind: str, new: str, expected: str
) -> None:
    assert edit(source, *page, kind, new) == expected


@pytest.mark.parametrize(
    ("source", "page", "new", "expected"),
    [
        ("not only when a draft\n", ("not only", "", " when a draft"), "just", "not only just when a draft\n"),
        ("not only when a draft\n", ("not only ", "", "when a draft"), "just", "not only just when a draft\n"),
        ("at Saltmere.\n", ("at Saltmere", "", "."), "Bay", "at Saltmere Bay.\n"),
        ("the **big** cat\n", ("the ", "", "big cat"), "very", "the very **big** cat\n"),
        ("at the end\n", ("at the end", "", ""), "of it", "at the end of it\n"),
        ("the wrapped\nline\n", ("the wrapped", "", " line"), "first", "the wrapped first\nline\n"),
    ],
)  # fmt: skip
def test_insertions_take_the_space_a_word_needs(
    source: str, page: tuple[str, str, str], new: str, expected: str
) -> None:
    assert edit(source, *page, "insert", new) == expected


def test_a_quote_is_told_apart_by_its_context_or_not_at_all() -> None:
    view = visible("The cat sat. The dog sat. The cat ran.\n")
    assert find(view, Context("", "The cat", " sat.")).unique
    assert not find(view, Context("", "The", "")).unique  # three times, no context to tell them
    alone = find(view, Context("The dog sat. ", "The", " cow ran."))
    assert alone.unique  # "The dog sat. The" is once, whatever follows on the page
    wording = visible("Our organisation is large.\n")
    assert not find(wording, Context("profile of your ", "organisation", ". Our")).unique


def test_the_reading_of_every_example_answer_agrees_with_the_parser() -> None:
    from helpers.packs import EXAMPLE

    for path in sorted((EXAMPLE / "answers").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert "".join(visible(text).text.split()) == reads(text), path


def test_an_edit_that_would_read_otherwise_is_refused() -> None:
    source = "Use **bold** here.\n"
    view = visible(source)
    found = find(view, Context("Use ", "bol", "d here."))  # part of a bold word struck
    assert found.unique
    part = splice(view, Edit(found.start, found.end, "", "delete"), escape)
    assert apply(view, [part]) == "Use **d** here.\n"
    overlapping = [part, splice(view, Edit(found.start, found.end + 2, "", "delete"), escape)]
    assert apply(view, overlapping) is None

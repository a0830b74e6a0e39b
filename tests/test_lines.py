"""A changed paragraph in the author's own lines: merging, wrapping, links, and the last resort
of an answer written anew keeping what the source wrote its own way."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.form import load_form
from pipeline.review import lines
from pipeline.review.assemble import regenerate
from pipeline.review.baseline import Rereader, drafted
from pipeline.review.writer import Writer


def test_a_changed_word_changes_one_line() -> None:
    old = "The plan runs from February 2027\nto January 2029 and was approved\nby the Board."
    new = "The plan runs from March 2027 to January 2029 and was approved by the Board."
    assert lines.merge(old, new) == (
        "The plan runs from March 2027\nto January 2029 and was approved\nby the Board."
    )


def test_a_typed_line_break_and_a_removed_one() -> None:
    old = "one two three\nfour five  \nsix"
    assert lines.merge(old, "one two\\\nthree four five six") == "one two\\\nthree\nfour five\nsix"


def test_an_item_moved_in_takes_its_new_indentation() -> None:
    old = "   - the target was raised\n     from three days to five."
    new = "     - the target was raised from three days to five."
    assert lines.merge(old, new, indent="       ") == (
        "     - the target was raised\n       from three days to five."
    )


def test_only_lines_whose_words_changed_are_wrapped() -> None:
    old = "a b c\nd e f"
    assert lines.wrap("a **b** c\nd e f g h i", old, 7, "") == "a **b** c\nd e f g\nh i"
    assert lines.wrap("a b c d e f g h", "", None, "") == "a b c d e f g h"  # one line a paragraph


def test_a_wrapped_line_never_starts_a_block() -> None:
    # `2.` would start a numbered list on a line of its own: the line breaks before `to`
    assert lines.wrap("we counted to 2. 1. was first", "", 15, "") == (
        "we counted\nto 2. 1. was\nfirst"
    )
    assert lines.wrap("see the list - it is long", "", 14, "") == "see the list -\nit is long"


def test_the_width_is_the_files_own() -> None:
    text = ["aaaa bbbb\n", "cc\n", "\n", "one line only\n"]
    assert lines.width_of(text, [(0, 2), (3, 4)]) == 9
    assert lines.width_of(["one\n", "\n", "two\n"], [(0, 1), (2, 3)]) is None
    long = "<https://www.example.org/a/very/long/address/that/cannot/be/broken>\n"
    assert lines.width_of(["aaaa bbbb\n", long, "cc\n"], [(0, 3)]) == 9


def test_a_link_written_as_its_address_keeps_its_form() -> None:
    url = "https://www.example.org/page"
    old = f"at [{url}]({url}) and <{url}/two>."
    new = f"at {url} and {url}/two, and more."
    assert lines.keep_links(old, new) == f"at [{url}]({url}) and <{url}/two>, and more."


def test_an_answer_written_anew_keeps_its_alignment_row_and_links(tmp_path: Path) -> None:
    source = (
        "See [https://www.example.org](https://www.example.org).\n\n"
        "| Site | Staff |\n|:--|--:|\n| North | 12 |\n"
    )
    rereader = Rereader(load_form("initial").template)
    base = drafted(rereader, source, tmp_path / "1-answer.md")
    writer: Any = Writer(base, None, tmp_path, 1)  # type: ignore[arg-type]
    assert regenerate(base, base.blocks, writer) == source


def test_an_edited_footnote_among_others_is_rewritten_where_it_stands(tmp_path: Path) -> None:
    source = (
        "One[^a] and two[^b].\n\nMore text.\n\n[^a]: The first note,\n    written on two lines.\n"
        "[^b]: The second note.\n"
    )
    rereader = Rereader(load_form("initial").template)
    base = drafted(rereader, source, tmp_path / "1-answer.md")
    writer: Any = Writer(base, None, tmp_path, 1)  # type: ignore[arg-type]
    edited = "The first note, written on two lines today."
    assert writer.note(replace(base.blocks[0].spans[1], ref=edited)) == "[^a]"
    result = regenerate(base, base.blocks, writer)
    assert result.endswith(
        "[^a]: The first note,\n    written on two lines today.\n[^b]: The second note.\n"
    )

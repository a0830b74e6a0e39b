"""Suggested edits made to an answer's Markdown: only the marked words change, every other byte
of the file stays as it was.

A deletion takes the marked characters out (with the emphasis marks around them when the whole
emphasised stretch goes, and one of the two spaces it leaves); a replacement puts the new words
(escaped, so they show as typed) in their place inside any emphasis they were in; an insertion
puts the words at the caret, with the space a word boundary needs. Then the proof: the file's
text as the Markdown parser reads it must be the text before, changed by exactly these edits,
or the edit is not made.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from pipeline.annotations.source import Visible, reads

_MARKS = "*_~"
_CLOSERS = ",.;:!?)]"


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to an answer: visible text `start`..`end` becomes `new` (an insertion has
    start == end)."""

    start: int
    end: int
    new: str
    kind: str


@dataclass(frozen=True, slots=True)
class Splice:
    """The same change in the file: bytes `start`..`end` of the source become `text`."""

    start: int
    end: int
    text: str
    visible: tuple[int, int, str]
    """The change as the reader sees it: (start, end, new) in the visible text."""


def _span(view: Visible, start: int, end: int) -> tuple[int, int]:
    return view.origin[start], view.origin[end - 1] + 1


def _widen(source: str, start: int, end: int) -> tuple[int, int]:
    """The span with the emphasis marks on both sides of it, while they pair up."""
    while start > 0 and end < len(source) and source[start - 1] in _MARKS:
        mark = source[start - 1]
        run = 1
        while start - run > 0 and source[start - run - 1] == mark:
            run += 1
        if source[end : end + run] != mark * run:
            break
        start, end = start - run, end + run
    return start, end


def _spacing(source: str, start: int, end: int) -> tuple[int, int]:
    """Widen a deletion over one of the spaces it would leave doubled."""
    before = source[start - 1] if start else "\n"
    after = source[end] if end < len(source) else "\n"
    if before in " \t" and after in " \t":
        return start, end + 1
    if before in " \t" and (after in "\r\n" or after in _CLOSERS):
        while start > 0 and source[start - 1] in " \t":
            start -= 1
        return start, end
    if before == "\n" and after in " \t":
        while end < len(source) and source[end] in " \t":
            end += 1
    return start, end


def splice(view: Visible, edit: Edit, escape: object) -> Splice:
    """`edit` as a change of the source's bytes; `escape` writes typed words as Markdown."""
    source = view.source
    new = " ".join(edit.new.split())
    written = escape(new) if callable(escape) else new
    if edit.kind == "insert":
        at = edit.start
        left = view.text[at - 1] if at else " "
        right = view.text[at] if at < len(view.text) else " "
        if at >= len(view.origin):
            offset = view.origin[-1] + 1 if view.origin else len(source)
        else:
            offset = view.origin[at]  # after the marks that close the word before
        if right == " " or (left.isalnum() and not right.isalnum()):
            text, shown = " " + written, " " + new
        else:
            while offset > 0 and source[offset - 1] in _MARKS:
                offset -= 1  # before the marks that open the word after
            space = left == " " or not left.isalnum()
            text, shown = (written + " ", new + " ") if space else (written, new)
        return Splice(offset, offset, text, (at, at, shown))
    start, end = _span(view, edit.start, edit.end)
    if edit.kind == "delete":
        start, end = _spacing(source, *_widen(source, start, end))
        return Splice(start, end, "", (edit.start, edit.end, ""))
    return Splice(start, end, written, (edit.start, edit.end, new))


def apply(view: Visible, splices: list[Splice]) -> str | None:
    """The source with every splice made, if the parser then reads it as the text before with
    those changes (spacing aside); else None."""
    ordered = sorted(splices, key=lambda s: (s.start, s.end))
    if any(a.end > b.start for a, b in itertools.pairwise(ordered)):
        return None
    text = view.source
    shown = view.text
    for item in reversed(ordered):
        text = text[: item.start] + item.text + text[item.end :]
    for item in sorted(splices, key=lambda s: s.visible[0], reverse=True):
        first, last, new = item.visible
        shown = shown[:first] + new + shown[last:]
    if reads(view.source) != "".join(view.text.split()):
        return None  # this file reads otherwise than it was mapped: nothing is risked
    return text if reads(text) == "".join(shown.split()) else None

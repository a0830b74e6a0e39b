"""Words marked on the page found again in an answer's Markdown: the text a reader sees, with
the offset in the file of each character of it.

The blocks are the parser's own (markdown-it's line map of every paragraph, heading, item and
table row: comments and link definitions are never shown, so never searched). Within a block's
lines the markup a reader does not see is passed over: quote and list markers, heading marks,
table pipes, emphasis and strike-through marks, code backticks, a link's address, a picture,
a footnote reference, the backslash of an escape. Line breaks read as spaces. Text is compared
as Unicode compatibility forms (a ligature is its letters), spacing aside.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from pipeline.markdown.syntax import parser

_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:#{1,6}[ \t]+)?")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_UNDERLINE = re.compile(r"^[ \t]*(?:=+|-+)[ \t]*$")
_ALIGNMENT = re.compile(r"^[ \t|:-]+$")
_LINK_TAIL = re.compile(
    r"\]\((?:<[^>]*>|[^()\s]*(?:\([^()\s]*\))?[^()\s]*)(?:\s+\"[^\"]*\")?\)|\]\[[^\]]*\]"
)
_PICTURE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\((?:[^()]|\([^()]*\))*\)")
_FOOTNOTE = re.compile(r"^\[\^[^\]\s]+\]:|\[\^[^\]\s]+\]")
_COMMENT = re.compile(r"<!--.*?-->")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]*|[^<>\s@]+@[^<>\s]+)>")


@dataclass(frozen=True, slots=True)
class Visible:
    """An answer as it reads: `text` (NFKC, whitespace a single space), and for each of its
    characters the offset in `source` it comes from and the block it is in."""

    source: str
    text: str
    origin: tuple[int, ...]
    block: tuple[int, ...]

    def line(self, index: int) -> int:
        """The line (from 1) of the file where character `index` of the text is."""
        offset = self.origin[min(index, len(self.origin) - 1)] if self.origin else 0
        return self.source.count("\n", 0, offset) + 1


def _emphasis(line: str, at: int) -> int:
    """Length of the run of emphasis marks at `at` that markup would take, 0 if it is text."""
    char = line[at]
    end = at
    while end < len(line) and line[end] == char:
        end += 1
    before = line[at - 1] if at else " "
    after = line[end] if end < len(line) else " "
    if char == "~":
        return end - at if end - at >= 2 else 0
    if before.isspace() and after.isspace():
        return 0  # an asterisk standing alone is text
    if char == "_" and before.isalnum() and after.isalnum():
        return 0  # snake_case
    return end - at


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.chars: list[str] = []
        self.origin: list[int] = []
        self.block: list[int] = []

    def emit(self, text: str, offset: int, block: int) -> None:
        for char in unicodedata.normalize("NFKC", text):
            if char.isspace():
                if not self.chars or self.chars[-1] == " ":
                    continue
                char = " "
            self.chars.append(char)
            self.origin.append(offset)
            self.block.append(block)

    def line(self, line: str, offset: int, block: int) -> None:
        hidden = [False] * len(line)
        for pattern in (_COMMENT, _PICTURE, _FOOTNOTE, _LINK_TAIL):
            for match in pattern.finditer(line):
                hidden[match.start() : match.end()] = [True] * (match.end() - match.start())
        entities = {m.start(): m for m in _ENTITY.finditer(line)}
        autolinks = {m.start(): m for m in _AUTOLINK.finditer(line)}
        at = 0
        while at < len(line):
            char = line[at]
            if hidden[at]:
                at += 1
            elif char == "\\" and at + 1 < len(line) and not line[at + 1].isalnum():
                self.emit(line[at + 1], offset + at + 1, block)
                at += 2
            elif char == "\\" and at + 1 == len(line):
                at += 1  # a hard line break
            elif at in entities:
                match = entities[at]
                self.emit(html.unescape(match[0]), offset + at, block)
                at = match.end()
            elif at in autolinks:
                match = autolinks[at]
                for index, piece in enumerate(match[1]):
                    self.emit(piece, offset + at + 1 + index, block)
                at = match.end()
            elif char in "*_~":
                run = _emphasis(line, at)
                if run == 0:
                    self.emit(char, offset + at, block)
                    at += 1
                else:
                    at += run
            elif char in "`[" or (char == "|" and (at == 0 or line[at - 1] != "\\")):
                if char == "|":
                    self.emit(" ", offset + at, block)
                at += 1
            else:
                self.emit(char, offset + at, block)
                at += 1
        self.emit(" ", offset + len(line), block)


def visible(source: str) -> Visible:
    """The text of a Markdown answer as it reads, mapped back to the file."""
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    lines = source.splitlines()
    builder = _Builder(source)
    done: set[int] = set()
    for number, token in enumerate(parser().parse(source)):
        if token.type != "inline" or not token.map:
            continue
        first, last = token.map
        for index in range(first, min(last, len(lines))):
            if index in done:
                continue
            done.add(index)
            text = lines[index]
            if _UNDERLINE.match(text) or ("|" in text and _ALIGNMENT.match(text)):
                continue
            prefix = _PREFIX.match(text)
            cut = prefix.end() if prefix else 0
            body = _CLOSING_HASHES.sub("", text[cut:])
            builder.line(body, starts[index] + cut, number)
    text = "".join(builder.chars)
    return Visible(source, text, tuple(builder.origin), tuple(builder.block))


def normal(text: str) -> str:
    """Text as compared: compatibility forms, whitespace a single space, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def occurrences(text: str, needle: str) -> list[int]:
    found: list[int] = []
    start = text.find(needle)
    while start >= 0 and needle:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def reads(source: str) -> str:
    """What a Markdown text reads as, by the parser itself (not `visible`'s reading), spacing
    removed: the proof that an edit changed nothing but what it meant to."""
    from pipeline.verify.parts import blocks

    return "".join("".join(blocks(source)).split())

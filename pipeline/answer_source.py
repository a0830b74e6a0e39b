"""An answer as the draft was made from it: its text and lines, the blocks it renders to with
the lines each came from, its footnotes by their text and its pictures by their description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.md_write import shows_something
from pipeline.mdtext import parser
from pipeline.reread import Lines, Rereader
from pipeline.wordview import Block


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
                pictures.setdefault(child.content, str(child.attrGet("src") or ""))
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

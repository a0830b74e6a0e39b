"""What a reader of a Word body gives (`blocks.read_blocks`): paragraphs of spans of formatted
text, and tables of them. Plain data: the review and the import build Markdown from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Span:
    """A piece of a paragraph: text with its formatting, or a break, footnote or picture."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    link: str | None = None
    kind: str = "text"
    """`text`, `break`, `footnote` or `image`."""
    ref: str = ""
    """A footnote's text, or a picture's description."""
    media: str = ""
    """A picture's part in the package."""


@dataclass(slots=True)
class Para:
    """A paragraph as read."""

    kind: str
    level: int = 0
    """Heading level (Word's), or list level from 0."""
    spans: list[Span] = field(default_factory=list)
    list_kind: str = ""
    """`bullet` or `ordered`, for list items."""
    number: int | None = None
    """The number an ordered list item shows."""
    elements: list[Any] = field(default_factory=list)
    """The `w:p` elements it was read from (more than one where a paragraph mark was removed)."""

    @property
    def text(self) -> str:
        return "".join("\n" if s.kind == "break" else s.text for s in self.spans)


@dataclass(slots=True)
class TableBlock:
    """A table as read: rows of cells of paragraphs."""

    rows: list[list[list[Para]]]
    aligns: list[str | None]
    elements: list[Any]
    kind: str = "table"

    @property
    def text(self) -> str:
        return "\n".join(
            " | ".join(" ".join(p.text for p in cell) for cell in row) for row in self.rows
        )


Block = Para | TableBlock

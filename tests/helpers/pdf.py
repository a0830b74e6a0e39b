"""Reading a built PDF back: its text as pdftotext lays it out, compared token by token."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path


def tokens(text: str) -> list[str]:
    """Runs of letters, runs of digits, and each other visible character on its own; a PDF's
    layout (footnote numbers, bidirectional marks, a line broken at a hyphen) cannot split them."""
    text = re.sub("[\u202a-\u202e\u2066-\u2069\u00ad]", "", text).replace("-\n", "-")
    return re.findall(r"[^\W\d_]+|\d+|[^\w\s]|_", text)


def in_order(needle: list[str], haystack: list[str]) -> str | None:
    """None when every token of `needle` appears in `haystack` in order; else the first that does not."""
    position = 0
    for token in needle:
        try:
            position = haystack.index(token, position) + 1
        except ValueError:
            return token
    return None


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    """pdftotext in layout mode, which keeps table rows and wide-spaced lines together."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    command = ["pdftotext", "-layout", "-enc", "UTF-8", *pages, str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def blocks(markdown: str) -> list[str]:
    """The text of each paragraph, heading, list item and table cell, in order: the units a
    PDF keeps together (a table's cells may wrap beside each other)."""
    from pipeline.markdown.syntax import parser

    texts = []
    for token in parser().parse(markdown):
        if token.type == "inline":
            parts = [
                c.content if c.type in ("text", "code_inline") else " "
                for c in token.children or []
                if c.type in ("text", "code_inline", "softbreak", "hardbreak")
            ]
            texts.append("".join(parts))
    return [t for t in texts if t.strip()]

"""Markdown problems found before anyone waits for LibreOffice.

Everything the renderer would refuse (an unsupported construct, a missing or unreadable image)
is found from the same tables the renderer dispatches on (`markdown.syntax`), with its line, without
building any Word content. On top: raw HTML (shown as text), links that will not work, and
code fences never closed.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.markdown.syntax import parser, problems
from pipeline.model import Problem

if TYPE_CHECKING:
    from markdown_it.token import Token

_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>|<!--")
_SCHEMES = ("http://", "https://", "mailto:")


def _lines(token: Token, fallback: int) -> int:
    return token.map[0] + 1 if token.map else fallback


@functools.lru_cache(maxsize=64)
def _tokens(text: str) -> list[Token]:
    """The text parsed, remembered: a long-lived build (watch) parses again only the files
    that changed. Read, never changed, by `lint_markdown`; its pictures are looked at afresh."""
    return parser().parse(text)


def lint_markdown(path: Path, text: str) -> list[Problem]:
    """Problems in one Markdown file."""
    found: list[Problem] = []

    def add(line: int | None, level: str, code: str, message: str) -> None:
        found.append(Problem(path, line, level, code, message))

    tokens = _tokens(text)
    for error in problems(tokens, path):
        add(error.line, "error", error.code, error.message)

    lines = text.split("\n")
    line = 1
    for token in tokens:
        line = _lines(token, line)
        offset = 0  # lines into a paragraph
        if token.type == "fence":
            end = token.map[1] if token.map else len(lines)
            closing = lines[end - 1].strip() if end - 1 < len(lines) else ""
            if end - 1 == line - 1 or not closing.startswith(token.markup[0] * len(token.markup)):
                add(
                    line,
                    "warning",
                    "fence-unclosed",
                    f"code block opened with {token.markup} is never closed, so the rest of the file "
                    f"is code; close it with {token.markup}",
                )
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                offset += 1
            tag = _HTML.search(child.content) if child.type == "text" else None
            if tag:
                add(
                    line + offset,
                    "warning",
                    "raw-html",
                    f"raw HTML {tag[0]!r} is shown as text; use Markdown instead",
                )
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not href:
                    add(
                        line + offset,
                        "error",
                        "link-empty",
                        "a link has no address; write it in the brackets: [text](https://...)",
                    )
                elif not href.startswith(_SCHEMES) and not href.startswith("#"):
                    add(
                        line + offset,
                        "warning",
                        "link-relative",
                        f"link {href!r} is not a web address; write it in full, e.g. https://{href.lstrip('/')}",
                    )
    return found

"""The marked words found once in an answer, told apart by the words around them on the page.

A quote alone may be found in many places ("the"); with a word or two of the page's text
before and after it, once. A match counts only when at least two words of that context agree
(as many as the page has, if fewer; none for a quote long enough to stand alone): a word struck
out in the question's own wording must not be taken for the same word in the answer below it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.annotations.source import Visible, occurrences

_BULLETS = re.compile(r"[\u2022\u25e6\u25aa\u2023\u2043\u25cf\u25cb\u25a0\uf0b7]")
_CONTEXT = 8
"""Words of context tried on each side."""
_ALONE = 6
"""Words a quote needs to be found without context."""


@dataclass(frozen=True, slots=True)
class Context:
    """A mark's words and the page's text either side of them (as drawn, spacing as read)."""

    before: str
    quote: str
    after: str
    at: int = -1
    """Where the quote starts in the page's text (its reading order), when it is from a page."""


@dataclass(frozen=True, slots=True)
class Found:
    """Where a quote is in an answer's text (`start`..`end`), or how many times it is."""

    start: int = -1
    end: int = -1
    count: int = 0
    """Places it was found in, for one not found exactly once (with any context)."""

    @property
    def unique(self) -> bool:
        return self.start >= 0


def _clean(text: str) -> str:
    text = _BULLETS.sub(" ", unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", " ", text)


def _tail(text: str, words: int) -> str:
    """The last `words` words of `text`, with the space after them if there is one."""
    if words == 0:
        return ""
    parts = re.findall(r"\S+\s*", text)
    return "".join(parts[-words:]) if len(parts) >= words else ""


def _head(text: str, words: int) -> str:
    if words == 0:
        return ""
    parts = re.findall(r"\s*\S+", text)
    return "".join(parts[:words]) if len(parts) >= words else ""


def _tries() -> list[tuple[int, int]]:
    found = [(0, 0)]
    for n in range(1, _CONTEXT + 1):
        found += [(n, n), (n, 0), (0, n)]
        if n > 1:
            found += [(n - 1, n), (n, n - 1)]
    return found


def find(visible: Visible, context: Context) -> Found:
    """The quote in the answer, once, with the fewest words of context that make it so."""
    quote = _clean(context.quote).strip()
    before, after = _clean(context.before), _clean(context.after)
    if quote:
        before, after = before.rstrip() + (" " if before[-1:].isspace() else ""), after
    seen = 0
    need = 0 if len(quote.split()) >= _ALONE else min(2, len(before.split()) + len(after.split()))
    for b, a in _tries():
        if b + a < need:
            continue
        head, tail = _tail(before, b), _head(after, a)
        if (b and not head) or (a and not tail):
            continue
        needle = head + quote + tail
        if not needle.strip():
            continue
        places = occurrences(visible.text, needle)
        seen = seen if seen else max(seen, len(places))
        if len(places) == 1:
            start = places[0] + len(head)
            return Found(start, start + len(quote))
    return Found(count=seen)


def blocks_of(visible: Visible, found: Found) -> set[int]:
    """The blocks (paragraphs, items, rows) a found stretch is in."""
    end = max(found.end, found.start + 1)
    return set(visible.block[found.start : min(end, len(visible.block))])

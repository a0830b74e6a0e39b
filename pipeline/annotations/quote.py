"""The words under a mark: a page's glyphs as one running text (`Flow`), and the stretch of it
that a highlight's quadrilaterals, a box, or a caret's point picks out.

A glyph is under a box when most of its width is inside it and its middle is between the box's
top and bottom (viewers draw a highlight a little taller or shorter than the line). Words are
read in drawing order; a new line, or a gap wider than an eighth of the font size between two
glyphs (a tab, a table's next cell, a producer that draws no spaces), reads as a space.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pipeline.annotations.glyphs import Glyph

Box = tuple[float, float, float, float]
"""x0, y0, x1, y1 in the page's default space."""


@dataclass(frozen=True, slots=True)
class Flow:
    """A page's text as read: each character's glyph (-1 for a space read between glyphs)."""

    text: str
    glyph_of: tuple[int, ...]
    glyphs: tuple[Glyph, ...]

    def span(self, indexes: set[int]) -> tuple[int, int] | None:
        """The stretch of text (start, end) that the glyphs `indexes` cover, spaces trimmed."""
        chars = [i for i, g in enumerate(self.glyph_of) if g in indexes]
        if not chars:
            return None
        start, end = chars[0], chars[-1] + 1
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def words(self, start: int, end: int) -> str:
        return " ".join(self.text[start:end].split())

    def find(self, needle: str) -> list[int]:
        """Where `needle` starts in the text, spacing and compatibility forms aside."""
        letters = [(c, i) for i, c in enumerate(self.text) if not c.isspace()]
        haystack = unicodedata.normalize("NFKC", "".join(c for c, _ in letters))
        if len(haystack) != len(letters):  # a ligature widened it: positions are approximate
            letters = [(c, letters[min(i, len(letters) - 1)][1]) for i, c in enumerate(haystack)]
        wanted = "".join(unicodedata.normalize("NFKC", needle).split())
        found, start = [], haystack.find(wanted) if wanted else -1
        while start >= 0:
            found.append(letters[start][1])
            start = haystack.find(wanted, start + 1)
        return found


def flow(glyphs: list[Glyph]) -> Flow:
    text: list[str] = []
    owner: list[int] = []
    for index, glyph in enumerate(glyphs):
        if index:
            before = glyphs[index - 1]
            gap = glyph.x0 - before.x1
            apart = glyph.run != before.run or gap > 0.12 * max(glyph.size, before.size)
            if apart and not glyph.space and not before.space:
                text.append(" ")
                owner.append(-1)
        for char in glyph.text:
            text.append(" " if char.isspace() else char)
            owner.append(index)
    return Flow("".join(text), tuple(owner), tuple(glyphs))


def _inside(glyph: Glyph, box: Box) -> bool:
    width = glyph.x1 - glyph.x0
    overlap = min(glyph.x1, box[2]) - max(glyph.x0, box[0])
    middle = (glyph.y0 + glyph.y1) / 2
    across = overlap >= 0.5 * width if width > 0 else box[0] <= glyph.x0 <= box[2]
    return across and box[1] <= middle <= box[3]


def under(page: Flow, boxes: list[Box]) -> tuple[int, int] | None:
    """The stretch of the page's text under `boxes` (None when no text is)."""
    return page.span({i for i, g in enumerate(page.glyphs) if any(_inside(g, b) for b in boxes)})


def caret(page: Flow, box: Box) -> int | None:
    """Where a caret drawn in `box` points: the place in the page's text between two glyphs
    nearest its middle, on a line its box overlaps (Acrobat draws it under the baseline)."""
    middle = (box[0] + box[2]) / 2
    best: tuple[float, int] | None = None
    for position, index in enumerate(page.glyph_of):
        if index < 0:
            continue
        glyph = page.glyphs[index]
        if glyph.y1 < box[1] or glyph.y0 > box[3]:
            continue
        for edge, at in ((glyph.x0, position), (glyph.x1, position + 1)):
            distance = abs(edge - middle)
            if best is None or distance < best[0]:
                best = (distance, at)
    return best[1] if best else None


def nearest_line(page: Flow, box: Box) -> tuple[int, int] | None:
    """The line of text nearest a mark that covers none (a note in the margin, a drawing): the
    run whose middle is closest to the box's middle."""
    best: tuple[float, int] | None = None
    middle = (box[1] + box[3]) / 2
    for glyph in page.glyphs:
        distance = abs((glyph.y0 + glyph.y1) / 2 - middle)
        if not glyph.space and (best is None or distance < best[0]):
            best = (distance, glyph.run)
    if best is None:
        return None
    return page.span({i for i, g in enumerate(page.glyphs) if g.run == best[1]})

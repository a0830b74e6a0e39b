"""Theme banner rows: the theme's name (any case) at the start of the first cell, whatever debris
the export left in the row; an aim cut across cells mid-word is joined again."""

from __future__ import annotations

import difflib
import re

from pipeline.plan import blocks
from pipeline.plan.cells import column_letter, is_debris, join_cut, read_tick
from pipeline.plan.layout import Layout


def banner(layout: Layout, number: int, cells: list[str]) -> tuple[str, str] | None:
    """The theme a banner row opens and its aim: the theme's name (any case) at the start of
    the first cell, whatever debris follows in the row; an aim cut across cells is joined."""
    first = cells[0] if cells else ""
    if not first or blocks.GOAL.match(first):
        return None
    for theme in sorted(layout.themes, key=lambda t: -len(t.name)):
        match = re.match(rf"{re.escape(theme.name)}(?=$|\W)", first, re.I)
        if not match:
            continue
        rest = first[match.end() :]
        sep = re.match(r"\s*[:–\-]\s*", rest)
        if sep:
            aim = rest[sep.end() :]
        elif not rest.strip() or (rest[:1].isspace() and rest.strip()[:1].isupper()):
            aim = rest.strip()
        else:
            return None  # "visibility of technicians": a goal's line
        if any(read_tick(cells[c])[0] for c in layout.strategic if c < len(cells)):
            return None
        pieces: list[int] = []
        col = 1
        while col < len(cells) and not is_debris(cells[col]):
            pieces.append(col)
            col += 1
        stray = [c for c in range(col, len(cells)) if cells[c]]
        loose = [c for c in stray if not is_debris(cells[c])]
        if loose:
            layout.problem(
                number,
                "plan-banner",
                f"the {theme.name} banner row has {cells[loose[0]]!r} under "
                f"{layout.column_name(loose[0])!r}; a banner row holds the theme and its aim only",
                col=loose[0],
            )
            return theme.name, aim or theme.aim
        if stray:
            marks = " ".join(repr(cells[c]) for c in stray)
            layout.repair(
                number,
                stray[0],
                "banners",
                "stray marks in banner rows ignored",
                f"{marks} in the {theme.name} banner row ignored",
            )
        if pieces:
            for col in pieces:
                aim = join_cut(aim, cells[col], layout.known_words(cells))
            last = column_letter(pieces[-1])
            layout.repair(
                number,
                0,
                "banners",
                "theme aims rejoined across cells",
                f"the {theme.name} aim, cut across cells A{number}:{last}{number}, read as {aim!r}",
            )
        return theme.name, aim.strip() or theme.aim
    return None


def unknown_theme(layout: Layout, cells: list[str]) -> tuple[str, str, str] | None:
    """(name as written, the theme it is near, the aim) when a row looks like a banner of a
    theme the form does not have."""
    first = cells[0] if cells else ""
    if not first or any(not is_debris(c) for c in cells[1:]) or blocks.GOAL.match(first):
        return None
    if ":" not in first:
        return None
    name, aim = (part.strip() for part in first.split(":", 1))
    names = [t.name for t in layout.themes]
    near = difflib.get_close_matches(name, names, n=1, cutoff=0.7)
    if not near or len(name.split()) > 4:
        return None
    return name, near[0], aim

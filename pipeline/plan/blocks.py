"""Which goal each action row of a theme serves.

In the spreadsheet a goal's cell is merged over its actions and its text sits at the top: each
goal starts on the row of its code. A text export of such a sheet puts a merged cell's wrapped
lines in the *middle* rows of its block (the text is centred vertically): the code can come two
or three rows below the goal's first action, its lines can be separated by a row with an empty
Goal cell, and the rows above a theme's first code belong to that goal. Such a block is found
again by centring: the rows above a goal's text and below it are as even as they can be.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

GOAL = re.compile(r"^\s*([A-Za-z]{1,3}\d{1,2})\s*[:.\-–]\s*(.*)$", re.S)
_OPEN_ENDS = {"of", "and", "the", "to", "for", "in", "across", "with", "a", "an", "on", "by", "at"}
_LINE_GAP = 2
"""A goal's next line is at most this many rows below its last (one empty Goal cell between)."""


@dataclass
class Span:
    """A goal's text as found in its rows: its code, its lines, and where they are."""

    code: str
    title: str
    start: int
    """Index (within the theme's rows) of the row of its code."""
    end: int
    """Index of the row of its last line."""
    gapped: bool = False
    """Its lines were separated by a row with an empty Goal cell."""
    joined: list[int] = field(default_factory=list)
    """Indexes of the rows whose text was joined to it as further lines."""


@dataclass
class Trouble:
    """Something in the Goal column that cannot be read without guessing."""

    index: int
    code: str
    message: str


def code_order(code: str) -> tuple[str, int]:
    """A goal code's place among its theme's: V2 before V10."""
    letters = code.rstrip("0123456789")
    return letters.upper(), int(code[len(letters) :] or 0)


def _continues(previous: str, line: str) -> bool:
    """Whether `line` reads as the next line of `previous`, not as a goal of its own."""
    if line[:1].islower() or line[:1].isdigit():
        return True
    last = previous.rstrip().rsplit(" ", 1)[-1].lower() if previous.strip() else ""
    return last in _OPEN_ENDS or previous.rstrip().endswith((",", "-", "–", "&"))


def find_spans(texts: list[str]) -> tuple[list[Span], list[Trouble]]:
    """The goals whose codes and lines are in `texts` (the Goal cells of a theme's rows)."""
    spans: list[Span] = []
    troubles: list[Trouble] = []
    for index, text in enumerate(texts):
        text = text.strip()
        if not text:
            continue
        match = GOAL.match(text)
        if match:
            code, title = match[1].upper(), " ".join(match[2].split())
            if spans and spans[-1].code == code:  # the goal written again on each of its rows
                same = spans[-1]
                if title and title != same.title:
                    troubles.append(
                        Trouble(
                            index,
                            "plan-goal-twice",
                            f"{code} is written with another title ({title!r}, not "
                            f"{same.title!r}); give each goal one title",
                        )
                    )
                same.end = index
                continue
            if any(s.code == code for s in spans):
                troubles.append(
                    Trouble(index, "plan-goal-twice", f"a second goal {code} in this theme")
                )
                continue
            spans.append(Span(code, title, index, index))
            continue
        last = spans[-1] if spans else None
        if last is None:
            troubles.append(
                Trouble(
                    index,
                    "plan-goal-code",
                    f"goal {text!r} has no code such as V1:, and no goal above it that it could "
                    "continue; start the goal with its code",
                )
            )
        elif index - last.end > _LINE_GAP or not _continues(last.title, text):
            troubles.append(
                Trouble(
                    index,
                    "plan-goal-code",
                    f"goal {text!r} has no code such as V1:; write its code, or join it to "
                    f"{last.code}'s text if it is the next line of it",
                )
            )
        else:
            last.title = f"{last.title} {' '.join(text.split())}".strip()
            last.gapped = last.gapped or index - last.end > 1
            last.end = index
            last.joined.append(index)
    return spans, troubles


def is_centred(spans: list[Span]) -> bool:
    """Whether a theme's goal cells were exported centred: rows above its first code, or a
    goal's lines separated by an empty Goal cell."""
    return bool(spans) and (spans[0].start > 0 or any(s.gapped for s in spans))


def _strict(above: int, below: int) -> bool:
    """Centred, or a row high of centre when the rows left over are odd."""
    return above <= below <= above + 1


def _loose(above: int, below: int) -> bool:
    """Centred to within a row either way."""
    return abs(above - below) <= 1


def allocate(rows: int, spans: list[Span], centred: bool) -> tuple[list[int], list[int]]:
    """The goal (index into `spans`) of each of `rows` rows, and the indexes of rows that could
    belong to either of two goals (centred only).

    Top-aligned: a goal owns the rows from its code to the next code. Centred: the rows between
    two goals' texts are shared so that each goal's text is at the centre of its block, or a
    row above it when the rows left over are odd (failing that, a row below it), as near the
    centre as can be over the theme. When more than one sharing is as good, the rows in question
    are ambiguous; when none fits, all rows between the goals' texts are."""
    if not spans:
        return [], []
    owner = [0] * rows
    if not centred:
        for number, span in enumerate(spans):
            end = spans[number + 1].start if number + 1 < len(spans) else rows
            for index in range(span.start, end):
                owner[index] = number
        return owner, []
    gaps = [spans[i + 1].start - spans[i].end - 1 for i in range(len(spans) - 1)]
    head, tail = spans[0].start, rows - spans[-1].end - 1
    choices: list[list[int]] | None = None
    for fits in (_strict, _loose):
        choices = _choices(head, tail, gaps, fits)
        if choices is not None:
            break
    ambiguous: list[int] = []
    for index in range(spans[0].end + 1):
        owner[index] = 0
    for i, gap in enumerate(gaps):
        start = spans[i].end + 1
        options = choices[i] if choices is not None else [0, gap]
        below = min(options)
        if len(options) > 1:
            ambiguous += range(start + min(options), start + max(options))
        for index in range(start, start + gap):
            owner[index] = i if index < start + below else i + 1
        for index in range(spans[i + 1].start, spans[i + 1].end + 1):
            owner[index] = i + 1
    for index in range(spans[-1].end + 1, rows):
        owner[index] = len(spans) - 1
    return owner, ambiguous


def _choices(
    head: int, tail: int, gaps: list[int], fits: Callable[[int, int], bool]
) -> list[list[int]] | None:
    """For each gap between two goals' texts, the rows below the first goal's text in the best
    sharings of every gap: each goal's rows above and below its text `fits`, and their
    differences add up to the least; None when no sharing fits."""
    # reach[i][above]: the least cost of the goals before i, given goal i's rows above its text
    reach: list[dict[int, int]] = [{head: 0}]
    for i, gap in enumerate(gaps):
        step: dict[int, int] = {}
        for a, cost in reach[i].items():
            for b in range(gap + 1):
                if fits(a, b):
                    total = cost + abs(a - b)
                    step[gap - b] = min(step.get(gap - b, total), total)
        reach.append(step)
    # rest[i][above]: the least cost of goal i and those after it
    rest: list[dict[int, int]] = [{} for _ in reach]
    rest[-1] = {a: abs(a - tail) for a in reach[-1] if fits(a, tail)}
    for i in range(len(gaps) - 1, -1, -1):
        for a in reach[i]:
            costs = [
                abs(a - b) + rest[i + 1][gaps[i] - b]
                for b in range(gaps[i] + 1)
                if fits(a, b) and gaps[i] - b in rest[i + 1]
            ]
            if costs:
                rest[i][a] = min(costs)
    if not rest[0]:
        return None
    best = rest[0][head]
    return [
        sorted(
            {
                b
                for a, cost in reach[i].items()
                for b in range(gap + 1)
                if fits(a, b)
                and gap - b in rest[i + 1]
                and cost + abs(a - b) + rest[i + 1][gap - b] == best
            }
        )
        for i, gap in enumerate(gaps)
    ]

"""The form found in a Word body: the front (title, the institution's fields, contents,
guidance), each question's prompt and the blocks of its answer, the sign-off, and what follows
it (the plan, the form's Appendix A of examples, appendices).

Prompts are found in paragraphs, headings, Word-numbered items and table cells (the answer in
the cell beside or below). A question is found once; one asked only by its number must come
after the last found, so a list item numbered 3 inside an answer is not taken for question 3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.form import Form
from pipeline.importer.prompts import BY_NUMBER, GUIDANCE, Match, match, squeeze
from pipeline.word.blocks import Block, Para, Reader, TableBlock, wrapped
from pipeline.word.package import Lookups, W

_SIGNOFF = re.compile(
    r"^\s*(sign[- ]?off|signatures?|declaration|signed(\s*\(.*\))?)\s*:?\s*$", re.I | re.S
)
_APPENDIX_A = re.compile(r"^\s*appendix\s+a\b", re.I)
_APPENDIX = re.compile(r"^\s*appendix\s+([a-z]|\d+)\b", re.I)


@dataclass
class Piece:
    """A block of the body, or a table cell's content, with where it stood."""

    block: Block
    top: int
    """The index of the body element it is in."""
    where: str
    """`paragraph 12`, `table 2, row 3`: how the summary points at it."""


@dataclass
class Answer:
    number: int
    how: str
    where: str
    pieces: list[Piece] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


@dataclass
class Found:
    """The body, divided."""

    front: list[Piece] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)
    signoff: list[Piece] = field(default_factory=list)
    after: list[Piece] = field(default_factory=list)


def style_name(block: Block, lookups: Lookups) -> str:
    if not isinstance(block, Para) or not block.elements:
        return ""
    style = block.elements[0].find(f"{W}pPr/{W}pStyle")
    return lookups.style_name(style.get(f"{W}val") if style is not None else None)


def prominent(para: Para, lookups: Lookups) -> bool:
    """A heading, a prompt, a paragraph bold throughout, one ending as a question does, or a
    short one that is not a sentence."""
    text = para.text.strip()
    bold = all(s.bold for s in para.spans if s.kind == "text" and s.text.strip())
    return (
        para.kind in ("heading", "prompt", "item")
        or (bold and bool(text))
        or (len(text.split()) <= 40 and text.endswith(("?", ":")))
        or (len(text.split()) <= 15 and not text.endswith("."))
    )


class Locator:
    def __init__(self, form: Form, lookups: Lookups, children: list[Any]) -> None:
        self.form = form
        self.lookups = lookups
        self.children = children
        self.questions = {q.number: q for q in form.questions}
        self.index = {id(child): i for i, child in enumerate(children)}
        self.reader = Reader(lookups, chunks=True)

    # -- the body as pieces ---------------------------------------------------------------
    def pieces(self) -> list[Piece]:
        out: list[Piece] = []
        paragraphs = tables = 0
        for block, top in self.reader.blocks(self.children):
            if isinstance(block, TableBlock):
                tables += 1
                out.append(Piece(block, self.index[id(top)], f"table {tables}"))
            elif block.elements[0].tag == f"{W}altChunk":  # not a paragraph: not counted
                out.append(Piece(block, self.index[id(top)], f"after paragraph {paragraphs}"))
            else:
                paragraphs += 1
                out.append(Piece(block, self.index[id(top)], f"paragraph {paragraphs}"))
        return out

    def cells(self, piece: Piece) -> list[list[list[Piece]]]:
        """A table's rows of cells, each cell's content read whole (nested tables too)."""
        assert isinstance(piece.block, TableBlock)
        table = piece.block.elements[0]
        rows = []
        for r, tr in enumerate(wrapped(table, "tr"), start=1):
            row = []
            for tc in wrapped(tr, "tc"):
                content = [
                    Piece(b, piece.top, f"{piece.where}, row {r}")
                    for b, _ in self.reader.blocks(list(tc))
                ]
                row.append(content)
            rows.append(row)
        return rows

    # -- prompts --------------------------------------------------------------------------
    def prompt(self, block: Block, found: dict[int, Answer], in_cell: bool = False) -> Match | None:
        if not isinstance(block, Para) or style_name(block, self.lookups).startswith("toc"):
            return None
        text = block.text.strip()
        if not text or len(text) > 1500:
            return None
        number = block.number if block.kind == "item" and block.list_kind == "ordered" else None
        hit = match(text, self.questions, in_cell or prominent(block, self.lookups), number)
        if hit is None or hit.number in found:
            return None
        last = max(found, default=0)
        if hit.how == BY_NUMBER and hit.number < last:
            return None
        return hit

    def locate(self) -> Found:
        found = Found()
        state = "front"
        current: Answer | None = None
        for piece in self.pieces():
            block = piece.block
            if state == "after":
                found.after.append(piece)
                continue
            if state == "signoff":
                if (
                    isinstance(block, Para) and block.kind == "heading" and not self._signoff(block)
                ) or (isinstance(block, TableBlock) and self._plan_header(block)):
                    state = "after"
                    found.after.append(piece)
                else:
                    found.signoff.append(piece)
                continue
            if isinstance(block, Para) and self._signoff(block) and found.answers:
                state = "signoff"
                found.signoff.append(piece)
                continue
            if found.answers and isinstance(block, Para) and _APPENDIX.match(block.text):
                state = "after"  # an appendix with no sign-off before it
                found.after.append(piece)
                continue
            if isinstance(block, TableBlock) and self._form_table(piece, found):
                current = max(found.answers.values(), key=lambda a: a.number)
                state = "answers"
                continue
            hit = self.prompt(block, found.answers)
            if hit is not None:
                current = Answer(hit.number, hit.how, _where(piece))
                found.answers[hit.number] = current
                state = "answers"
                continue
            if current is None:
                found.front.append(piece)
            elif not current.pieces and self._repeats(block, current.number):
                current.left_out.append(f"the prompt repeated ({piece.where})")
            else:
                current.pieces.append(piece)
        return found

    def _repeats(self, block: Block, number: int) -> bool:
        """A block right after a prompt that is more of the prompt (its wording under a
        `Question 3` heading) or the form's guidance."""
        if not isinstance(block, Para):
            return False
        text = block.text.strip()
        if GUIDANCE.match(text):
            return True
        hit = match(text, {number: self.questions[number]}, True)
        return hit is not None and hit.how != BY_NUMBER

    def _signoff(self, block: Para) -> bool:
        text = block.text.strip()
        if not text or len(text) > 200:
            return False
        squeezed = squeeze(text)
        captions = [squeeze(c) for c in self.form.signoff]
        return bool(_SIGNOFF.match(text)) or any(c and squeezed.startswith(c) for c in captions)

    def _plan_header(self, block: TableBlock) -> bool:
        from pipeline.plan.sheet import holds_header

        return any(
            holds_header({i: " ".join(p.text for p in cell) for i, cell in enumerate(row)})
            for row in block.rows[:3]
        )

    def _form_table(self, piece: Piece, found: Found) -> bool:
        """A table holding prompts: each prompt's answer is the cell beside it, else below."""
        rows = self.cells(piece)
        hits: list[tuple[int, int, Match]] = []
        probe = dict(found.answers)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                first = next(
                    (p for p in cell if isinstance(p.block, Para) and p.block.text.strip()), None
                )
                hit = self.prompt(first.block, probe, in_cell=True) if first else None
                if hit is not None:
                    hits.append((r, c, hit))
                    probe[hit.number] = Answer(hit.number, hit.how, "")
        if not hits:
            return False
        prompts = {(r, c) for r, c, _ in hits}
        for r, c, hit in hits:
            answer = Answer(hit.number, hit.how, f"a cell of {piece.where}, row {r + 1}")
            cell = rows[r][c]
            start = next(
                i for i, p in enumerate(cell) if isinstance(p.block, Para) and p.block.text.strip()
            )
            answer.pieces += cell[start + 1 :]  # the answer written under the prompt, in its cell
            if c + 1 < len(rows[r]) and (r, c + 1) not in prompts:
                answer.pieces += rows[r][c + 1]
            elif r + 1 < len(rows) and (r + 1, c) not in prompts and c < len(rows[r + 1]):
                answer.pieces += rows[r + 1][c]
            kept = []
            for p in answer.pieces:
                if isinstance(p.block, Para) and GUIDANCE.match(p.block.text.strip()):
                    answer.left_out.append(f"the form's guidance ({p.where})")
                else:
                    kept.append(p)
            answer.pieces = kept
            found.answers[hit.number] = answer
        return True


def _where(piece: Piece) -> str:
    """`the heading 'Question 3' (paragraph 40)`: where a prompt was found, as the summary says."""
    block = piece.block
    assert isinstance(block, Para)
    kind = {"heading": "the heading", "item": "the numbered item"}.get(block.kind, "the paragraph")
    text = " ".join(block.text.split())
    shown = text if len(text) <= 40 else text[:39] + "…"
    return f"{kind} {shown!r} ({piece.where})"


def is_appendix_a(block: Block) -> bool:
    """The form's own Appendix A of example activities, by its title."""
    return (
        isinstance(block, Para)
        and bool(_APPENDIX_A.match(block.text))
        and ("example" in block.text.lower() or len(block.text.split()) <= 3)
    )


def appendix_title(block: Block) -> str | None:
    """The title an appendix starts with: a Heading 1, or a paragraph `Appendix B: ...`."""
    if not isinstance(block, Para) or not block.text.strip():
        return None
    if (block.kind == "heading" and block.level == 1) or _APPENDIX.match(block.text):
        return " ".join(block.text.split())
    return None

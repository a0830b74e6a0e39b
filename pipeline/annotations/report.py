"""`pack review FILE.pdf`: every reviewer's annotation, grouped by where it sits, in reading
order, as lines of text or as the DOCX review's items.

An item has the DOCX review's keys (`question`, `kind`, `author`, `date`, `text`, `anchor`,
`detail`) and four of a PDF's own: `page` (from 1), `where` (the section: `Contents`, a
question's heading, the plan, `Appendix B: ..., its page 2`, or `Page 3` in a PDF `pack` did
not make), `source` (`answers/1-profile.md:7` where the marked words are found in an answer;
`action-plan.xlsx:14` for an action of the plan) and `stale` (the answer changed since the pack
was built, so the line is where those words are now, if they still are).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.annotations.place import Placed
from pipeline.annotations.read import Mark
from pipeline.text import plural

EDIT_KINDS = {"delete": "deletion", "insert": "insertion", "replace": "edit"}


@dataclass(slots=True)
class PdfItem:
    """One annotation (or one reply) as `pack review` lists it."""

    question: int | None
    kind: str
    author: str
    date: str
    text: str
    anchor: str
    detail: str
    page: int
    where: str
    source: str
    stale: bool
    reply: bool = False

    def public(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "kind": self.kind,
            "author": self.author,
            "date": self.date,
            "text": self.text,
            "anchor": self.anchor,
            "detail": self.detail,
            "page": self.page,
            "where": self.where,
            "source": self.source,
            "stale": self.stale,
        }


def _detail(mark: Mark, placed: Placed) -> str:
    if placed.edit == "replace":
        return "replacement"
    return mark.kind


def items(placed: list[Placed], plan_rows: dict[int, str] | None = None) -> list[PdfItem]:
    """Each placed mark as an item, its replies after it; `plan_rows` gives the plan's goal
    and action for a mark (by its index) on the action plan."""
    found: list[PdfItem] = []
    for index, place in enumerate(placed):
        mark = place.mark
        question = place.section.number if place.section.kind == "question" else None
        where = place.section.label(mark.page)
        source = place.source or (plan_rows or {}).get(index, "")
        stale = bool(place.answer and place.answer.stale)
        kind = EDIT_KINDS.get(place.edit, "comment")
        text = place.new if place.edit in ("insert", "replace") else mark.text
        if place.edit == "delete":
            text = place.quote
        anchor = place.quote
        found.append(
            PdfItem(
                question,
                kind,
                mark.author,
                mark.date,
                text,
                anchor,
                _detail(mark, place),
                mark.page + 1,
                where,
                source,
                stale,
            )
        )
        if place.edit == "delete" and mark.text:
            found[-1].detail = f"strike-out, with the note {mark.text!r}"
        for reply in mark.replies:
            said = reply.text or (f"marked {reply.state}" if reply.state else "")
            detail = f"reply, {reply.state}" if reply.state else "reply"
            found.append(
                PdfItem(
                    question,
                    "comment",
                    reply.author,
                    reply.date,
                    said,
                    anchor,
                    detail,
                    mark.page + 1,
                    where,
                    source,
                    stale,
                    reply=True,
                )
            )
    return found


def _when(date: str) -> str:
    return date.replace("T", " ")[:16] if date else "no date"


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _at(item: PdfItem) -> str:
    where = f"{item.source}, page {item.page}" if item.source else f"page {item.page}"
    if item.stale:
        where += "; the answer changed since this pack was built"
    return where


def report(found: list[PdfItem]) -> list[str]:
    """The items as lines of text, under the section each is in."""
    lines: list[str] = []
    current = None
    for item in found:
        if item.where != current:
            current = item.where
            lines.append(item.where)
        who = f"{item.author or 'unknown'}, {_when(item.date)}"
        indent = "      " if item.reply else "  "
        if item.reply:
            lines.append(f"{indent}{item.detail} by {who}: {_short(item.text)!r}")
            continue
        if item.kind == "deletion":
            lines.append(f"  deletion ({item.detail}) by {who}: {_short(item.text)!r}")
        elif item.kind == "insertion":
            lines.append(f"  insertion by {who}: {_short(item.text)!r}")
        elif item.kind == "edit":
            lines.append(
                f"  replacement by {who}: {_short(item.anchor)!r} -> {_short(item.text)!r}"
            )
        else:
            said = f": {_short(item.text)!r}" if item.text else ""
            lines.append(f"  {item.detail} by {who}{said}")
        if item.anchor and item.kind == "comment":
            lines.append(f"      on: {_short(item.anchor)!r}")
        lines.append(f"      at {_at(item)}")
    return lines


def summary(found: list[PdfItem]) -> str:
    if not found:
        return "no annotations"
    kinds = ("comment", "deletion", "insertion", "edit")
    counts = [
        plural(sum(i.kind == k for i in found), "replacement" if k == "edit" else k) for k in kinds
    ]
    shown = [c for c in counts if not c.startswith("0 ")]
    questions = {i.question for i in found if i.question is not None}
    where = f" in {plural(len(questions), 'question')}" if questions else ""
    return f"{plural(len(found), 'item')}{where}: {', '.join(shown)}"


def comments_markdown(name: str, found: list[PdfItem]) -> str:
    """The comments (everything but applied edits) as a Markdown list per section."""
    lines = [f"# Reviewers' comments on {name}", ""]
    current = None
    for item in found:
        if item.where != current:
            current = item.where
            lines += [f"## {item.where}", ""]
        text = item.text or item.detail
        lines.append(
            f"- **{item.author or 'unknown'}**, {_when(item.date)} ({item.detail}): {text}".replace(
                "\n", "\n  "
            )
        )
        if item.anchor:
            lines.append(f"  > {item.anchor}")
        lines.append(f"  ({_at(item)})")
    if current is None:
        lines.append("No comments.")
    return "\n".join(lines).rstrip() + "\n"

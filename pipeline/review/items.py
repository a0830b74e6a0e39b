"""One thing a reviewer did, as `pack review` lists it, and where it is in the document."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.review.document import Reviewed

KINDS = ("comment", "insertion", "deletion", "move", "formatting", "edit")


@dataclass(slots=True)
class Item:
    """One thing a reviewer did."""

    question: int | None
    """The question it is in; None outside the questions (title page, sign-off, plan)."""
    kind: str
    """One of `KINDS`."""
    author: str
    date: str
    """As the file gives it (ISO 8601), or '' when it gives none."""
    text: str
    """The text inserted, deleted, moved or formatted (paragraph and line breaks as newlines);
    a footnote's text; a table row's cells, joined by ` | `."""
    anchor: str
    """The commented text; the paragraph a change is in, as it now reads; the source's words
    an untracked edit replaced."""
    detail: str = ""
    """What the change is when it is not plain text: `paragraph break`, `line break`, `tab`,
    `footnote`, `endnote`, `picture`, `table row`, `in a footnote`, `moved away`,
    `moved here`, or for formatting what changed (`italic`, `not bold`, `list level 2 to 3`)."""
    position: tuple[int, int] = (0, 0)
    """(body block, order within it): where it is in the document."""
    where: str = ""
    """For an item outside the questions, the heading it comes after."""

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        del data["position"], data["where"]
        return data


def locate(reviewed: Reviewed, index: int, item: Item) -> Item:
    """The item with its question (or, outside the questions, the heading it follows)."""
    item.question = reviewed.question_at(index)
    if item.question is None:
        item.where = reviewed.heading_before(index)
    return item

"""Reviewed blocks written as Markdown for one answer, in the ways its source already writes
them: its bullet and number markers, its items' indentation, its footnote labels and picture
paths (a picture reviewers added is saved beside the answer), its tables' alignment rows."""

from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import Path
from typing import Any

from pipeline.errors import HarvestError
from pipeline.review.baseline import Drafted
from pipeline.review.document import Reviewed
from pipeline.review.to_markdown import code_block, inline, signature, table
from pipeline.safety import image_suffix
from pipeline.word.blocks import Block, Para, Span, TableBlock

MARKER = re.compile(r"^((?:[ \t]*>[ \t]?)*)([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
"""A list item's first line: quote markers, indentation, the marker, the space after it."""
OPENING = re.compile(
    r"^(?:[ \t]*>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+(?=(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$))"
)
"""The markers of items that open with a list on the same line (`- - foo`, `1. - 2. foo`): all
but the last, which is the marker of the innermost item, the one whose text follows."""


class Writer:
    """Writes reviewed blocks as Markdown for one answer, with what its source already uses."""

    def __init__(self, base: Drafted, reviewed: Reviewed, folder: Path, number: int) -> None:
        self.base = base
        self.reviewed = reviewed
        self.folder = folder
        self.number = number
        self.new_notes: list[tuple[str, str]] = []
        self.edited_notes: dict[str, str] = {}
        """Label -> the new text of a footnote of the source that reviewers edited."""
        self.pictures: dict[Path, bytes] = {}
        self.bullet = "-"
        self.delimiter = "."
        for start, _ in base.spans:
            match = MARKER.match(base.lines[start]) if start < len(base.lines) else None
            if match:
                if match[3][0] in "-*+":
                    self.bullet = match[3]
                else:
                    self.delimiter = match[3][-1]
                break
        self.items: list[tuple[int, int, int]] = []  # (level, indent, content offset) emitted

    def note(self, span: Span) -> str:
        key = " ".join(span.ref.split())
        label = self.base.notes.get(key) or dict(self.new_notes).get(key) or self._edited(key)
        if label is None:
            used = set(self.base.notes.values()) | {lab for _, lab in self.new_notes}
            label = next(str(n) for n in range(1, 10_000) if str(n) not in used)
            self.new_notes.append((key, label))
        return f"[^{label}]"

    def _edited(self, text: str) -> str | None:
        """The label of the source's footnote that reviewers edited into `text`, if one was:
        most of its words are still there. Its definition is then rewritten in place."""
        for label, known in self.edited_notes.items():
            if known == text:
                return label
        words = text.split()
        best, best_ratio = None, 0.5
        for old, label in self.base.notes.items():
            if label in self.edited_notes:
                continue
            ratio = difflib.SequenceMatcher(None, old.split(), words, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = label, ratio
        if best is not None:
            self.edited_notes[best] = text
        return best

    def picture(self, span: Span) -> str:
        alt = span.ref.replace("\\", "\\\\").replace("]", "\\]").replace("[", "\\[")
        src = self.base.pictures.get(span.ref)
        if src is None:
            if not span.media:
                raise HarvestError(
                    f"{self.reviewed.path}: question {self.number}: a picture without its image file"
                )
            data = self.reviewed.docx.data(span.media)
            suffix = image_suffix(data)
            if suffix is None:
                raise HarvestError(
                    f"{self.reviewed.path}: question {self.number}: a picture in a format Markdown answers cannot hold ({span.media})"
                )
            name = f"images/reviewed-{hashlib.sha256(data).hexdigest()[:10]}{suffix}"
            self.pictures[self.folder / name] = data
            src = name
        return f"![{alt}]({src})"

    def remember(self, text: str, block: Block) -> None:
        """Note the list item just written, for the indentation of those that follow."""
        if isinstance(block, Para) and block.kind == "item":
            match = MARKER.match(text)
            if match:
                indent = len(match[1]) + len(match[2])
                offset = len(match[0]) if match[4] else len(match[0]) + 1
                self.items = [i for i in self.items if i[0] < block.level] + [
                    (block.level, indent, offset)
                ]

    def block(self, block: Block, old: str | None = None, was: Block | None = None) -> str:
        """A block's Markdown (no final newline); `old` is the source lines it replaces, and
        `was` the block they made."""
        if isinstance(block, TableBlock):
            return self.table(block, old, was)
        kind = block.kind
        if kind == "code":
            return code_block(block)
        if kind == "hr":
            return "---"
        text = inline(block.spans, self.note, self.picture)
        if kind == "heading":
            return "#" * max(1, block.level - 1) + " " + text.replace("\\\n", " ")
        if kind == "quote":
            return "> " + text.replace("\n", "\n> ")
        if kind == "item":
            prefix = self._item_prefix(block, old, was)
            return prefix + text.replace("\n", "\n" + " " * len(prefix))
        if kind == "cont":
            indent = " " * (self.items[-1][2] if self.items else 0)
            return indent + text.replace("\n", "\n" + indent)
        return text

    def table(self, block: TableBlock, old: str | None, was: Block | None) -> str:
        """A table, keeping the source's lines for the rows reviewers left alone."""
        old_lines = old.split("\n") if old else []
        delimiter = old_lines[1] if len(old_lines) > 1 else None
        text = table(block, self.note, self.picture, delimiter)
        if not isinstance(was, TableBlock) or len(old_lines) != len(was.rows) + 1:
            return text
        new_lines = text.split("\n")
        old_rows, new_rows = [old_lines[0], *old_lines[2:]], [new_lines[0], *new_lines[2:]]
        before: Any = signature(was)[2]  # the rows, each a tuple of cells
        after: Any = signature(block)[2]
        rows: list[str] = []
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            rows += old_rows[i1:i2] if tag == "equal" else new_rows[j1:j2]
        return "\n".join([rows[0], new_lines[1], *rows[1:]])

    def _item_prefix(self, block: Para, old: str | None, was: Block | None = None) -> str:
        opening = OPENING.match(old) if old else None
        if old and opening:  # the items this line opens, kept; the rest is this item's
            return opening[0] + self._item_prefix(block, old[opening.end() :], was)
        match = MARKER.match(old) if old else None
        ordered = block.list_kind == "ordered"
        moved = isinstance(was, Para) and was.kind == "item" and was.level != block.level
        if match and moved and (match[3][0].isdigit()) == ordered:  # indented or outdented
            marker = f"{block.number}{match[3][-1]}" if ordered else match[3]
            return " " * self._indent_at(block.level) + marker + (match[4] or " ")
        if match and (match[3][0].isdigit()) == ordered:
            if not ordered or int(match[3][:-1]) == block.number:
                return match[0] if match[4] else match[0] + " "
            return f"{match[1]}{match[2]}{block.number}{match[3][-1]}{match[4] or ' '}"
        marker = f"{block.number}{self.delimiter}" if ordered else self.bullet
        return " " * self._indent_at(block.level) + marker + " "

    def _indent_at(self, level: int) -> int:
        """Where an item at `level` starts: with its siblings, or in its parent's content."""
        same = next((i for i in reversed(self.items) if i[0] == level), None)
        parent = next((i for i in reversed(self.items) if i[0] == level - 1), None)
        return same[1] if same else parent[2] if parent else 0


def separator(a: Block | None, b: Block, tight: bool) -> str:
    """What goes between two written blocks: a blank line, unless both are items of a tight list."""
    if a is None:
        return ""
    listed = (isinstance(a, Para) and a.kind == "item", isinstance(b, Para) and b.kind == "item")
    return "" if all(listed) and tight else "\n"

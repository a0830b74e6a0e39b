"""An answer written back from its reviewed blocks: untouched blocks as their source lines,
changed ones merged into the lines of the block they were made from (see `lines`), new ones
written anew; and, as a last resort, the whole answer written anew."""

from __future__ import annotations

import difflib
import re

from pipeline.review import lines
from pipeline.review.baseline import Drafted
from pipeline.review.to_markdown import escape, list_places, signatures
from pipeline.review.writer import MARKER, Writer, separator
from pipeline.word.blocks import Block, Para, TableBlock


def assemble(base: Drafted, reviewed: list[Block], writer: Writer, merge: set[int]) -> str:
    """The answer rewritten: untouched blocks as their source lines, the rest written anew."""
    spans = base.spans

    def source(i: int) -> str:
        return "".join(base.lines[spans[i][0] : spans[i][1]])

    def gap(i: int) -> str:
        return "".join(base.lines[spans[i - 1][1] : spans[i][0]])

    item_gaps = [
        gap(i)
        for i in range(1, len(spans))
        if getattr(base.blocks[i], "kind", "") == getattr(base.blocks[i - 1], "kind", "") == "item"
    ]
    tight = not item_gaps or "" in item_gaps
    out: list[str] = ["".join(base.lines[: spans[0][0]]) if spans else ""]
    previous: Block | None = None
    previous_base: int | None = None  # the base block written last, if it was the last written

    verbatim = False  # whether the last block written is its source's own lines

    def emit(text: str, block: Block, at: int | None, same: bool = False) -> None:
        """Write a block; `at` is the base block whose place it takes, if any; `same` when
        `text` is that block's source, unchanged."""
        nonlocal previous, previous_base, verbatim
        verbatim = same
        if previous is None:
            between = ""
        elif at is not None and previous_base == at - 1:
            between = gap(at)
            if not same and not between and getattr(base.blocks[at], "kind", "") != block.kind:
                between = separator(previous, block, tight)  # a new kind of block: its own gap
        else:
            between = separator(previous, block, tight)
        if previous is not None and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(between)
        out.append(text)
        writer.remember(text, block)
        previous, previous_base = block, at

    def written(j: int, i: int | None) -> str:
        """Reviewed block `j` as Markdown, in the lines of base block `i` where it has one."""
        old = source(i).rstrip("\n") if i is not None else ""
        text = writer.block(reviewed[j], old or None, base.blocks[i] if i is not None else None)
        indent = _indent(text, reviewed[j])
        if j in merge and old:
            text = lines.merge(old, text, indent)
        if old:
            text = lines.keep_links(old, text)
        return lines.wrap(text, old, width, indent) if indent is not None else text

    width = lines.width_of(base.lines, spans)
    before = signatures(base.blocks)
    after = signatures(reviewed)
    opens = [first for first, _ in list_places(reviewed)]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                text = _starting(source(i), reviewed[j]) if opens[j] else source(i)
                emit(text, base.blocks[i], i, same=text == source(i))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                emit(written(j, i), reviewed[j], i)
        else:
            for j in range(j1, j2):
                first = j == j1 and i1 < i2  # takes the place of the first block it replaces
                like = _likeness(reviewed[j], base.blocks[i1:i2])
                made_from = i1 + like if like is not None else (i1 if first else None)
                emit(written(j, made_from), reviewed[j], i1 if first else None)
            previous_base = None
    rest = "".join(base.lines[spans[-1][1] :]) if spans else ""
    if not out[-1].endswith("\n") and (rest or not verbatim):
        out.append("\n")  # a block written anew ends its line; the source's last line may not
    return _finish("".join(out) + rest, base, writer)


def _starting(text: str, block: Block) -> str:
    """An untouched item's lines, as the first of its list now (the items before it deleted):
    its number is where Markdown starts counting, so it is the one Word shows."""
    match = MARKER.match(text)
    number = getattr(block, "number", None)
    if match is None or number is None or not match[3][:-1].isdigit():
        return text
    return f"{text[: match.start(3)]}{number}{text[match.end(3) - 1 :]}"


def _indent(text: str, block: Block) -> str | None:
    """The indentation of a paragraph's continuation lines, where it may be wrapped."""
    if not isinstance(block, Para):
        return None
    if block.kind == "item":
        match = MARKER.match(text)
        return " " * (len(match[0]) + (0 if match[4] else 1)) if match else None
    if block.kind == "p":
        return ""
    if block.kind == "cont":
        return text[: len(text) - len(text.lstrip(" "))]
    return None


def _likeness(block: Block, olds: list[Block]) -> int | None:
    """Which of `olds` a reviewed block was made from (most of its words are that block's,
    as when a paragraph is split or two are joined), if one was."""
    words = block.text.split()
    best, best_share = None, 0.5
    for n, old in enumerate(olds):
        if type(old) is not type(block):
            continue
        shared = sum(
            size
            for size in (
                m.size
                for m in difflib.SequenceMatcher(
                    None, old.text.split(), words, autojunk=False
                ).get_matching_blocks()
            )
        )
        share = shared / max(len(words), 1)
        if share > best_share:
            best, best_share = n, share
    return best


def _finish(text: str, base: Drafted, writer: Writer) -> str:
    """The answer with every footnote and link definition it needs: the source's own where the
    blocks beside them were rewritten, and one for each footnote reviewers added."""
    missing = [group for group in base.definitions if group not in text]
    for label, note in writer.edited_notes.items():  # rewritten where it stands, in its lines
        found = re.search(rf"^\[\^{re.escape(label)}\]:.*(?:\n(?!\[\^)[ \t]*\S.*)*", text, re.M)
        group = next((g for g in missing if f"\n{g}".find(f"\n[^{label}]:") >= 0), None)
        if group is not None:  # its definition was outside the lines kept: written with them
            missing[missing.index(group)] = group.replace(
                _definition(group, label), _edited(_definition(group, label), label, note)
            )
        elif found:
            text = text[: found.start()] + _edited(found[0], label, note) + text[found.end() :]
    missing += [f"[^{label}]: {escape(note)}\n" for note, label in writer.new_notes]
    return text.rstrip("\n") + "\n\n" + "\n".join(missing) if missing else text


def _definition(group: str, label: str) -> str:
    """One footnote's definition (its first line and those that continue it) in a group."""
    found = re.search(rf"^\[\^{re.escape(label)}\]:.*(?:\n(?!\[\^)[ \t]*\S.*)*", group, re.M)
    return found[0] if found else group


def _edited(definition: str, label: str, note: str) -> str:
    return lines.merge(definition, f"[^{label}]: {escape(note)}")


def regenerate(base: Drafted, reviewed: list[Block], writer: Writer) -> str:
    """The whole answer written anew from the reviewed blocks: the last resort. Even so, a
    table keeps the source's alignment row (the first of the source's tables with as many
    columns) and a link written as its own address keeps its form."""
    writer.items = []
    out: list[str] = []
    previous: Block | None = None
    tables = [
        "".join(base.lines[start:end]).rstrip("\n")
        for (start, end), was in zip(base.spans, base.blocks, strict=True)
        if isinstance(was, TableBlock)
    ]
    for block in reviewed:
        like = next((t for t in tables if _aligned(t, block)), None)
        text = lines.keep_links(base.text, writer.block(block, like))
        out.append(separator(previous, block, True) + text + "\n")
        writer.remember(text, block)
        previous = block
    return _finish("".join(out), base, writer)


def _aligned(table: str, block: Block) -> bool:
    """Whether a source table's alignment row says what `block`'s columns are."""
    rows = table.split("\n")
    if not isinstance(block, TableBlock) or len(rows) < 2:
        return False
    cells = [c.strip() for c in rows[1].strip().strip("|").split("|")]
    said = [
        "center"
        if c.startswith(":") and c.endswith(":")
        else "right"
        if c.endswith(":")
        else "left"
        for c in cells
    ]
    return said == [a if a in ("center", "right") else "left" for a in block.aligns]

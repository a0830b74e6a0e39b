"""`pack review`: what reviewers did to a draft, per question.

Each `comment` (its author, date, text and the text it is anchored to); each tracked change,
an `insertion`, `deletion`, `move` or `formatting` (author, date, text, what it is when it is
not text; anchored to the paragraph it is in, as it now reads: see `changes`); and each `edit`
made with tracking off: the words that differ from the sources the draft was made from
(anchored to the words they replaced). Untracked edits carry no
author in the file; they are given the document's last editor and save time.

Longer than most: the three kinds of item (comments, tracked changes, untracked edits) are
found here and must agree on how they anchor and order what they report; the words for a
formatting change are in `formatting`.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.errors import InputError
from pipeline.form import load_form
from pipeline.review.baseline import Rereader
from pipeline.review.changes import tracked_changes
from pipeline.review.document import Reviewed
from pipeline.review.items import KINDS, Item, locate
from pipeline.review.to_markdown import signatures
from pipeline.text import plural
from pipeline.word.blocks import Block, Para, Reader
from pipeline.word.package import W

_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"


def comments(reviewed: Reviewed) -> list[Item]:
    """Every comment, with the text it is anchored to (replies take their parent's anchor)."""
    part = next(
        (
            f"word/{target}"
            for kind, target, _ in reviewed.docx.relationships(reviewed.docx.main).values()
            if kind == "comments"
        ),
        None,
    )
    root = reviewed.docx.part(part) if part else None
    if root is None:
        return []
    anchors: dict[str, list[str]] = {}
    where: dict[str, tuple[int, int]] = {}
    open_ranges: set[str] = set()
    order = 0
    for index, child in enumerate(reviewed.children):
        for event, element in etree.iterwalk(child, events=("start", "end")):
            order += 1
            tag = element.tag
            if event == "end":
                if tag == f"{W}p":
                    for key in open_ranges:
                        anchors[key].append("\n")
                continue
            key = element.get(f"{W}id", "")
            if tag == f"{W}commentRangeStart":
                open_ranges.add(key)
                anchors.setdefault(key, [])
                where.setdefault(key, (index, order))
            elif tag == f"{W}commentRangeEnd":
                open_ranges.discard(key)
            elif tag == f"{W}commentReference":
                where.setdefault(key, (index, order))
            elif tag == f"{W}t" and open_ranges:
                for open_key in open_ranges:
                    anchors[open_key].append(element.text or "")
    parents = _reply_parents(reviewed, root)
    reader = Reader(reviewed.lookups)
    items = []
    for comment in root.iter(f"{W}comment"):
        key = comment.get(f"{W}id", "")
        origin = key
        while origin not in where and origin in parents:  # a reply: its parent's place
            origin = parents[origin]
        text = "\n".join(b.text for b, _ in reader.blocks(list(comment))).strip()
        index, order = where.get(origin, (len(reviewed.children), 0))
        item = Item(
            None,
            "comment",
            comment.get(f"{W}author", ""),
            comment.get(f"{W}date", ""),
            text,
            " ".join("".join(anchors.get(origin, [])).split()),
            position=(index, order),
        )
        items.append(locate(reviewed, index, item))
    return items


def _reply_parents(reviewed: Reviewed, comments_root: Any) -> dict[str, str]:
    """Comment id -> the id of the comment it replies to (Word's commentsExtended part)."""
    name = next((n for n in reviewed.docx.names if n.endswith("commentsExtended.xml")), None)
    extended = reviewed.docx.part(name) if name else None
    if extended is None:
        return {}
    by_paragraph = {}
    for comment in comments_root.iter(f"{W}comment"):
        paragraphs = comment.findall(f"{W}p")
        if paragraphs:
            by_paragraph[paragraphs[-1].get(f"{_W14}paraId", "")] = comment.get(f"{W}id", "")
    parents = {}
    for entry in extended.iter(f"{_W15}commentEx"):
        child = by_paragraph.get(entry.get(f"{_W15}paraId", ""))
        parent = by_paragraph.get(entry.get(f"{_W15}paraIdParent", ""))
        if child and parent:
            parents[child] = parent
    return parents


def _template(framework: str) -> Path:
    """The Word template the draft was made with, for its styles. An institution's own form
    file cannot be found from a reviewed file alone: the built-in form's template has every
    style the renderer uses (pack check insists on them), so it reads the answers the same."""
    try:
        return load_form(framework).template
    except InputError:
        return load_form().template


def untracked_edits(reviewed: Reviewed) -> list[Item]:
    """The words that differ from the draft's sources with every tracked change rejected."""
    record = reviewed.record
    if record is None:
        return []
    rereader = Rereader(_template(record.framework))
    author, date = reviewed.docx.core("lastModifiedBy"), reviewed.docx.core("modified")
    items: list[Item] = []
    for number, source in sorted(record.sources.items()):
        if number not in reviewed.regions:
            continue
        base = [b for b, _ in rereader.blocks(source.text, Path(source.path or "answer.md"))]
        now = reviewed.blocks(number, accepted=False)
        before = [_words(b) for b in base if _words(b)]
        after_blocks = [b for b in now if _words(b)]
        after = [_words(b) for b in after_blocks]
        matcher = difflib.SequenceMatcher(
            None, [" ".join(w) for w in before], [" ".join(w) for w in after], autojunk=False
        )
        worded = [b for b in base if _words(b)]
        marks = dict(zip(map(id, base), signatures(base), strict=True))
        marks |= dict(zip(map(id, now), signatures(now), strict=True))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for was, same in zip(worded[i1:i2], after_blocks[j1:j2], strict=True):
                    detail = _restyled(was, same, marks[id(was)] == marks[id(same)])
                    if detail and not _joined_onto(same):
                        item = Item(number, "edit", author, date, same.text, "", detail)
                        item.position = (_index_of(reviewed, same), 10**9)
                        items.append(item)
                continue
            old = [word for words in before[i1:i2] for word in words]
            new = [word for words in after[j1:j2] for word in words]
            block = after_blocks[j1] if j1 < len(after_blocks) else None
            index = _index_of(reviewed, block) if block else reviewed.regions[number].stop - 1
            for o1, o2, n1, n2 in _word_changes(old, new):
                items.append(
                    Item(
                        number,
                        "edit",
                        author,
                        date,
                        " ".join(new[n1:n2]),
                        " ".join(old[o1:o2]),
                        position=(index, 10**9),
                    )
                )
    return items


def _restyled(was: Block, now: Block, alike: bool) -> str:
    """What changed in a block whose words did not: '' if nothing did (`alike`: their
    signatures, numbers read as Markdown reads them, agree)."""
    if alike:
        return ""
    if isinstance(was, Para) and isinstance(now, Para):
        if was.kind == now.kind == "item" and was.level != now.level:
            return f"list level {was.level + 1} to {now.level + 1}"
        if was.kind != now.kind:
            return f"{_NAMES.get(was.kind, was.kind)} to {_NAMES.get(now.kind, now.kind)}"
    return "formatting"


def _joined_onto(block: Block) -> bool:
    """Whether the paragraph before this one has its mark deleted with tracking: the two are
    joined, and a program that gives the joined paragraph the first one's style (LibreOffice)
    writes that style on this one too, though no reviewer chose it."""
    previous = block.elements[0].getprevious() if block.elements else None
    mark = previous.find(f"{W}pPr/{W}rPr") if previous is not None else None
    return mark is not None and any(
        mark.find(f"{W}{tag}") is not None for tag in ("del", "moveFrom")
    )


_NAMES = {
    "p": "paragraph",
    "item": "list item",
    "quote": "quotation",
    "cont": "paragraph in a list",
}


def _words(block: Block) -> list[str]:
    return block.text.split()


def _word_changes(old: list[str], new: list[str]) -> list[tuple[int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _index_of(reviewed: Reviewed, block: Block) -> int:
    element = block.elements[0]
    while element.getparent() is not None and element.getparent().tag != f"{W}body":
        element = element.getparent()
    return next((i for i, child in enumerate(reviewed.children) if child is element), 0)


def review(reviewed: Reviewed) -> list[Item]:
    """Everything reviewers did, in document order."""
    tracked = tracked_changes(reviewed)
    edits = [e for e in untracked_edits(reviewed) if not _deleted_insertion(e, tracked)]
    return sorted(comments(reviewed) + tracked + edits, key=lambda item: item.position)


def _deleted_insertion(edit: Item, tracked: list[Item]) -> bool:
    """Whether an untracked 'addition' is text a tracked deletion removed from someone else's
    tracked insertion: a program that writes that deletion on its own (not inside the
    insertion) leaves its text in the view with every change rejected, though it never was
    in the source."""
    if edit.anchor or not edit.text:
        return False
    words = f" {' '.join(edit.text.split())} "
    return any(
        t.kind == "deletion"
        and t.question == edit.question
        and words in f" {' '.join(t.text.split())} "
        for t in tracked
    )


def _when(date: str) -> str:
    return date.replace("T", " ")[:16] if date else "no date"


def _short(text: str, width: int = 100) -> str:
    if not text.strip():
        return text  # a space or a tab typed is shown as it is
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def report(reviewed: Reviewed, items: list[Item]) -> list[str]:
    """The items as lines of text, grouped per question."""
    lines: list[str] = []
    current: tuple[int | None, str] | None = None
    for item in items:
        group = (item.question, item.where)
        if group != current:
            current = group
            if item.question is None:
                lines.append(f"Outside the answers (after {item.where!r})")
            else:
                section = reviewed.sections.get(item.question)
                heading = reviewed.heading_before(section.start) if section else ""
                lines.append(
                    heading if heading.startswith("Question") else f"Question {item.question}"
                )
        who = f"{item.author or 'unknown'}, {_when(item.date)}"
        if item.kind == "edit" and item.detail:
            lines.append(
                f"  edit, untracked (last saved by {who}): {item.detail} in {_short(item.text)!r}"
            )
            continue
        if item.kind == "edit":
            was = f" (was {item.anchor!r})" if item.anchor else " (added)"
            text = repr(item.text) if item.text else "(removed)"
            lines.append(f"  edit, untracked (last saved by {who}): {text}{was}")
            continue
        what = " ".join(
            part for part in (item.detail, repr(_short(item.text)) if item.text else "") if part
        )
        lines.append(f"  {item.kind} by {who}: {what or repr(item.text)}")
        if item.anchor:
            lines.append(
                f"      {'on' if item.kind == 'comment' else 'in'}: {_short(item.anchor)!r}"
            )
    return lines


def summary(items: list[Item]) -> str:
    counts = [(kind, sum(item.kind == kind for item in items)) for kind in KINDS]
    parts = [
        plural(n, "formatting change" if kind == "formatting" else kind) for kind, n in counts if n
    ]
    questions = {item.question for item in items if item.question is not None}
    where = (
        f" in {len(questions)} question{'s' if len(questions) != 1 else ''}" if questions else ""
    )
    return (
        f"{len(items)} item{'s' if len(items) != 1 else ''}{where}: {', '.join(parts)}"
        if items
        else "no comments or changes"
    )


def comments_markdown(reviewed: Reviewed, items: list[Item]) -> str:
    """The comments as a Markdown list per question, for the lead to work through."""
    lines = [f"# Reviewers' comments on {reviewed.path.name}", ""]
    current: tuple[int | None, str] | None = None
    for item in items:
        if item.kind != "comment":
            continue
        if (item.question, item.where) != current:
            current = (item.question, item.where)
            if item.question is None:
                title = f"Outside the answers (after {item.where})"
            else:
                section = reviewed.sections.get(item.question)
                title = (
                    reviewed.heading_before(section.start)
                    if section
                    else f"Question {item.question}"
                )
            lines += [f"## {title}", ""]
        lines.append(
            f"- **{item.author or 'unknown'}**, {_when(item.date)}: {item.text}".replace(
                "\n", "\n  "
            )
        )
        if item.anchor:
            lines.append(f"  > {item.anchor}")
    if current is None:
        lines.append("No comments.")
    return "\n".join(lines).rstrip() + "\n"

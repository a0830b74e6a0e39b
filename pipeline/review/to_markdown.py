"""Word blocks written as Markdown, in one canonical form.

`pack harvest` writes an edited paragraph in this form, and knows a paragraph as unchanged when
its *signature* (the same form, with footnotes and pictures named by their content) is the same
in the reviewed document as in the source rendered afresh: one writer for both sides, so a save
in Word or LibreOffice that splits runs or renumbers lists changes nothing.

The form: `**bold**`, `*italic*`, `~~struck~~`, `` `code` ``, `[text](url)`, `\\` line breaks,
text escaped wherever Markdown would read it as syntax; a link whose text is its own address is
left as the bare address, as the author would have typed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from pipeline.word.blocks import Block, Para, Span, TableBlock

Label = Callable[[Span], str]
"""Writes a footnote reference or a picture (a span of that kind) as Markdown."""

_ORDER = ("strike", "bold", "italic")
_MARK = {"strike": "~~", "bold": "**", "italic": "*"}
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(#|>|[-+=~]|\d+(?=[.)]))")


def _autolinked(text: str, href: str) -> bool:
    text = text.strip()
    return href in (text, f"http://{text}", f"https://{text}", f"mailto:{text}")


def _normalise(spans: list[Span]) -> list[Span]:
    """Text merged where formatting agrees, links to their own address unlinked, and the
    spaces at the edges of formatted text moved outside it (Markdown needs them there)."""
    merged: list[Span] = []
    for span in spans:
        if span.kind == "text" and not span.text:
            continue
        last = merged[-1] if merged else None
        if (
            last is not None
            and span.kind == last.kind == "text"
            and (span.bold, span.italic, span.strike, span.code, span.link)
            == (last.bold, last.italic, last.strike, last.code, last.link)
        ):
            merged[-1] = replace(last, text=last.text + span.text)
        else:
            merged.append(replace(span))
    start = 0
    while start < len(merged):  # each run of spans under one link
        link = merged[start].link
        end = start
        while end < len(merged) and merged[end].link == link and link is not None:
            end += 1
        if link is not None:
            text = "".join(s.text for s in merged[start:end])
            if _autolinked(text, link) and all(s.kind == "text" for s in merged[start:end]):
                for index in range(start, end):
                    merged[index] = replace(merged[index], link=None)
        start = max(end, start + 1)
    out: list[Span] = []
    for span in merged:
        if span.kind != "text" or not (span.bold or span.italic or span.strike or span.code):
            out.append(span)
            continue
        core = span.text.strip()
        if not core:
            out.append(replace(span, bold=False, italic=False, strike=False, code=False))
            continue
        lead = span.text[: len(span.text) - len(span.text.lstrip())]
        trail = span.text[len(span.text.rstrip()) :]
        plain = replace(span, bold=False, italic=False, strike=False, code=False)
        if lead:
            out.append(replace(plain, text=lead))
        out.append(replace(span, text=core))
        if trail:
            out.append(replace(plain, text=trail))
    return out


def escape(text: str, cell: bool = False) -> str:
    """Text that Markdown shows as written."""
    out = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char in "\\`*[]<":
            out.append("\\" + char)
        elif char == "_" and not (before.isalnum() and after.isalnum()):
            out.append("\\_")
        elif char == "~" and "~" in (before, after):
            out.append("\\~")
        elif char == "|" and cell:
            out.append("\\|")
        elif char == "&" and _ENTITY.match(text, index):
            out.append("\\&")
        else:
            out.append(char)
    return "".join(out)


def _code(text: str) -> str:
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = (
        text.startswith("`")
        or text.endswith("`")
        or (text.startswith(" ") and text.endswith(" ") and text.strip())
    )
    return f"{fence} {text} {fence}" if pad else f"{fence}{text}{fence}"


def destination(link: str) -> str:
    if re.search(r"[\s()<>]", link) or not link:
        return "<" + link.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>") + ">"
    return link


def _line_starts(text: str) -> str:
    """Escape what would start a block at the beginning of each line of a paragraph."""
    lines = text.split("\n")
    fixed = []
    for line in lines:
        line = line.lstrip(" \t")
        match = _LINE_START.match(line)
        if match:
            end = match.end()  # `1.` becomes `1\.`, `#` becomes `\#`
            line = f"{line[:end]}\\{line[end:]}" if match[1][0].isdigit() else f"\\{line}"
        fixed.append(line)
    return "\n".join(fixed)


def inline(spans: list[Span], note: Label, picture: Label, cell: bool = False) -> str:
    """A paragraph's spans as Markdown inline text (hard breaks as `\\` and a newline)."""
    out: list[str] = []
    opened: list[tuple[str, str]] = []  # (formatting, the marker that opened it)
    link: str | None = None
    closed_here = False  # a marker was just closed: an opening `*` would run into it

    def close(keep: int = 0) -> None:
        nonlocal closed_here
        while len(opened) > keep:
            out.append(opened.pop()[1])
            closed_here = True

    def end_link() -> None:
        nonlocal link
        close()
        if link is not None:
            out.append(f"]({destination(link)})")
            link = None

    for span in _normalise(spans):
        closed_here = False
        if span.kind == "break":
            end_link()
            if cell:
                out.append(" ")
            else:
                while out and out[-1].endswith((" ", "\t")):  # spaces before a break are lost
                    out[-1] = out[-1].rstrip(" \t")
                out.append("\\\n")
            continue
        if span.kind == "footnote":
            end_link()
            out.append(note(span))
            continue
        if span.kind == "image":  # inside its link, if it has one: `[![alt](src)](url)`
            if span.link != link:
                end_link()
                if span.link is not None:
                    out.append("[")
                    link = span.link
            close()
            out.append(picture(span))
            continue
        if span.link != link:
            end_link()
            closed_here = False
            if span.link is not None:
                out.append("[")
                link = span.link
        want = [name for name in _ORDER if getattr(span, name)]
        common = 0
        while common < min(len(opened), len(want)) and opened[common][0] == want[common]:
            common += 1
        close(common)
        for name in want[common:]:
            mark = "_" if name == "italic" and closed_here else _MARK[name]
            out.append(mark)
            opened.append((name, mark))
        out.append(_code(span.text) if span.code else escape(span.text, cell))
    end_link()
    joined = "".join(out).strip()
    return joined if cell else _line_starts(joined)


def signature(block: Block) -> tuple[object, ...]:
    """What a block shows, in a form to compare: equal signatures, an untouched block."""
    if isinstance(block, TableBlock):
        rows = tuple(
            tuple(
                " ".join(inline(p.spans, _note_sig, _picture_sig, cell=True) for p in cell).strip()
                for cell in row
            )
            for row in block.rows
        )
        aligns = tuple((a if a in ("center", "right") else "left") for a in block.aligns)
        return ("table", aligns, rows)
    kind = "p" if block.kind == "prompt" else block.kind
    if kind == "code":
        return ("code", block.text)
    if kind == "hr":
        return ("hr",)
    text = inline(block.spans, _note_sig, _picture_sig)
    if kind == "item":
        return ("item", block.list_kind, block.level, block.number, text)
    if kind == "heading":
        return ("heading", block.level, text)
    return (kind, text)


def signatures(blocks: list[Block]) -> list[tuple[object, ...]]:
    """Each block's signature, an ordered item's number written as Markdown reads it: only
    where the list does not simply count on (a list that starts at 3, a count that skips).
    An item inserted or deleted renumbers every item after it in Word; Markdown numbers a list
    from its first item, so those items are untouched, not edited."""
    found = []
    for block, (_, counts_on) in zip(blocks, list_places(blocks), strict=True):
        mark = signature(block)
        found.append((*mark[:3], None, *mark[4:]) if counts_on else mark)
    return found


def list_places(blocks: list[Block]) -> list[tuple[bool, bool]]:
    """(opens a list, counts on) for each block: an ordered item that is the first of its list
    (its number is the list's start in Markdown), and one whose number is the one before it
    plus one (for the first, 1)."""
    places = []
    counted: dict[int, int] = {}  # list level -> the number its last ordered item showed
    for block in blocks:
        place = (False, False)
        if isinstance(block, Para) and block.kind == "item":
            for deeper in [level for level in counted if level > block.level]:
                del counted[deeper]
            if block.list_kind == "ordered" and block.number is not None:
                last = counted.get(block.level)
                place = (last is None, block.number == (last or 0) + 1)
                counted[block.level] = block.number
            else:
                counted.pop(block.level, None)
        elif block.kind != "cont":  # a paragraph between items ends the list in Markdown
            counted.clear()
        places.append(place)
    return places


def _note_sig(span: Span) -> str:
    return f"[^{span.ref}]"


def _picture_sig(span: Span) -> str:
    return f"![{span.ref}]"


def shows_something(block: Block) -> bool:
    """Whether a block shows anything: empty paragraphs leave no trace in Markdown."""
    if isinstance(block, TableBlock) or block.kind == "hr":
        return True
    return any(s.kind != "text" or s.text.strip() for s in block.spans)


def code_block(para: Para) -> str:
    longest = max((len(run) for run in re.findall("`{3,}", para.text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}\n{para.text}\n{fence}"


def table(block: TableBlock, note: Label, picture: Label, delimiter: str | None = None) -> str:
    """A GFM table; `delimiter` keeps the source's own alignment row when the columns agree."""
    rows = []
    for r, row in enumerate(block.rows):
        cells = []
        for cell in row:
            paragraphs = cell
            if r == 0:  # the renderer makes header cells bold: do not write it twice
                paragraphs = [
                    replace(p, spans=[replace(s, bold=False) for s in p.spans]) for p in cell
                ]
            cells.append(
                " ".join(inline(p.spans, note, picture, cell=True) for p in paragraphs).strip()
            )
        rows.append(cells)
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    if delimiter is None or delimiter.strip().strip("|").count("|") + 1 != width:
        marks = {"center": ":-:", "right": "--:", "left": ":--"}
        aligns = [*block.aligns, *([None] * width)][:width]
        delimiter = "| " + " | ".join(marks.get(a or "", "---") for a in aligns) + " |"
    lines = [_row(rows[0]), delimiter] if rows else []
    lines += [_row(row) for row in rows[1:]]
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"

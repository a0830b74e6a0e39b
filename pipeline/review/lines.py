"""A changed paragraph written back in the author's own lines.

`merge` keeps the words of the source that the reviewed paragraph shares with it, with the
space or line break that followed each, so a changed word changes one line, not the paragraph;
`wrap` breaks the lines whose words changed and that grew past the width the file is written
at, and no others (a word made bold may lengthen its line: it stays);
`keep_links` writes a link whose text is its own address as the source wrote it.
"""

from __future__ import annotations

import difflib
import re

_PARTS = re.compile(r"\n(?:[ \t]*>)*[ \t]*|[ \t]+|[^\s]+")
"""Words, and the space between them: a line break takes the next line's `>` markers with it."""
_BLOCK_START = re.compile(r"^(?:[#>|]|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|=+\s*$|-+\s*$|`{3}|~{3})")
"""What a line must not start with to stay part of the paragraph above it."""
_LINK = re.compile(r"\[([^\]\s]+)\]\(<?([^)\s>]+)>?\)|<((?:https?://|mailto:)[^>\s]+)>")


def _reads(word: str) -> str:
    return re.sub(r"\\(.)", r"\1", word).removesuffix("\\")


def _split(text: str) -> tuple[list[str], list[str]]:
    """The words of `text`, and the space (or line break) after each."""
    words: list[str] = []
    gaps: list[str] = []
    for part in _PARTS.findall(text):
        if part.isspace() or part.startswith("\n"):
            if gaps:
                gaps[-1] += part
        else:
            words.append(part)
            gaps.append("")
    return words, gaps


def _hard(word: str, gap: str) -> bool:
    """Whether a line break after `word` is a hard one (`\\` or two spaces before it)."""
    if "\n" not in gap:
        return False
    return word.endswith("\\") or gap.split("\n", 1)[0].count(" ") >= 2


def merge(old: str, new: str, indent: str | None = None) -> str:
    """`new`, keeping the words (and line breaks) of `old` that it shares. `indent` replaces
    the indentation after each kept line break (a list item moved to another level)."""
    old_words, old_gaps = _split(old)
    new_words, new_gaps = _split(new)

    def line_break(gap: str) -> str:
        if indent is None or "\n" not in gap:
            return gap
        head, _, tail = gap.partition("\n")
        quoted = re.match(r"(?:[ \t]*>)*", tail)
        return f"{head}\n{quoted[0] if quoted and quoted[0] else indent}"

    out: list[str] = []
    # words compare as they read: `\<` is `<`, and a `\` line break is the author's two spaces
    matcher = difflib.SequenceMatcher(
        None, [_reads(w) for w in old_words], [_reads(w) for w in new_words], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            for k in range(j1, j2):
                out += [new_words[k], new_gaps[k] or " "]
            continue
        for k, n in zip(range(i1, i2), range(j1, j2), strict=True):
            word, gap = old_words[k], old_gaps[k] or " "
            was_hard, is_hard = _hard(word, gap), _hard(new_words[n], new_gaps[n])
            if is_hard and not was_hard:  # a line break a reviewer typed
                word, gap = new_words[n], gap.lstrip(" \t") if "\n" in gap else new_gaps[n]
            elif was_hard and not is_hard:  # one a reviewer removed: the line stays, soft
                word = word.removesuffix("\\")
                gap = gap.lstrip(" \t") if n + 1 < len(new_words) else " "
            out += [word, line_break(gap)]
    lead = new[: len(new) - len(new.lstrip(" \t"))]  # a list item's indentation, as written anew
    return lead + "".join(out).rstrip()


def width_of(lines: list[str], spans: list[tuple[int, int]]) -> int | None:
    """The width a file's paragraphs are wrapped at: its longest line that is followed by
    another of the same paragraph; None when it writes each paragraph on one line."""
    wrapped = [
        len(lines[n].rstrip("\r\n"))
        for start, end in spans
        for n in range(start, min(end, len(lines)) - 1)
        if lines[n + 1].strip()
        and not lines[n].lstrip().startswith("|")
        and len(lines[n].split()) > 1  # a long address alone on its line sets no width
    ]
    return max(wrapped) if wrapped else None


def wrap(text: str, old: str, width: int | None, indent: str) -> str:
    """`text` with each line longer than `width` whose words are not those of a line of `old`
    broken at spaces, continuation lines indented with `indent`."""
    if width is None:
        return text
    kept = {_plain(line) for line in old.split("\n")}
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > width and _plain(line) not in kept:
            head = line[: width + 1]
            cut = head.rfind(" ")
            while cut > len(indent) and not _can_break(line, cut, indent):
                cut = head.rfind(" ", 0, cut)
            if cut <= len(indent) or not line[:cut].strip():
                break
            out.append(line[:cut].rstrip(" "))
            line = indent + line[cut:].lstrip(" ")
        out.append(line)
    return "\n".join(out)


def _plain(line: str) -> tuple[str, ...]:
    """A line's words without emphasis marks: a word made bold has not moved."""
    return tuple(re.sub(r"[*_~`]", "", line).split())


def _can_break(line: str, cut: int, indent: str) -> bool:
    """Whether the line may be broken at the space at `cut`: the next line must not start a
    block, the text before it must not end in a `\\`, and no code span may be open there."""
    before, after = line[:cut], line[cut:].lstrip(" ")
    if not before.strip(" >") or before.endswith("\\") or not after:
        return False
    if _BLOCK_START.match(after) or before.count("`") % 2:
        return False
    return not before.rstrip().endswith(("-", "*", "+")) or len(before.split()) > 1


def keep_links(old: str, new: str) -> str:
    """`new`, with each bare address written as `old` wrote it: `[address](address)` or
    `<address>` (the canonical form writes a link to its own address bare)."""
    for match in _LINK.finditer(old):
        written = match[0]
        address = match[3] or match[1]
        if match[1] is not None and match[2] not in (
            match[1],
            f"http://{match[1]}",
            f"https://{match[1]}",
            f"mailto:{match[1]}",
        ):
            continue
        bare = re.compile(rf"(?<![\[(<\w/]){re.escape(address)}(?![\w/\])>])")
        if written not in new and bare.search(new):
            new = bare.sub(written.replace("\\", "\\\\"), new, count=1)
    return new

"""`pack verify`, part by part: is every part of a pack whole, judged from the sources alone?

Each answer's words in order within its question's pages, each action and success measure in
the plan's pages, each appendix's pages (a PDF appendix page for page, a Word or Markdown one
by its words), and the contents' page numbers against the pages the outline points at. Text is
compared as words (letters and digits, case and spacing aside), so a PDF's line breaks, list
numbers and footnote marks never count as a difference; a word changed or missing does.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import UnsafeFile
from pipeline.form import Form
from pipeline.markdown.syntax import parser
from pipeline.model import Pack
from pipeline.pdf import open_pdf
from pipeline.safety import parse_xml, word_main

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of `text`: runs of letters and digits, case folded (ligatures undone, a word
    broken at a hyphen at the end of a line kept as the two words it is written as)."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return [w.casefold() for w in _WORD.findall(text)]


@dataclass(frozen=True, slots=True)
class Section:
    """Pages of the pack, and their text."""

    label: str
    first: int
    last: int
    """Page indexes (from 0), both included."""
    text: str

    @property
    def pages(self) -> str:
        first, last = self.first + 1, self.last + 1
        return f"page {first}" if first == last else f"pages {first}-{last}"

    def missing(self, text: str) -> str | None:
        """None when the words of `text` are all here in order; else the first words (up to
        eight) from the first one that is not."""
        needle = words(text)
        haystack = "".join(words(self.text))  # spacing aside: a PDF may split or join words
        position = 0
        for index, word in enumerate(needle):
            found = haystack.find(word, position)
            if found < 0:
                return " ".join(needle[index : index + 8])
            position = found + len(word)
        return None


def blocks(markdown: str) -> list[str]:
    """The text of each paragraph, heading, list item and table cell of a Markdown text."""
    found = []
    for token in parser().parse(markdown):
        if token.type != "inline":
            continue
        pieces = [
            child.content if child.type in ("text", "code_inline") else " "
            for child in token.children or []
            if child.type in ("text", "code_inline", "softbreak", "hardbreak")
        ]
        text = "".join(pieces)
        if words(text):
            found.append(text)
    return found


def _moved_away(node: Any, paragraph: Any, w: str) -> bool:
    """Whether text `node` of `paragraph` is inside a tracked move's old place."""
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return False
        if ancestor.tag == f"{w}moveFrom":
            return True
    return False


def word_paragraphs(path: Path) -> list[str]:
    """The text of each paragraph of a Word file's body (deleted and moved-away text aside:
    what the pack shows with its tracked changes accepted)."""
    with zipfile.ZipFile(path) as archive:
        root = parse_xml(archive.read(word_main(archive)))
    tag = str(root.tag)  # the document's namespace: Strict Open XML has its own
    w = tag[: tag.index("}") + 1] if tag.startswith("{") else _W
    found = []
    for paragraph in root.iter(f"{w}p"):
        text = "".join(
            t.text or "" for t in paragraph.iter(f"{w}t") if not _moved_away(t, paragraph, w)
        )
        if words(text):
            found.append(text)
    return found


def _first(text: str) -> str:
    shown = " ".join(text.split())
    return shown if len(shown) <= 60 else shown[:57] + "..."


def check_answers(pack: Pack, form: Form, section_of: dict[str, Section]) -> Iterator[str]:
    answers = {a.number: a for a in pack.answers}
    for question in form.questions:
        section = section_of.get(question.heading)
        answer = answers.get(question.number)
        if section is None or answer is None:
            continue  # the outline check names a missing entry
        for block in blocks(answer.text):
            gone = section.missing(block)
            if gone is not None:
                yield (
                    f"{answer.path}: text not found in {question.heading} ({section.pages}): "
                    f"{gone!r} of {_first(block)!r}"
                )


def check_plan(pack: Pack, section: Section | None) -> Iterator[str]:
    if section is None:
        return
    for action in pack.plan.actions:
        for label, text in (("action", action.text), ("success measure", action.measure)):
            for block in blocks(text) if text.strip() else []:
                gone = section.missing(block)
                if gone is not None:
                    yield (
                        f"{pack.plan.path}:{action.row}: {label} not found in the plan "
                        f"({section.pages}): {gone!r} of {_first(block)!r}"
                    )


def check_appendices(pack: Pack, section_of: dict[str, Section], pages: list[str]) -> Iterator[str]:
    for appendix in pack.appendices:
        section = section_of.get(appendix.heading)
        if section is None:
            continue
        if appendix.kind == "pdf":
            yield from _pdf_appendix(appendix.path, section, pages)
            continue
        if appendix.kind == "markdown":
            text = appendix.path.read_text(encoding="utf-8-sig")
            lines = text.lstrip().split("\n", 1)
            if lines[0].startswith("# "):  # its title heads the appendix already
                text = lines[1] if len(lines) > 1 else ""
            expected = blocks(text)
        else:
            try:
                expected = word_paragraphs(appendix.path)
            except (OSError, KeyError, zipfile.BadZipFile, SyntaxError) as exc:
                yield f"{appendix.path}: cannot read it ({exc})"
                continue
        for block in expected:
            gone = section.missing(block)
            if gone is not None:
                yield (
                    f"{appendix.path}: text not found in {appendix.heading} ({section.pages}): "
                    f"{gone!r} of {_first(block)!r}"
                )


def _stamped(source: list[str], page: list[str], stamp: set[str]) -> bool:
    """Is `page` the `source` page with the pack's header and footer stamped on it: its words
    in order, and besides them only the stamp's ("Appendix B: <title>", "Page k of N")?"""
    rest = iter(page)
    if not all(word in rest for word in source):  # a subsequence: `in` consumes the iterator
        return False
    extra = Counter(page) - Counter(source)
    return all(word in stamp for word in extra)


def _filled_in(page: Any) -> set[str]:
    """The words a page's form fields hold (their values, a list's choices): the pack draws
    them into the page, where the source's own text has none of them."""
    found: list[str] = []
    try:
        annotations = page.get("/Annots")
        for annotation in annotations.get_object() if annotations is not None else []:
            field = annotation.get_object()
            for _ in range(20):  # a field's value may be its parent's; a loop is not followed
                if field is None or "/V" in field:
                    break
                parent = field.get("/Parent")
                field = parent.get_object() if parent is not None else None
            if field is not None:
                found += [str(field.get("/V", "")), *(str(o) for o in field.get("/Opt", []))]
    except (AttributeError, TypeError, ValueError, KeyError):  # damaged: nothing more allowed
        pass
    return set(words(" ".join(found)))


def _pdf_appendix(path: Path, section: Section, pages: list[str]) -> Iterator[str]:
    """A PDF appendix is in the pack page for page: as many pages, each with the same words."""
    try:
        source = open_pdf(path)
    except UnsafeFile as exc:
        yield str(exc)
        return
    count = section.last - section.first + 1
    if len(source.pages) != count:
        yield (
            f"{path}: {len(source.pages)} pages, but the pack has {count} for it ({section.pages})"
        )
    stamp = set(words(f"{section.label} page of")) | {str(n) for n in range(1, len(pages) + 1)}
    for index, page in enumerate(source.pages[:count]):
        shown = stamp | _filled_in(page)
        if not _stamped(words(page.extract_text()), words(pages[section.first + index]), shown):
            yield (
                f"{path}: its page {index + 1} is not page {section.first + index + 1} of the "
                "pack (text differs)"
            )


def _contents_lines(contents: str) -> dict[str, int]:
    """Each contents line's title -> its page number (a title wrapped over lines joined)."""
    found: dict[str, int] = {}
    pending = ""
    for line in unicodedata.normalize("NFKC", contents).splitlines():
        match = re.fullmatch(r"(.*?)[\s.\u2026]*?(\d+)", line.strip())
        if match is None:
            pending = f"{pending} {line}"[-400:]
            continue
        for title in (match[1], f"{pending} {match[1]}"):
            found.setdefault(" ".join(title.rstrip(" .\u2026").split()), int(match[2]))
        pending = ""
    return found


def check_contents(outline: list[tuple[str, int, int]], contents: str) -> tuple[list[str], bool]:
    """Each entry's page number in the contents against the page the outline points at:
    (problems, whether the contents have page numbers at all)."""
    numbers = _contents_lines(contents)
    problems, numbered, unnumbered = [], 0, []
    for title, _level, page in outline[1:]:  # the first entry is the form, whose contents it is
        if page < 0:
            continue  # an entry whose page went: said with the outline
        key = " ".join(unicodedata.normalize("NFKC", title).split())
        shown = numbers.get(key)
        if shown is None:
            unnumbered.append(title)
            continue
        numbered += 1
        if shown != page + 1:
            problems.append(
                f"the contents give page {shown} for {title!r}, which starts on page {page + 1}"
            )
    if numbered:
        problems += [f"the contents give no page number for {title!r}" for title in unnumbered]
    return problems, bool(numbered)


def sections(outline: list[tuple[str, int, int]], pages: list[str]) -> dict[str, Section]:
    """Each outline entry's pages. A part (top level) runs to the page before the next part;
    a question to the page the next one starts on, which it may share."""
    found: dict[str, Section] = {}
    end = len(pages) - 1
    outline = [entry for entry in outline if entry[2] >= 0]  # an entry whose page went
    for index, (title, level, first) in enumerate(outline):
        after = outline[index + 1 :]
        if level:
            last = after[0][2] - (0 if after[0][1] else 1) if after else end
        else:
            last = next((page - 1 for _, lvl, page in after if not lvl), end)
        last = min(max(first, last), end)
        found[title] = Section(title, first, last, "\n".join(pages[first : last + 1]))
    return found


def page_texts(reader: Any) -> list[str]:
    return [page.extract_text() for page in reader.pages]

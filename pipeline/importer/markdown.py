"""Word blocks written as Markdown, as `pack harvest` writes a reviewed answer anew (one
writer: `review.writer`), with what importing adds: pictures saved beside the answer under
names of their own, what the pack cannot show named and its text kept where it stood, and the
form's guidance left out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.importer.locate import Piece
from pipeline.importer.oddities import Oddity, oddities
from pipeline.importer.prompts import GUIDANCE
from pipeline.importer.source import Source
from pipeline.review.assemble import regenerate
from pipeline.review.baseline import Drafted
from pipeline.review.document import Reviewed
from pipeline.review.lines import wrap
from pipeline.review.writer import MARKER, Writer
from pipeline.safety import image_suffix
from pipeline.word.blocks import Block, Para, Span, TableBlock


@dataclass
class Written:
    """One answer or appendix as Markdown."""

    text: str
    pictures: dict[Path, bytes] = field(default_factory=dict)
    """Picture files to write, by path."""
    left_out: list[str] = field(default_factory=list)
    """What the pack cannot show, or the form's own text, said with where it stood."""


MISSING = "a picture whose image is missing from the file ({}); insert it again"
"""Said of a picture whose relationship names a part the package does not hold."""
WIDTH = 96
"""Columns Markdown paragraphs are wrapped at, as the example's answers are: a changed word
then changes one line in a diff."""


class ImportWriter(Writer):
    """Harvest's writer, with pictures named for the file they go with."""

    def __init__(self, source: Source, folder: Path, stem: str, appendix: bool = False) -> None:
        base = Drafted("", [], [], [], {}, {}, [])
        reviewed = Reviewed(source.path, source.docx, None, source.docx.lookups(), [], {}, {})
        super().__init__(base, reviewed, folder, 0)
        self.source = source
        self.stem = stem
        self.appendix = appendix
        self.left_out: list[str] = []
        self.where = ""
        self.saved: dict[str, str] = {}
        """Picture digest -> its path, so one picture shown twice is saved once."""

    def picture(self, span: Span) -> str:
        if not span.media:
            return ""  # a drawing without a picture: named among the oddities
        if span.media not in self.source.docx.names:  # in a table: its relationship names no part
            self.left_out.append(MISSING.format(self.where))
            return ""
        data = self.source.docx.data(span.media)
        suffix = image_suffix(data)
        if suffix is None:
            kind = span.media.rsplit(".", 1)[-1].upper()
            self.left_out.append(
                f"a picture in {kind} format, which the pack cannot show ({self.where}); "
                "save it as PNG and add it"
            )
            return ""
        digest = hashlib.sha256(data).hexdigest()
        name = self.saved.get(digest)
        if name is None:
            count = len(self.saved) + 1
            name = f"images/{self.stem}-{count}{suffix}"
            while (self.folder / name).exists() and (self.folder / name).read_bytes() != data:
                count += 1  # a picture of that name already there, another: never replaced
                name = f"images/{self.stem}-{count}{suffix}"
            self.saved[digest] = name
            self.pictures[self.folder / name] = data
        described = " ".join(span.ref.split())  # a line break would end the paragraph
        alt = described.replace("\\", "\\\\").replace("]", "\\]").replace("[", "\\[")
        return f"![{alt}]({name})"

    def block(self, block: Block, old: str | None = None, was: Block | None = None) -> str:
        if self.appendix and isinstance(block, Para) and block.kind == "heading":
            return super().block(replace(block, level=block.level + 1), old, was)
        text = super().block(block, old, was)
        if not isinstance(block, Para) or block.kind not in ("p", "item", "cont"):
            return text
        if block.kind == "item":
            marker = MARKER.match(text)
            indent = " " * (len(marker[0]) + (0 if marker[4] else 1)) if marker else None
        else:
            indent = text[: len(text) - len(text.lstrip(" "))]
        if indent is None or "![" in text:  # a picture's description is never broken
            return text
        return wrap(text, "", WIDTH, indent)


def _shown(block: Block) -> bool:
    """Whether a block shows anything: empty paragraphs (and a drawing without a picture, said
    among the oddities) leave no trace in Markdown."""
    if isinstance(block, TableBlock) or block.kind == "hr":
        return True
    return any(
        (s.kind == "text" and s.text.strip()) or s.kind in ("image", "footnote")
        for s in block.spans
    )


def write_markdown(
    pieces: list[Piece],
    source: Source,
    folder: Path,
    stem: str,
    appendix: bool = False,
    title: str | None = None,
) -> Written:
    """The pieces as one Markdown file; `title` (an appendix's) as its `# heading`."""
    writer = ImportWriter(source, folder, stem, appendix)
    blocks: list[Block] = []
    left_out: list[str] = []
    for piece in pieces:
        block = piece.block
        if isinstance(block, Para) and GUIDANCE.match(block.text.strip()):
            left_out.append(f"the form's guidance ({piece.where}: {block.text.strip()[:40]!r})")
            continue
        if isinstance(block, Para):
            pictures = [s for s in block.spans if s.kind == "image" and s.media]
            shown = [s for s in pictures if s.media in source.docx.names]
            left_out += [MISSING.format(piece.where)] * (len(pictures) - len(shown))
            block = replace(
                block, spans=[s for s in block.spans if s.kind != "image" or s in shown]
            )
        if _shown(block):
            blocks.append(block)
        for element in block.elements:
            for oddity in oddities(element, source.docx):
                left_out.append(_said(oddity, piece.where))
                if oddity.kept and oddity.text:
                    blocks += [Para("p", spans=[Span(t)]) for t in oddity.text.split("\n\n")]
    writer.where = ", ".join(sorted({p.where for p in pieces})[:1]) or "the document"
    text = regenerate(writer.base, blocks, writer) if blocks else ""
    if title:
        text = f"# {title}\n\n{text}" if text else f"# {title}\n"
    return Written(text, writer.pictures, left_out + writer.left_out)


def _said(oddity: Oddity, where: str) -> str:
    if oddity.kept and oddity.text:
        return f"{oddity.kind} ({where}): the pack cannot show it; its text is kept as paragraphs"
    if oddity.kept:
        return f"{oddity.kind} ({where})"
    return f"{oddity.kind} ({where}): the pack cannot show it; not imported"

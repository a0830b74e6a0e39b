"""One Word document being written: what we keep about it, and the content we build for it.

python-docx's objects carry the document and nothing of ours. What the pipeline remembers while
filling one document (the style ids already looked up, the list numbering it has made, the
footnotes waiting to be attached) lives on a `DocumentContext`, made once per document and
handed to everything that writes into it: the Markdown renderer, the plan table, the form.
"""

from __future__ import annotations

from typing import Any

from docx.blkcntnr import BlockItemContainer
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

from pipeline.word.footnotes import Footnotes
from pipeline.word.numbering import Numbering
from pipeline.word.styles import Styles


class DocumentContext:
    """The state of writing into one document part: share one per document, or list numbers
    and footnote ids made by one writer collide with another's."""

    def __init__(self, part: Any) -> None:
        self.part = part
        """The python-docx document part written into."""
        self.styles = Styles(part)
        self._numbering: Numbering | None = None
        self._footnotes: Footnotes | None = None

    @property
    def numbering(self) -> Numbering:
        """The document's list numbering (its numbering part is made on first use)."""
        if self._numbering is None:
            self._numbering = Numbering(self.part)
        return self._numbering

    @property
    def footnotes(self) -> Footnotes:
        """Footnotes made for the document, waiting for `attach_footnotes`."""
        if self._footnotes is None:
            self._footnotes = Footnotes(self.part)
        return self._footnotes

    def attach_footnotes(self) -> int:
        """Write the waiting footnotes into the document; how many. Call it *after* docxtpl has
        rendered the template: docxtpl renders the footnotes part as Jinja, and an answer's
        footnote must never be template source."""
        return 0 if self._footnotes is None else self._footnotes.attach()


class _Story:
    """The parent python-docx needs for a container: something with a `.part`."""

    def __init__(self, part: Any) -> None:
        self.part = part


class WordContent:
    """Block-level Word content built for one document.

    docxtpl inserts it with `{{p name }}`: `__html__` gives the body XML, so autoescaping
    leaves it alone, and the text inside it never passes through Jinja.
    Relationships (hyperlinks) and numbering are created in the document's own part.
    """

    def __init__(self, doc: DocumentContext) -> None:
        self.doc = doc
        self.body = parse_xml(f"<w:body {nsdecls('w')}/>")
        self.container = BlockItemContainer(self.body, _Story(doc.part))

    @property
    def part(self) -> Any:
        return self.doc.part

    def __html__(self) -> str:
        return "".join(etree.tostring(child, encoding="unicode") for child in self.body)

    def __str__(self) -> str:
        return self.__html__()

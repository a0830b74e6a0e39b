"""Real Word footnotes, which python-docx does not model.

The renderer reserves an id and leaves a `w:footnoteReference` in the text; the footnote's
paragraphs wait (on the document's `DocumentContext`) until `attach`, which runs *after*
docxtpl has rendered the template: docxtpl renders the footnotes part as Jinja, and an answer's
footnote must never be template source.
"""

from __future__ import annotations

from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

_EMPTY = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


class Footnotes:
    """Footnotes waiting to be attached to one document part."""

    def __init__(self, part: Any) -> None:
        self.part = part
        self.pending: list[tuple[int, list[Any]]] = []
        """(id, its paragraphs) per footnote made."""
        self.next_id = 1
        for rel in part.rels.values():  # a template may hold footnotes of its own
            if rel.reltype == RT.FOOTNOTES:
                ids = [int(f.get(qn("w:id"))) for f in rel.target_part.element]
                self.next_id = max([0, *ids]) + 1

    def reserve(self) -> int:
        """An id for a new footnote; its reference run is `reference_run(id)`."""
        number = self.next_id
        self.next_id += 1
        return number

    def add(self, number: int, paragraphs: list[Any]) -> None:
        """The paragraphs (`w:p` elements) of footnote `number`."""
        self.pending.append((number, paragraphs))

    def attach(self) -> int:
        """Write the waiting footnotes into the part's footnotes part; returns how many."""
        if not self.pending:
            return 0
        element = _footnotes_part(self.part).element
        used = {int(f.get(qn("w:id"))) for f in element.findall(qn("w:footnote"))}
        for number, paragraphs in self.pending:
            if number in used:
                raise ValueError(f"footnote id {number} is already used by the template")
            note = parse_xml(f'<w:footnote {nsdecls("w")} w:id="{number}"/>')
            for index, paragraph in enumerate(paragraphs):
                if index == 0:
                    mark = parse_xml(
                        f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/>'
                        "</w:rPr><w:footnoteRef/></w:r>"
                    )
                    space = parse_xml(
                        f'<w:r {nsdecls("w")}><w:t xml:space="preserve"> </w:t></w:r>'
                    )
                    p_pr = paragraph.find(qn("w:pPr"))
                    position = 1 if p_pr is not None else 0
                    paragraph.insert(position, space)
                    paragraph.insert(position, mark)
                note.append(paragraph)
            element.append(note)
        count = len(self.pending)
        self.pending.clear()
        return count


def reference_run(number: int) -> Any:
    """The run in the text that shows the footnote's number."""
    return parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        f'<w:footnoteReference w:id="{number}"/></w:r>'
    )


def _footnotes_part(part: Any) -> Any:
    for rel in part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            return rel.target_part
    footnotes = XmlPart(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_EMPTY), part.package
    )
    part.relate_to(footnotes, RT.FOOTNOTES)
    settings = part._settings_part.element
    if settings.find(qn("w:footnotePr")) is None:
        settings.append(
            parse_xml(
                f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/>'
                "</w:footnotePr>"
            )
        )
    return footnotes

"""Real Word list numbering: one abstract definition per list kind, one instance per list.

Word continues numbering across every `w:num` that shares an abstract definition unless the
instance overrides its start, so each ordered list gets a `w:startOverride`: a new list
restarts, and `3.` starts at 3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

_BULLETS = ("\u2022", "\u25e6", "\u25aa")
# Markdown can only write numbers, so every level shows numbers, as the author typed them
_ORDERED = "decimal"
_INDENT = 360  # twips per level
_HANGING = 360


def _levels(kind: str) -> str:
    levels = []
    for ilvl in range(9):
        left = _INDENT * (ilvl + 1)
        if kind == "bullet":
            fmt, text = "bullet", _BULLETS[ilvl % 3]
            font = '<w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/></w:rPr>'
        else:
            fmt, text, font = _ORDERED, f"%{ilvl + 1}.", ""
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{_HANGING}"/></w:pPr>{font}</w:lvl>'
        )
    return "".join(levels)


class Numbering:
    """List numbering in one document's numbering part, shared by everything writing into the
    document (a `DocumentContext` holds it)."""

    def __init__(self, part: Any) -> None:
        self.element = part.numbering_part.element
        self.abstract: dict[str, int] = {}

    def _abstract_id(self, kind: str) -> int:
        if kind not in self.abstract:
            ids = [
                int(a.get(qn("w:abstractNumId"))) for a in self.element.findall(qn("w:abstractNum"))
            ]
            new_id = max(ids, default=0) + 1
            abstract = parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{new_id}">'
                f'<w:multiLevelType w:val="hybridMultilevel"/>{_levels(kind)}</w:abstractNum>'
            )
            first_num = self.element.find(qn("w:num"))
            if first_num is not None:  # abstract definitions must precede instances
                first_num.addprevious(abstract)
            else:
                self.element.append(abstract)
            self.abstract[kind] = new_id
        return self.abstract[kind]

    def new_list(self, kind: str, level: int, start: int = 1) -> int:
        """A fresh numbering instance for a list of `kind` nested at `level`; its numId."""
        num = self.element.add_num(self._abstract_id(kind))
        if kind == "ordered":
            num.append(
                parse_xml(
                    f'<w:lvlOverride {nsdecls("w")} w:ilvl="{level}">'
                    f'<w:startOverride w:val="{start}"/></w:lvlOverride>'
                )
            )
        return int(num.numId)

    @staticmethod
    def apply(paragraph: Paragraph, num_id: int, level: int) -> None:
        """Number `paragraph` as an item of list `num_id` at `level`."""
        p_pr = paragraph._p.get_or_add_pPr()
        num_pr = p_pr.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num_id

    @staticmethod
    def indent(paragraph: Paragraph, level: int) -> None:
        """Indent a continuation paragraph of a list item to its text."""
        paragraph.paragraph_format.left_indent = Twips(_INDENT * (level + 1))

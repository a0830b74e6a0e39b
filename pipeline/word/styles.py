"""Styles by name: the template's own styles given to paragraphs, runs and tables, with the
lookups cached. Shared by the Markdown renderer, the plan table and the form."""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from pipeline.errors import TemplateError


class Styles:
    """The template's styles of one document part, found by name, each name looked up once:
    python-docx scans every style on each lookup, and a long answer asks hundreds of times."""

    def __init__(self, part: Any) -> None:
        self.part = part
        self.ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}

    def id(self, name: str, kind: WD_STYLE_TYPE) -> str | None:
        """The id of the style called `name`; None for the type's default style."""
        key = (name, kind)
        if key not in self.ids:
            try:
                self.ids[key] = self.part.get_style_id(name, kind)
            except KeyError as exc:
                what = {WD_STYLE_TYPE.CHARACTER: "character", WD_STYLE_TYPE.TABLE: "table"}.get(
                    kind, "paragraph"
                )
                raise TemplateError(f"the Word template has no {what} style {name!r}") from exc
        return self.ids[key]

    def apply(self, element: Any, name: str, kind: WD_STYLE_TYPE) -> None:
        """Give a paragraph, run or table (its `w:p`, `w:r` or `w:tbl`) the style `name`."""
        style_id = self.id(name, kind)
        if element.tag == qn("w:tbl"):
            element.tblPr.style = style_id
        else:
            element.style = style_id

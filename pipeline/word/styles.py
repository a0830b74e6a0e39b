"""Styles by name: the template's own styles given to paragraphs, runs and tables, with the
lookups cached. Shared by the Markdown renderer, the plan table and the form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from pipeline.errors import TemplateError

if TYPE_CHECKING:
    pass


def set_style(element: Any, part: Any, name: str, kind: WD_STYLE_TYPE) -> None:
    """Give a paragraph, run or table the template's style called `name`.

    python-docx finds a style by name with a scan of every style, each time; a long answer
    asks hundreds of times, so each document part remembers what it has looked up.
    """
    cache: dict[tuple[str, WD_STYLE_TYPE], str | None] | None = getattr(part, "_pack_styles", None)
    if cache is None:
        cache = part._pack_styles = {}
    key = (name, kind)
    if key not in cache:
        try:
            cache[key] = part.get_style_id(name, kind)  # None: the type's default style
        except KeyError as exc:
            what = {WD_STYLE_TYPE.CHARACTER: "character", WD_STYLE_TYPE.TABLE: "table"}.get(
                kind, "paragraph"
            )
            raise TemplateError(f"the Word template has no {what} style {name!r}") from exc
    if element.tag == qn("w:tbl"):
        element.tblPr.style = cache[key]
    else:
        element.style = cache[key]

"""PDF/UA-1 (ISO 14289-1): what stops a PDF from it, read from the PDF alone (`pack check`
reads PDF appendices with it; the build reads every part of the pack the same way).

What stops it:
- no tags (a scan, a PDF exported without them);
- text or pictures drawn outside the tags: a screen reader would miss them, and hiding them as
  artifacts would be a lie (untagged lines and fills are decoration: the build marks them as
  artifacts, see `untagged`);
- a font drawn with that is not embedded;
- a figure without alternative text.
Links outside the tags, links without a description and the pack's own stamps are the build's
to put right, and stop nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pikepdf
from pikepdf import Dictionary, Pdf

from pipeline.pdf import is_tagged
from pipeline.untagged import Found, inspect

HOW = (
    "export it again tagged, with its fonts embedded (Word: Save as PDF, Options, 'Document "
    "structure tags for accessibility' and 'PDF/A compliant'; LibreOffice: Export as PDF, "
    "'Universal Accessibility (PDF/UA)'), and give every picture alternative text"
)
"""How an appendix's author makes a PDF that the pack can claim PDF/UA with."""
UNTAGGED = "the PDF is not tagged"


_DESCRIBED = (pikepdf.Name.Link, pikepdf.Name.Popup, pikepdf.Name.Widget)
"""Annotations described otherwise: a link by the build, a pop-up by its annotation, a form
field printed into the page."""


def annotation_reasons(pages: Iterable[tuple[int, Any]]) -> list[str]:
    """What a part's annotations stop, from its pages (numbered from 1): a form field, printed
    into the page without tags, and an annotation other than a link with no description (PDF/UA
    7.18.1: a screen reader would announce its kind alone)."""
    fields, undescribed = [], []
    for number, page in pages:
        annotations = page.obj.get("/Annots")
        for annotation in annotations if isinstance(annotations, pikepdf.Array) else ():
            if not isinstance(annotation, Dictionary):
                continue
            kind = annotation.get("/Subtype")
            if kind == pikepdf.Name.Widget and "/AP" in annotation:
                fields.append(number)
            elif kind not in _DESCRIBED and not str(annotation.get("/Contents", "")).strip():
                undescribed.append(number)
    said = []
    if fields:
        said.append(f"form fields, printed into the page without tags, on {_pages(fields)}")
    if undescribed:
        said.append(f"an annotation without a description on {_pages(undescribed)}")
    return said


def reasons(found: Iterable[tuple[int, Found]], figures: Iterable[int]) -> list[str]:
    """What stops PDF/UA, from what each page (numbered from 1) draws and the pages of figures
    without alternative text."""
    said: list[str] = []
    untagged: dict[str, list[int]] = {}
    fonts: dict[str, list[int]] = {}
    for number, page in found:
        for kind in page.untagged:
            untagged.setdefault(kind, []).append(number)
        for font in page.fonts:
            fonts.setdefault(font, []).append(number)
    for kind, numbers in untagged.items():
        said.append(f"{kind} outside its tags on {_pages(numbers)}")
    for font, numbers in sorted(fonts.items()):
        said.append(f"font {font} not embedded ({_pages(numbers)})")
    pictures = list(figures)
    if pictures:  # where a figure names no page: 0
        known = [number for number in pictures if number]
        said.append(
            "a picture without alternative text" + (f" on {_pages(known)}" if known else "")
        )
    return said


def _pages(numbers: list[int]) -> str:
    shown = sorted(set(numbers))
    listed = ", ".join(map(str, shown[:5])) + (", ..." if len(shown) > 5 else "")
    return f"page{'s' if len(shown) > 1 else ''} {listed}"


def figures_without_alt(
    elements: Iterable[Any], role: Any, pages: dict[tuple[int, int], int]
) -> list[int]:
    """The page numbers (from 1; 0 if unknown) of the Figure elements among `elements` that
    have neither alternative nor actual text (`role` resolves an element's role)."""
    found = []
    for element in elements:
        if not isinstance(element, Dictionary) or role(element) != "/Figure":
            continue
        if any(str(element.get(key, "")).strip() for key in ("/Alt", "/ActualText")):
            continue
        page = element.get("/Pg")
        found.append(pages.get(page.objgen, 0) if isinstance(page, Dictionary) else 0)
    return found


def appendix_reasons(pdf: Pdf) -> list[str]:
    """What stops a PDF appendix, as it is, from being part of a PDF/UA pack (`pack check`)."""
    if not is_tagged(pdf.Root):
        return [UNTAGGED]
    found = [(number, inspect(pdf, page, fix=False)) for number, page in enumerate(pdf.pages, 1)]
    tree = pdf.Root.StructTreeRoot
    roles = tree.get("/RoleMap")
    mapping = dict(roles.items()) if isinstance(roles, Dictionary) else {}

    def role(element: Dictionary) -> str:
        given = str(element.get("/S"))
        return str(mapping.get(given, given))

    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    said = reasons(found, figures_without_alt(_elements(tree), role, pages))
    return said + annotation_reasons(enumerate(pdf.pages, 1))


def _elements(tree: Any) -> list[Dictionary]:
    """Every structure element below `tree` (each once, iteratively)."""
    found, seen, stack = [], set(), [tree.get("/K")]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
            continue
        if not isinstance(item, Dictionary) or "/S" not in item:
            continue
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        found.append(item)
        stack.append(item.get("/K"))
    return found


def stops_message(stops: list[str]) -> str:
    """`pack check`'s warning about a PDF appendix, from what stops it."""
    if stops == [UNTAGGED]:
        return (
            "the PDF is not tagged, so the pack will not be accessible to screen readers there "
            f"and will not claim PDF/UA; {HOW}"
        )
    return f"the pack will not claim PDF/UA (accessible PDF) because of {'; '.join(stops)}; {HOW}"

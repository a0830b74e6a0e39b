"""The pack as one accessible document, once its parts are joined: their tags kept as one tree
(`tags`), what they draw outside their tags read (decoration marked as artifacts: `content`),
the pages LibreOffice did not lay out numbered and labelled (`stamp`), links described, its
language set and its title shown by viewers rather than its file name (WCAG PDF16, PDF18); and
what stops each part from PDF/UA-1 (`ua`)."""

from __future__ import annotations

from collections.abc import Sequence

from pikepdf import Dictionary, Pdf, String

from pipeline.conformance import UNTAGGED, figures_without_alt, reasons
from pipeline.finish.stamp import stamp_pages
from pipeline.finish.tags import StructureMerger
from pipeline.finish.ua import describe_links
from pipeline.marked import Found, inspect
from pipeline.pdf import is_tagged


def make_accessible(
    pack: Pdf,
    parts: Sequence[tuple[Pdf, int, str, bool]],
    language: str,
    base: Dictionary | None = None,
) -> tuple[list[set[tuple[int, int]]], dict[str, list[str]]]:
    """Give the pack one structure tree holding each tagged part's, in order, its language
    and its title shown; number the pages of parts LibreOffice did not lay out. `parts` are
    (the part, index of its first page in the pack, title, whether to stamp its pages); the
    part that is the pack itself (the pack grew from it) has its own catalogue in `base`.
    Returns each part's elements in the pack's structure tree, as (object, generation) (none
    where its tags were not kept), and what stops each part (by title) from PDF/UA."""
    total = len(pack.pages)
    read: dict[int, Found] = {}
    for source, first, _, stamped in parts:
        catalog = base if source is pack and base is not None else source.Root
        tagged = is_tagged(catalog)
        for index in range(first, first + len(source.pages)):
            read[index] = inspect(pack, pack.pages[index], geometry=stamped, fix=tagged)
    merger = StructureMerger(pack, base)
    for source, first, title, _ in parts:
        merger.add(source, first, title)
    merger.finish()
    stamp_pages(
        pack,
        [
            (pack.pages[index], title, f"Page {index + 1} of {total}", read[index].boxes)
            for source, first, title, stamped in parts
            if stamped
            for index in range(first, first + len(source.pages))
        ],
    )
    describe_links(pack)
    pack.Root.Lang = String(language)
    preferences = pack.Root.get("/ViewerPreferences")
    if isinstance(preferences, Dictionary):
        preferences.DisplayDocTitle = True
    else:
        pack.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    numbers = {page.obj.objgen: number for number, page in enumerate(pack.pages, 1)}
    why: dict[str, list[str]] = {}
    for (source, first, title, _), elements in zip(parts, merger.parts, strict=True):
        if not elements:
            why[title] = [UNTAGGED]
            continue
        pages = range(first, first + len(source.pages))
        figures = figures_without_alt(
            (pack.get_object(objgen) for objgen in elements), merger.role, numbers
        )
        said = reasons(
            [(index - first + 1, read[index]) for index in pages],
            [number - first if number else 0 for number in figures],
        )
        if said:
            why[title] = said
    return merger.parts, why

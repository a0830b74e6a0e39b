"""The pack as one accessible document, once its parts are joined: their tags kept as one tree
(`tags`), what they draw outside their tags read (decoration marked as artifacts: `content`),
the pages LibreOffice did not lay out numbered and labelled (`stamp`), links described, its
language set and its title shown by viewers rather than its file name (WCAG PDF16, PDF18); and
what stops each part from PDF/UA-1 (`ua`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Pdf, String

from pipeline.conformance import UNTAGGED, annotation_reasons, figures_without_alt, reasons
from pipeline.files import atomic_path
from pipeline.finish.stamp import stamp_pages
from pipeline.finish.tags import StructureMerger
from pipeline.finish.ua import claim, describe_links
from pipeline.pdf import is_tagged
from pipeline.untagged import Found, inspect


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
    # each part's pages in the pack (the part the pack grew from: those before the next part)
    spans = [
        range(first, nxt)
        for (_, first, *_), nxt in zip(parts, [p[1] for p in parts[1:]] + [total], strict=True)
    ]
    read: dict[int, Found] = {}
    for (source, _, _, stamped), pages in zip(parts, spans, strict=True):
        catalog = base if source is pack and base is not None else source.Root
        tagged = is_tagged(catalog)
        for index in pages:
            read[index] = inspect(pack, pack.pages[index], geometry=stamped, fix=tagged)
    merger = StructureMerger(pack, base)
    for (source, first, title, _), pages in zip(parts, spans, strict=True):
        merger.add(source, first, title, len(pages))
    merger.finish()
    stamp_pages(
        pack,
        [
            (pack.pages[index], title, f"Page {index + 1} of {total}", read[index].boxes)
            for (_, _, title, stamped), pages in zip(parts, spans, strict=True)
            if stamped
            for index in pages
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
    for (_, first, title, _), pages, elements in zip(parts, spans, merger.parts, strict=True):
        if not elements:
            why[title] = [UNTAGGED]
            continue
        figures = figures_without_alt(
            (pack.get_object(objgen) for objgen in elements), merger.role, numbers
        )
        said = reasons(
            [(index - first + 1, read[index]) for index in pages],
            [number - first if number else 0 for number in figures],
        ) + annotation_reasons((index - first + 1, pack.pages[index]) for index in pages)
        if said:
            why[title] = said
    return merger.parts, why


def finish_document(path: Path, title: str, language: str) -> list[str]:
    """A PDF that LibreOffice wrote on its own (the published plan) finished as the pack is:
    its decoration marked, its links described, its claim of PDF/UA-1 made only if nothing
    stops it (LibreOffice's PDF/UA export makes it regardless); rewritten in place. What
    stops it, if anything."""
    with pikepdf.open(path) as pdf:
        catalog: Dictionary = pdf.Root  # type: ignore[assignment]
        _, stops = make_accessible(pdf, [(pdf, 0, title, False)], language, catalog)
        claim(pdf, conforms=not stops)
        with atomic_path(path) as tmp:
            pdf.save(tmp, deterministic_id=True, compress_streams=True)
    return [reason for reasons in stops.values() for reason in reasons]

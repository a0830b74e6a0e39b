"""The pack as one accessible document, once its parts are joined: their tags kept as one tree
(`tags`), the pages LibreOffice did not lay out numbered and labelled (`stamp`), its language
set and its title shown by viewers rather than its file name (WCAG PDF16, PDF18)."""

from __future__ import annotations

from collections.abc import Sequence

from pikepdf import Dictionary, Pdf, String

from pipeline.finish.stamp import stamp
from pipeline.finish.tags import StructureMerger


def make_accessible(
    pack: Pdf,
    parts: Sequence[tuple[Pdf, int, str, bool]],
    language: str,
    base: Dictionary | None = None,
) -> list[set[tuple[int, int]]]:
    """Give the pack one structure tree holding each tagged part's, in order, its language
    and its title shown; number the pages of parts LibreOffice did not lay out. `parts` are
    (the part, index of its first page in the pack, title, whether to stamp its pages); the
    part that is the pack itself (the pack grew from it) has its own catalogue in `base`.
    Each part's elements in the pack's structure tree, as (object, generation): none where
    its tags were not kept."""
    total = len(pack.pages)
    for source, first, title, stamped in parts:
        for index in range(first, first + len(source.pages)) if stamped else ():
            stamp(pack, pack.pages[index], title, f"Page {index + 1} of {total}")
    merger = StructureMerger(pack, base)
    for source, first, title, _ in parts:
        merger.add(source, first, title)
    merger.finish()
    pack.Root.Lang = String(language)
    preferences = pack.Root.get("/ViewerPreferences")
    if isinstance(preferences, Dictionary):
        preferences.DisplayDocTitle = True
    else:
        pack.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    return merger.parts

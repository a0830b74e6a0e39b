"""The pack as one accessible document, once its parts are joined: their tags kept as one tree
(`tags`), the pages LibreOffice did not lay out numbered and labelled (`stamp`), its language
set and its title shown by viewers rather than its file name (WCAG PDF16, PDF18)."""

from __future__ import annotations

from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.generic import BooleanObject, NameObject, TextStringObject

from pipeline.build.stamp import stamp
from pipeline.build.tags import StructureMerger


def make_accessible(
    writer: PdfWriter, parts: Sequence[tuple[PdfReader, int, str, bool]], language: str
) -> int:
    """Give the pack one structure tree holding each tagged part's, in order, its language
    and its title shown; number the pages of parts LibreOffice did not lay out. `parts` are
    (reader, index of its first page in the pack, title, whether to stamp its pages).
    The number of parts whose tags were kept."""
    total = len(writer.pages)
    for reader, first, title, stamped in parts:
        for index in range(first, first + len(reader.pages)) if stamped else ():
            stamp(writer, writer.pages[index], title, f"Page {index + 1} of {total}")
    merger = StructureMerger(writer)
    for reader, first, title, _ in parts:
        merger.add(reader, first, title)
    merger.finish()
    writer.root_object[NameObject("/Lang")] = TextStringObject(language)
    preferences = writer.create_viewer_preferences()
    preferences[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    return merger.kept

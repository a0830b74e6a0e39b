"""`pack preview` shows the page being edited before the rest of the pack is made: LibreOffice
exports the saved part's pages on their own first (`FirstPages`), and the page drawn from them
is, pixel for pixel, the page the pack then holds. With the real LibreOffice, for an edit in
the form, in an appendix that starts deep in the pack, and one that pushes the next question
onto another page; and the worker's page range itself, clipped to each part."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from helpers.packs import TODAY
from pipeline.libreoffice.jobs import FirstPages, PackPart
from pipeline.libreoffice.pool import Converters
from pipeline.preview.pages import PageImages
from pipeline.preview.server import Hub
from pipeline.preview.session import Preview
from pipeline.stages.assemble import Build
from pipeline.timings import Timings

EDIT = "A sentence added while previewing, to be seen at once."


class Recorded(Hub):
    """Every state published, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.states: list[dict[str, Any]] = []

    def publish(self, state: dict[str, Any]) -> None:
        self.states.append(state)
        super().publish(state)


def _previewed(
    example: Path, out: Path, edit: tuple[str, str], pages: PageImages
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """Build the example as `pack preview` does, save `edit` (a file under the inputs, and
    text added to its end), build again: (the first state that showed a changed page, the
    last state, what LibreOffice did in the second build)."""
    hub = Recorded()
    with Build(out, TODAY) as build:
        build.keep_forms()
        preview = Preview(build, example, hub, pages)
        build.first, build.converted = preview.first, preview.converted
        preview.built(build.one(example))
        hub.states.clear()
        path = example / edit[0]
        time.sleep(0.01)  # a modification time of its own
        path.write_text(path.read_text(encoding="utf-8") + edit[1], encoding="utf-8")
        build.timings = Timings(start=time.time())
        before = len(build.converters.spans)
        preview.built(build.one(example))
        done = [name for name, *_ in build.converters.spans[before:]]
    early = next(state for state in hub.states if state["changed"])
    return early, hub.states[-1], done


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    "edit",
    [
        ("answers/5-since-signing.md", f"\n{EDIT}\n"),  # the form, which starts the pack
        ("appendices/3-data-sources-and-methods.md", f"\n{EDIT}\n"),  # a part deep in the pack
        # enough to move the next question onto a later page
        ("answers/6-action-plan.md", "".join(f"\n{EDIT} ({n})\n" for n in range(20))),
    ],
    ids=["form", "appendix", "pushes-on"],
)
def test_the_page_in_view_is_shown_from_its_first_pages(
    example: Path, tmp_path: Path, edit: tuple[str, str]
) -> None:
    pages = PageImages(scale=0.5)
    try:
        early, last, done = _previewed(example, tmp_path / "build", edit, pages)
        assert any(name.startswith("LibreOffice: first pages") for name in done), done
        assert early["status"]["state"] == "building"  # before the pack was combined
        focus = early["focus"]
        shown = {page["n"]: page["image"] for page in early["pages"]}
        final = {page["n"]: page["image"] for page in last["pages"]}
        assert shown[focus] == final[focus]  # the same pixels as the pack's own page
        assert EDIT in " ".join(pages.texts[focus].split())
        assert last["status"]["state"] == "built"
    finally:
        pages.close()


@pytest.mark.libreoffice
def test_the_first_pages_are_the_packs_pages_clipped_to_each_part(
    example: Path, tmp_path: Path
) -> None:
    """Pages 2 to 4 of a pack of a two-page document, a one-page part converted before, and
    another two-page document: page 2 of the first and page 1 of the last, each numbered as
    the pack, before either is exported whole."""
    from docx import Document

    sources = []
    for name, count in (("a", 2), ("b", 2)):
        document = Document()
        for n in range(count):
            document.add_paragraph(f"Document {name}, page {n + 1}")
            if n + 1 < count:
                document.add_page_break()
        footer = document.sections[0].footer.paragraphs[0]
        _page_field(footer)
        sources.append(tmp_path / f"{name}.docx")
        document.save(sources[-1])
    handed: list[tuple[str, int, list[str]]] = []

    def shown(pdf: Path, page: int) -> None:
        texts = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
        handed.append((pdf.name, page, texts))
        assert not (tmp_path / "a.pdf").exists()  # before any part is exported whole

    parts = [
        PackPart(sources[0], tmp_path / "a.pdf"),
        PackPart(pages=1),
        PackPart(sources[1], tmp_path / "b.pdf"),
    ]
    with Converters(1) as converters:
        assert converters.convert_pack(parts, FirstPages(2, 4, shown)) == [2, 1, 2]
        work = converters.made[0].work  # type: ignore[union-attr]
        assert work is not None
        assert not list(work.glob("*.first.pdf"))  # removed once read
    assert [(page, len(texts)) for _, page, texts in handed] == [(2, 1), (4, 1)]
    for (_, _, (text,)), body, footer in zip(
        handed, ["Document a, page 2", "Document b, page 1"], ["Page 2", "Page 4"], strict=True
    ):
        assert body in text
        assert footer in text.replace(body, "")


def _page_field(paragraph: Any) -> None:
    """A PAGE field in `paragraph`, after the word "Page"."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph.add_run("Page ")
    for xml in (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml))

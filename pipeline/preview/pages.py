"""The pack's pages as images, drawn again only where they changed, the page in view first.

A page's image is named by the hash of its pixels: the browser fetches only the pages that look
different. A part of the pack whose PDF did not change (its key, where it starts and the pack's
total, from the manifest) keeps its images without being drawn. The part just saved is drawn
from the pages LibreOffice made of it first (or from its whole PDF), from where its section
starts, until a page looks different: that page is shown before the pack is combined
(`early`); the pack's pages are then drawn from the pack (a page drawn early has the same
pixels, so the same name). Images are held in memory, never written to disk: nothing is served
from a path, and nothing is half-written when the preview stops.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PackError
from pipeline.incremental.manifest import MANIFEST, Manifest, work_folder

if TYPE_CHECKING:
    import pypdfium2
    from PIL import Image

SCALE = 1.5
"""Pixels per PDF point: 108 dots per inch, an A4 page 893 pixels wide, readable at its size."""


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the pack as the browser shows it."""

    number: int
    """1-based, as the pack's footers count."""
    image: str
    """The name of its image: the hash of its pixels."""
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Section:
    """An entry of the pack's outline (a part, or a question), and the page it starts on."""

    title: str
    page: int
    """1-based."""
    level: int
    """0 for a part (the form, the plan, an appendix), 1 for a question or the sign-off."""


def part_looks(pdf: Path, count: int) -> list[str]:
    """For each page, what decides how it looks: its part's key, where the part starts and
    the pack's total (the footers), from the build's manifest; without a readable manifest
    that agrees with the PDF, a key no other build has (every page is drawn)."""
    try:
        manifest = Manifest.read(work_folder(pdf.parent, pdf.stem) / MANIFEST)
    except PackError:
        manifest = None
    if manifest is None or sum(part.pages for part in manifest.parts) != count:
        return [f"{pdf}/{index}/{id(manifest)}/unkeyed" for index in range(count)]
    looks, start = [], 1
    for part in manifest.parts:
        key = f"{part.converted or part.key}/{start}/{count}/{manifest.draft}/{part.title}"
        looks += [f"{key}/{n}" for n in range(part.pages)]
        start += part.pages
    return looks


def _encoded(pixels: Image.Image) -> bytes:
    """PNG, lossless so that text stays sharp, at the fastest compression (25 ms and 160 KB a
    page): the image only crosses the loopback."""
    out = io.BytesIO()
    pixels.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _text(document: pypdfium2.PdfDocument, index: int) -> str:
    return str(document[index].get_textpage().get_text_range())


class PageImages:
    """The current pack's pages and their images; `update` after every build."""

    def __init__(self, scale: float = SCALE) -> None:
        self.scale = scale
        self.pages: tuple[Page, ...] = ()
        """What the page shows: the pack's pages, or the saved part's ahead of them."""
        self.settled: tuple[Page, ...] = ()
        """The pack's pages as last combined."""
        self.sections: tuple[Section, ...] = ()
        self.images: dict[str, bytes | Future[bytes]] = {}
        """Each image by name: its PNG, or its PNG still being encoded on another core."""
        self.looks: list[str] = []
        """What decides each settled page's looks (`part_looks`)."""
        self.texts: dict[int, str] = {}
        """Each settled page's text, by number: what `early` compares."""
        self.early_texts: dict[int, str] = {}
        """The text of a page shown early, until the pack is combined."""
        self._encoders = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pack-page")

    def image(self, name: str) -> bytes | None:
        """An image's PNG (waiting for it while it is encoded); None if there is no such."""
        found = self.images.get(name)
        return found.result() if isinstance(found, Future) else found

    def early(self, part: Path, offset: int, start: int, told: Callable[[list[int]], None]) -> bool:
        """Before the pack is combined: from the saved part's own PDF (`part`, whose first
        page is the pack's page `offset + 1`), from the pack's page `start` on, draw the first
        page whose text changed; if it looks different, show it (`pages`) and tell `told`.
        Whether one was shown. (Comparing text, a few milliseconds a page, spares drawing the
        pages before the edit; a change of looks alone waits for the pack.)"""
        import pypdfium2  # only `pack preview` draws pages

        settled = {page.number: page for page in self.settled}
        try:
            document = pypdfium2.PdfDocument(str(part))
        except pypdfium2.PdfiumError:  # not shown early: the pack's own pages follow
            return False
        try:
            for index in range(max(0, start - offset - 1), len(document)):
                number = offset + index + 1
                text = _text(document, index)
                if text == self.texts.get(number):
                    continue
                page = self._draw(document, index, number)
                if settled.get(number) == page:
                    return False
                self.pages = tuple(page if p.number == number else p for p in self.settled)
                self.early_texts = {number: text}
                told([number])
                return True
        finally:
            document.close()
        return False

    def text(self, number: int) -> str:
        """The text of the page shown as `number`: what a screen reader reads for its image."""
        return self.early_texts.get(number, self.texts.get(number, ""))

    def update(self, pdf: Path) -> list[int]:
        """Read the pack at `pdf` again; the numbers of the pages that look different now."""
        import pypdfium2  # only `pack preview` draws pages

        before = {page.number: page for page in self.settled}
        kept = dict(zip(self.looks, self.settled, strict=False))
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            looks = part_looks(pdf, len(document))
            pages = []
            texts = {}
            for index, look in enumerate(looks):
                page = kept.get(look)
                if page is None or page.number != index + 1:
                    page = self._draw(document, index, index + 1)
                    texts[index + 1] = _text(document, index)
                else:
                    texts[index + 1] = self.texts.get(index + 1, "")
                pages.append(page)
            self.sections = self._outline(document)
        finally:
            document.close()
        shown = {page.image for page in (*self.pages, *pages)}  # the page may ask for either
        self.pages = self.settled = tuple(pages)
        self.looks, self.texts, self.early_texts = looks, texts, {}
        for name in [name for name in self.images if name not in shown]:
            del self.images[name]
        return [page.number for page in pages if before.get(page.number) != page]

    def _draw(self, document: pypdfium2.PdfDocument, index: int, number: int) -> Page:
        """Draw one page (the pack's page `number`), encoding its image on another core if
        it is a new one."""
        bitmap = document[index].render(scale=self.scale)
        name = hashlib.sha256(bitmap.buffer).hexdigest()[:24]  # the fastest here (SHA-NI)
        if name not in self.images:
            self.images[name] = self._encoders.submit(_encoded, bitmap.to_pil())
        return Page(number, name, bitmap.width, bitmap.height)

    def _outline(self, document: pypdfium2.PdfDocument) -> tuple[Section, ...]:
        found = []
        for mark in document.get_toc(max_depth=2):
            target = mark.get_dest()
            index = target.get_index() if target is not None else None
            if index is not None:
                found.append(Section(mark.get_title(), index + 1, mark.level))
        return tuple(found)

    def close(self) -> None:
        self._encoders.shutdown(wait=True, cancel_futures=True)

"""Combine stage: the parts' PDFs into the one named pack, with outline and metadata.

The pack is put together by qpdf (through pikepdf): it copies pages, with their annotations and
links, and whole structure trees at the speed of C++, where a pure-Python reader spends longer
than LibreOffice's own export on a tagged form. Appendix PDFs come from elsewhere and are
untrusted: encrypted ones are opened with an empty password or refused by name, and the pack is
sanitised (`sanitize.py`): form fields flattened, active content removed, only reachable
objects written.
"""

from __future__ import annotations

import contextlib
import gc
import re
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf

from pipeline import posix
from pipeline.errors import CombineError, UnsafeFile
from pipeline.files import atomic_path
from pipeline.finish.accessible import make_accessible
from pipeline.finish.sanitize import sanitize
from pipeline.finish.ua import claim
from pipeline.finish.watermark import mark_draft
from pipeline.incremental.manifest import Manifest
from pipeline.incremental.record import INFO_KEY, finished, page_digest
from pipeline.marks import drop_review, fill_appearances
from pipeline.pdf import append_pages, open_qpdf, page_contents, reason


def open_part(path: Path, stack: contextlib.ExitStack) -> Pdf:
    """A part of the pack, open until `stack` closes: decrypted if it opens with an empty
    password; else `CombineError` naming it."""
    try:
        return stack.enter_context(open_qpdf(path))
    except UnsafeFile as exc:
        raise CombineError(str(exc)) from exc


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _outline_pages(source: Pdf) -> list[tuple[str, int]]:
    """(title, page index) of every entry of a PDF's own outline, in order."""
    pages = {page.obj.objgen: index for index, page in enumerate(source.pages)}
    found: list[tuple[str, int]] = []

    def walk(items: list[OutlineItem]) -> None:
        for item in items:
            destination: Any = item.destination
            if destination is None and item.action is not None:
                destination = item.action.get("/D")
            if isinstance(destination, Array) and len(destination):
                target = destination[0]
                if isinstance(target, Dictionary) and target.objgen in pages:
                    found.append((item.title, pages[target.objgen]))
            walk(item.children)

    try:
        with source.open_outline() as outline:
            walk(outline.root)
    except (pikepdf.OutlineStructureError, pikepdf.PdfError, ValueError, TypeError):
        return []
    return found


def find_headings(
    source: Pdf, headings: tuple[tuple[str, int], ...], path: Path
) -> list[tuple[str, int, int]]:
    """(heading, level, page index) for each heading, from the PDF's outline or, failing that,
    its text."""
    outline = _outline_pages(source)
    texts: list[str] | None = None
    results = []
    cursor = 0
    for heading, level in headings:
        key = _norm(heading)
        page = next((p for t, p in outline if _norm(t) == key and p >= cursor), None)
        if page is None:
            texts = texts if texts is not None else _page_texts(path)
            page = next((i for i in range(cursor, len(texts)) if key in texts[i]), None)
        if page is None:
            raise CombineError(
                f"{path}: heading {heading!r} not found in the PDF; keep the template's heading styles"
            )
        results.append((heading, level, page))
        cursor = page
    return results


def _page_texts(path: Path) -> list[str]:
    """Each page's text, normalised (pypdf: qpdf extracts no text; rarely needed, as the parts
    LibreOffice writes carry their headings in their outline)."""
    from pipeline.pdf import open_pdf

    try:
        return [_norm(page.extract_text()) for page in open_pdf(path).pages]
    except UnsafeFile as exc:
        raise CombineError(str(exc)) from exc


def _digest(page: pikepdf.Page, number: int) -> str:
    """`page_digest` of a page of the pack (`number` from 1, for the message)."""
    rotate = page.obj.get("/Rotate", 0)
    rotate = rotate if isinstance(rotate, int) and not isinstance(rotate, bool) else 0
    try:
        box = [float(v) for v in page.mediabox]
        return page_digest(box, rotate, page_contents(page))
    except (pikepdf.PdfError, ValueError, TypeError, NotImplementedError) as exc:
        raise CombineError(
            f"page {number} of the pack: what it shows cannot be read ({reason(exc)}); "
            "run `pack check`"
        ) from exc


def give_back_memory() -> None:
    """Hand the heap that rendering freed back to the system before qpdf allocates the pack's
    objects (`pack assemble` calls it while LibreOffice converts): glibc keeps freed memory for reuse, and rendering leaves it in pieces that qpdf's
    allocations do not fit (on the large pack, the peak falls by a fifth). The documents
    rendered are held in reference cycles (lxml's elements and python-docx's proxies): collected
    first. Where the C library has no `malloc_trim`, nothing more."""
    gc.collect()
    posix.give_back_memory()


def combine(manifest: Manifest, target: Path) -> Path:
    """Write the pack to `target` (atomically) and return it."""
    with contextlib.ExitStack() as stack:
        pack: Pdf | None = None
        base = Dictionary()  # the first part's own catalogue, once the pack has its own
        outline: list[tuple[str, int, int]] = []
        parts: list[tuple[str, int, int]] = []
        placed = []
        for part in manifest.parts:
            path = Path(part.pdf)
            if not path.is_file():
                raise CombineError(f"{path}: missing; run `pack convert` first")
            source = open_part(path, stack)
            if not part.needs_conversion:  # a PDF appendix, changed in memory only
                fill_appearances(source)  # a form's values kept where it left them undrawn
                if manifest.accepted:
                    drop_review(source)
            start = len(pack.pages) if pack is not None else 0
            outline.append((part.title, 0, start))
            if part.headings:
                outline += [
                    (h, 1 if level else 0, start + page)
                    for h, level, page in find_headings(source, part.headings, path)
                ]
            if pack is None:  # the pack grows from the first part (the form) as it is
                pack, base = source, _own_catalog(source)
            else:
                try:
                    append_pages(pack, source)
                except (pikepdf.PdfError, RecursionError) as exc:
                    raise CombineError(
                        f"{path}: cannot append the PDF ({reason(exc, path)})"
                    ) from exc
            parts.append((part.title, start, len(pack.pages) - start))
            placed.append((source, start, part.title, not part.needs_conversion))
        if pack is None:
            raise CombineError(f"{manifest.title}: a pack with no parts")
        elements, stops = make_accessible(pack, placed, manifest.language, base)
        _write_outline(pack, outline)
        if manifest.draft:
            mark_draft(pack)
        # the structure elements LibreOffice made need no looking into
        made = [e for e, (*_, stamped) in zip(elements, placed, strict=True) if not stamped]
        sanitize(pack, set().union(*made))
        record = finished(
            manifest.record, parts, outline, [_digest(p, n) for n, p in enumerate(pack.pages, 1)]
        )
        info = pack.make_indirect(
            Dictionary(
                Title=pikepdf.String(manifest.title),
                Author=pikepdf.String(manifest.author),
                Subject=pikepdf.String(manifest.subject),
                Keywords=pikepdf.String(manifest.keywords),
                Creator=pikepdf.String("tc-pack (Technician Commitment pack builder)"),
            )
        )
        info[INFO_KEY] = pikepdf.String(record)
        pack.trailer.Info = info
        _xmp(pack, manifest)
        claim(pack, conforms=not stops)  # PDF/UA-1, when every part has it
        pack.Root.PageMode = Name.UseOutlines
        with atomic_path(target) as tmp:
            pack.save(
                tmp,
                min_version=max(source.pdf_version for source, *_ in placed),
                deterministic_id=True,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                compress_streams=True,
            )
    return target


def _xmp(pack: Pdf, manifest: Manifest) -> None:
    """The pack's XMP metadata, saying what its information dictionary says (accessibility
    checkers read the title and language from there); no dates, so that a pack is the same
    bytes whenever it is built."""
    with pack.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = manifest.title
        meta["dc:creator"] = [manifest.author]
        meta["dc:description"] = manifest.subject
        meta["pdf:Keywords"] = manifest.keywords
        meta["dc:language"] = [manifest.language]
        meta["xmp:CreatorTool"] = "tc-pack (Technician Commitment pack builder)"


def _own_catalog(pack: Pdf) -> Any:
    """Give `pack` (the first part, opened) a catalogue of its own: its pages, the named
    destinations its links lead to and its layers, nothing else of the part's (its outline,
    metadata, structure tree, form, actions are the part's, not the pack's). The part's own
    catalogue, returned, still holds its structure tree for the merge."""
    own: Any = pack.Root
    catalog = Dictionary(Type=Name.Catalog, Pages=own.Pages)
    names = own.get("/Names")
    if isinstance(names, Dictionary) and "/Dests" in names:
        catalog.Names = Dictionary(Dests=names.Dests)
    for key in ("/Dests", "/OCProperties"):
        if key in own:
            catalog[key] = own[key]
    pack.trailer.Root = pack.make_indirect(catalog)
    # nor its trailer's: its /ID (qpdf would keep the first), LibreOffice's /DocChecksum (of
    # the moment it was written); the pack's ID comes from its content
    for key in set(pack.trailer.keys()) - {"/Root", "/Size"}:
        del pack.trailer[key]
    return own


def _write_outline(pack: Pdf, outline: list[tuple[str, int, int]]) -> None:
    """The pack's outline: each part, and under it its headings (level 1)."""
    with pack.open_outline() as tree:
        parent: OutlineItem | None = None
        for title, level, page in outline:
            item = OutlineItem(title, page)
            if level and parent is not None:
                parent.children.append(item)
            else:
                tree.root.append(item)
                parent = item

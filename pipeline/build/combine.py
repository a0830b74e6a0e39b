"""Combine stage: the parts' PDFs into the one named pack, with outline and metadata.

Appendix PDFs come from elsewhere and are untrusted: encrypted ones are opened with an empty
password or refused by name, and the pack is sanitised (`sanitize.py`): form fields flattened,
active content removed, only reachable objects written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from pipeline import pdf
from pipeline.build.accessible import make_accessible
from pipeline.build.manifest import Manifest
from pipeline.build.record import INFO_KEY, finished
from pipeline.build.sanitize import sanitize
from pipeline.build.watermark import mark_draft
from pipeline.errors import CombineError, UnsafeFile
from pipeline.files import atomic_path


def _readable_pdf(path: Path) -> PdfReader:
    """A readable PDF, decrypted if it opens with an empty password; else `CombineError`."""
    try:
        return pdf.open_pdf(path)
    except UnsafeFile as exc:
        raise CombineError(str(exc)) from exc


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _outline_pages(reader: PdfReader) -> list[tuple[str, int]]:
    """(title, page index) of every entry of a PDF's own outline, in order."""
    found: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item)
                if page is not None:
                    found.append((str(item.title), page))

    walk(reader.outline)
    return found


def find_headings(
    reader: PdfReader, headings: tuple[tuple[str, int], ...], path: Path
) -> list[tuple[str, int, int]]:
    """(heading, level, page index) for each heading, from the PDF's outline or, failing that, its text."""
    outline = _outline_pages(reader)
    results = []
    cursor = 0
    for heading, level in headings:
        key = _norm(heading)
        page = next((p for t, p in outline if _norm(t) == key and p >= cursor), None)
        if page is None:
            page = next(
                (
                    i
                    for i in range(cursor, len(reader.pages))
                    if key in _norm(reader.pages[i].extract_text())
                ),
                None,
            )
        if page is None:
            raise CombineError(
                f"{path}: heading {heading!r} not found in the PDF; keep the template's heading styles"
            )
        results.append((heading, level, page))
        cursor = page
    return results


def combine(manifest: Manifest, target: Path) -> Path:
    """Write the pack to `target` (atomically) and return it."""
    writer = PdfWriter()
    outline: list[tuple[str, int, int]] = []
    parts: list[tuple[str, int, int]] = []
    placed = []
    for part in manifest.parts:
        path = Path(part.pdf)
        if not path.is_file():
            raise CombineError(f"{path}: missing; run `pack convert` first")
        reader = _readable_pdf(path)
        start = len(writer.pages)
        outline.append((part.title, 0, start))
        if part.headings:
            outline += [
                (h, 1 if level else 0, start + page)
                for h, level, page in find_headings(reader, part.headings, path)
            ]
        try:
            writer.append(reader, import_outline=False)
        except (
            PyPdfError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            RecursionError,
        ) as exc:  # AttributeError: a reference to an object that does not exist
            raise CombineError(f"{path}: cannot append the PDF ({exc})") from exc
        parts.append((part.title, start, len(writer.pages) - start))
        placed.append((reader, start, part.title, not part.needs_conversion))
    make_accessible(writer, placed, manifest.language)
    parent = None
    for title, level, page in outline:
        item = writer.add_outline_item(
            title=title, page_number=page, parent=parent if level else None
        )
        if level == 0:
            parent = item
    if manifest.draft:
        mark_draft(writer)
    sanitize(writer)
    writer.add_metadata(
        {
            "/Title": manifest.title,
            "/Author": manifest.author,
            "/Subject": manifest.subject,
            "/Keywords": manifest.keywords,
            "/Creator": "tc-pack (Technician Commitment pack builder)",
            INFO_KEY: finished(manifest.record, parts, outline, list(writer.pages)),
        }
    )
    writer.page_mode = "/UseOutlines"
    with atomic_path(target) as tmp, tmp.open("wb") as handle:
        writer.write(handle)
    return target

"""Convert stage for one pack: its documents to PDF with LibreOffice, numbered as one document.

A part is converted again when what it was made from changed, or when its page numbers moved:
every footer says "Page k of N" for the whole pack and the contents page gives the page where
each part starts, so a part whose page count changed moves the numbers of the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.errors import PackError, UnsafeFile
from pipeline.incremental import keys, stale
from pipeline.incremental.manifest import MANIFEST, Manifest, Part, work_folder
from pipeline.libreoffice.jobs import FirstPages, PackPart
from pipeline.libreoffice.pool import Converters
from pipeline.pdf import open_qpdf

Progress = Callable[[str], None]


def _quiet(message: object) -> None:
    pass


def _convert_key(part: Part, kind: str) -> str:
    return keys.digest(part.key, keys.libreoffice_version(), kind)


def _numbering(manifest: Manifest, kind: str) -> list[str]:
    """What each part's page numbers are: its first page and the pack's total, and the first
    page of each part its contents page names ("" where LibreOffice numbers nothing)."""
    starts = [1 + sum(p.pages for p in manifest.parts[:i]) for i in range(len(manifest.parts))]
    total = sum(p.pages for p in manifest.parts)
    if kind == "cold":
        return [""] * len(starts)
    letters = {p.letter: i for i, p in enumerate(manifest.parts) if p.letter}
    return [
        keys.digest(str(starts[i]), str(total), *(str(starts[letters[w[1:]]]) for _, w in p.fill))
        for i, p in enumerate(manifest.parts)
    ]


def _converting(manifest: Manifest, indexes: Sequence[int]) -> str:
    appendices = sum(i > 0 for i in indexes)
    what = (["the form"] if 0 in indexes else []) + (
        [f"{appendices} appendix document(s)"] if appendices else []
    )
    return f"converting {' and '.join(what)} with LibreOffice"


def _convert(
    manifest: Manifest,
    indexes: Sequence[int],
    converters: Converters,
    progress: Progress,
    first: FirstPages | None = None,
) -> Manifest:
    """Convert the parts at `indexes`, numbered as the pack; the others keep their pages
    (`first`: some pages handed over on their own first)."""
    progress(_converting(manifest, indexes))
    letters = {p.letter: i for i, p in enumerate(manifest.parts) if p.letter}
    request = [
        PackPart(
            Path(part.source),
            Path(part.pdf),
            fill={token: letters[where[1:]] for token, where in part.fill},
            name=Path(part.origin) if part.origin else None,
        )
        if index in indexes
        else PackPart(pages=part.pages)
        for index, part in enumerate(manifest.parts)
    ]
    for index, pages in enumerate(converters.convert_pack(request, first)):
        manifest = manifest.with_part(index, pages=pages)
    return manifest


def convert_pack(
    manifest: Manifest,
    out_dir: Path,
    converters: Converters,
    progress: Progress = _quiet,
    first: FirstPages | None = None,
) -> Manifest:
    """Convert the pack's documents whose keys changed, numbered as one document ("Page k of
    N" across the pack, the contents page's numbers); then those whose numbers moved. The
    pages `first` asks for are handed over as soon as they are made (`pack preview`).

    A part's `converted` is the key of what it was converted from, then of its numbers."""
    kind = converters.expected_kind()
    for index, part in enumerate(manifest.parts):
        if not part.needs_conversion and (part.converted != part.key or not part.pages):
            pages = _pdf_pages(Path(part.pdf))
            manifest = manifest.with_part(index, converted=part.key, pages=pages)
    changed = [
        index
        for index, part in enumerate(manifest.parts)
        if part.needs_conversion
        and (
            part.converted.split("/")[0] != _convert_key(part, kind)
            or not part.pages
            or not Path(part.pdf).is_file()
        )
    ]
    done = set(changed)
    if changed:
        manifest = _convert(manifest, changed, converters, progress, first)
    kind = converters.kind or kind
    numbering = _numbering(manifest, kind)
    moved = [
        index
        for index, part in enumerate(manifest.parts)
        if part.needs_conversion
        and index not in done
        and part.converted != f"{_convert_key(part, kind)}/{numbering[index]}"
    ]
    if moved:
        manifest = _convert(manifest, moved, converters, progress, first if not changed else None)
        numbering = _numbering(manifest, kind)
        done.update(moved)
    for index in done:
        part = manifest.parts[index]
        converted = f"{_convert_key(part, kind)}/{numbering[index]}"
        manifest = manifest.with_part(index, converted=converted)
    manifest = stale.converted(manifest)  # every PDF is now of its document's latest rendering
    manifest.save(work_folder(out_dir, manifest.stem) / MANIFEST)
    return manifest


def _pdf_pages(path: Path) -> int:
    try:
        with open_qpdf(path) as source:
            return len(source.pages)
    except UnsafeFile as exc:
        raise PackError(str(exc)) from exc

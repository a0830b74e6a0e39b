"""Every input file is untrusted: decide what a file is by its content, and refuse the dangerous.

Office files are zip archives of XML parts: a zip bomb is refused from the sizes its directory
declares, before anything is inflated, and a part with a DOCTYPE (which Office never writes, and
which is how entity-expansion and external-entity attacks start) is refused outright.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import UnsafeFile

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_UNCOMPRESSED = 200 * 1024 * 1024
"""Bytes, all parts together."""
MAX_RATIO = 200
"""Uncompressed to compressed size of one part; real Office parts stay far below."""
_XML_HEAD = 4096


IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": ".png",
    b"\xff\xd8\xff": ".jpg",
    b"GIF87a": ".gif",
    b"GIF89a": ".gif",
    b"BM": ".bmp",
    b"II*\x00": ".tif",
    b"MM\x00*": ".tif",
}
"""The first bytes of each image format an answer may hold -> the format's usual suffix."""


def image_suffix(head: bytes) -> str | None:
    """The suffix of the image format `head` starts, by content; None when it is no image."""
    return next((s for magic, s in IMAGE_SIGNATURES.items() if head.startswith(magic)), None)


@functools.cache
def xml_parser() -> Any:
    """The one XML parser for untrusted parts: no entities, no DTD, no network, no huge trees
    (lxml is imported here, on first use, not by everything that imports this module)."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


def parse_xml(data: bytes) -> Any:
    """An untrusted XML part parsed with `xml_parser`; lxml's `XMLSyntaxError` when malformed."""
    from lxml import etree

    return etree.fromstring(data, xml_parser())


def check_zip(path: Path, required: str) -> None:
    """Refuse a file that is not a sane zip holding `required` (e.g. `word/document.xml`)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeFile(f"{path}: not an Office file (not a zip archive)") from exc
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if required not in names:
            raise UnsafeFile(f"{path}: not the expected Office document (no {required})")
        total = 0
        for info in infos:
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise UnsafeFile(f"{path}: part {info.filename} expands suspiciously; refused")
        if total > MAX_UNCOMPRESSED:
            raise UnsafeFile(f"{path}: expands to {total // 2**20} MiB; refused")
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as part:
                    head = part.read(_XML_HEAD)
                if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                    raise UnsafeFile(f"{path}: part {info.filename} has a DOCTYPE; refused")


def sniff(path: Path) -> str:
    """`pdf`, `docx` or `markdown`, by content; an `UnsafeFile` for anything else."""
    with path.open("rb") as handle:
        head = handle.read(1024)
    if head.startswith(b"%PDF-") or (b"%PDF-" in head and path.suffix.lower() == ".pdf"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        check_zip(path, required="word/document.xml")
        return "docx"
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown", ".txt"):
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise UnsafeFile(
                f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
            ) from exc
        return "markdown"
    expected = {".pdf": "a PDF", ".docx": "a Word document"}.get(suffix)
    if expected:
        raise UnsafeFile(f"{path}: named {suffix} but is not {expected}")
    raise UnsafeFile(f"{path}: unsupported appendix type; use Markdown, DOCX or PDF")


def open_pdf(path: Path) -> PdfReader:
    """A readable PDF with pages, decrypted if an empty password opens it; else `UnsafeFile`."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError as exc:
                raise UnsafeFile(
                    f"{path}: encrypted in a way that cannot be opened here ({exc}); "
                    "save an unprotected copy"
                ) from exc
            if not opened:
                raise UnsafeFile(f"{path}: protected by a password; save an unprotected copy")
        if len(reader.pages) == 0:
            raise UnsafeFile(f"{path}: the PDF has no pages")
        return reader
    except UnsafeFile:
        raise
    except (OSError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise UnsafeFile(f"{path}: cannot read the PDF ({exc})") from exc


def is_tagged(reader: PdfReader) -> bool:
    """Whether a PDF is tagged: a structure tree with something in it (what screen readers
    read) and marked content."""
    catalog: Any = reader.trailer["/Root"].get_object()
    tree: Any = catalog.get("/StructTreeRoot")
    tree = tree.get_object() if tree is not None else None
    marks: Any = catalog.get("/MarkInfo")
    marked = marks.get_object().get("/Marked") if marks is not None else False
    return bool(tree is not None and tree.get("/K") is not None and marked)

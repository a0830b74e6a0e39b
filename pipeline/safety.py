"""Every input file is untrusted: decide what a file is by its content, and refuse the dangerous.

Office files are zip archives of XML parts: a zip bomb is refused from the sizes its directory
declares, before anything is inflated, and a part with a DOCTYPE (which Office never writes, and
which is how entity-expansion and external-entity attacks start) is refused outright.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pipeline import limits
from pipeline.errors import UnsafeFile

MAX_UNCOMPRESSED = 200 * 1024 * 1024
"""Bytes, all parts together."""
MAX_RATIO = 200
"""Uncompressed to compressed size of one part; real Office parts stay far below."""


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


def check_zip(path: Path, required: str, name: Path | None = None) -> str:
    """Refuse a file that is not a sane zip holding `required` (e.g. `word/document.xml`);
    messages name `name` (the user's file) when `path` is a copy of it. The package's main
    part: `required`, or for a Word file the part its relationships name instead (Word for the
    web writes `word/document2.xml`), as Word itself finds it."""
    shown = name or path
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeFile(f"{shown}: not an Office file (not a zip archive)") from exc
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        named = main_part(archive)
        folder = required.split("/")[0] + "/"
        main = named if required == WORD_MAIN and named and named.startswith(folder) else required
        if main not in names:
            if named is None or not named.startswith(folder):
                raise UnsafeFile(f"{shown}: not the expected Office document (no {required})")
            # the same kind of document, its main part named otherwise: allowed by the format,
            # rare, and read here for Word files only
            raise UnsafeFile(
                f"{shown}: its main part is {named}, not {required}; open it in Word, Excel "
                "or LibreOffice and save it again"
            )
        total = 0
        for info in infos:
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise UnsafeFile(f"{shown}: part {info.filename} expands suspiciously; refused")
            if info.file_size > limits.OFFICE_PART_BYTES:
                raise UnsafeFile(
                    f"{shown}: part {info.filename} expands to {info.file_size // 2**20} MiB, "
                    f"over the limit of {limits.OFFICE_PART_BYTES // 2**20} MiB; refused"
                )
        if total > MAX_UNCOMPRESSED:
            raise UnsafeFile(f"{shown}: expands to {total // 2**20} MiB; refused")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
                # a bad CRC, compressed data cut or garbled, a compression zip cannot read
                raise UnsafeFile(
                    f"{shown}: damaged (part {info.filename}: {exc}); save it again from the "
                    "program that made it"
                ) from exc
            refusal = xml_refusal(data)
            if refusal:
                raise UnsafeFile(f"{shown}: part {info.filename} {refusal}; refused")
    return main


WORD_MAIN = "word/document.xml"
"""Where Word, LibreOffice and python-docx put a Word document's main part."""
_OFFICE_DOCUMENT = re.compile(r"/(officeDocument|relationships/officeDocument)$")
"""The type of the package's relationship to its main part (transitional and strict)."""


def main_part(archive: zipfile.ZipFile) -> str | None:
    """The package's main part, as its relationships (`_rels/.rels`) name it and Word finds it,
    where that part is there; None when they name none (or cannot be read)."""
    names = set(archive.namelist())
    if "_rels/.rels" not in names or archive.getinfo("_rels/.rels").file_size > 65536:
        return None
    try:
        root = parse_xml(archive.read("_rels/.rels"))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, SyntaxError):
        return None  # SyntaxError: lxml's XMLSyntaxError (the check of its parts names it)
    for rel in root.iter("{*}Relationship"):
        if _OFFICE_DOCUMENT.search(rel.get("Type", "")) and rel.get("TargetMode") != "External":
            part = posixpath.normpath(unquote(rel.get("Target", "")).lstrip("/"))
            return part if part in names else None
    return None


def word_main(archive: zipfile.ZipFile) -> str:
    """The main part of a Word file: the part its relationships name (Word for the web writes
    `word/document2.xml`), else `word/document.xml`."""
    named = main_part(archive)
    return named if named is not None and named.startswith("word/") else WORD_MAIN


_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def xml_encoding(data: bytes) -> str:
    """The encoding an XML part is in: its byte-order mark, else its declaration, else UTF-8."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return encoding
    declared = _DECLARED.match(data[:200])
    return declared[1].decode("ascii").lower() if declared else "utf-8"


def xml_refusal(data: bytes) -> str | None:
    """Why an XML part is refused, read whole in the encoding it declares: it has a DOCTYPE or
    an entity anywhere, or it is not text that starts as XML does in any encoding this can tell
    (EBCDIC, say, which the parser would read and this could not); None when it is fine."""
    try:
        text = data.decode(xml_encoding(data), errors="replace")
    except LookupError:
        return "declares an encoding that cannot be read"
    if _DOCTYPE.search(text):
        return "has a DOCTYPE"
    start = text.lstrip("\ufeff \t\r\n")
    if start and not start.startswith("<"):
        return "is not XML in an encoding it declares"
    return None


_WORD_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""An OLE compound file: a Word 97-2003 document, or an Office file with a password."""


def is_word(path: Path) -> bool:
    """Whether a zip is a Word document by its declared content, not by the parts it holds:
    `[Content_Types].xml` makes its main part (`word/document.xml`, or the part its
    relationships name) the main document, and there is no OpenDocument `mimetype`. A list of
    parts that is not XML is an `UnsafeFile` naming it (a Word file broken inside)."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "mimetype" in names or "[Content_Types].xml" not in names:
            return False
        try:
            types = parse_xml(archive.read("[Content_Types].xml"))
        except SyntaxError as exc:  # lxml's XMLSyntaxError: a Word file broken inside
            raise UnsafeFile(
                f"{path}: part [Content_Types].xml is not well-formed XML ({exc}); open it in "
                "Word or LibreOffice and save it again"
            ) from exc
        main = word_main(archive)
    for override in types.iter("{*}Override"):
        if override.get("PartName", "").lstrip("/") == main:
            return override.get("ContentType", "") in _WORD_TYPES
    for default in types.iter("{*}Default"):  # some tools declare it for every .xml part
        if default.get("Extension", "").lower() == "xml":
            return default.get("ContentType", "") in _WORD_TYPES
    return False


def _ole_kind(path: Path) -> str:
    """What an OLE compound file is: encrypted Office files hold an `EncryptedPackage` stream."""
    with path.open("rb") as handle:
        head = handle.read(1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in head:
        return "password-protected; remove the password or export it again"
    return "a Word 97-2003 document (.doc); save it as .docx"


def sniff(path: Path) -> str:
    """`pdf`, `docx` or `markdown`, by content; an `UnsafeFile` for anything else."""
    with path.open("rb") as handle:
        head = handle.read(1024)
    if head.startswith(b"%PDF-") or (b"%PDF-" in head and path.suffix.lower() == ".pdf"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        limits.file_size(path, limits.WORD_BYTES, "a Word appendix")  # before anything is read
        check_zip(path, required="word/document.xml")
        if not is_word(path):
            raise UnsafeFile(
                f"{path}: not a Word document (a zip of another kind, such as OpenDocument); "
                "save it as .docx"
            )
        return "docx"
    if head.startswith(_OLE):
        raise UnsafeFile(f"{path}: {_ole_kind(path)}")
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


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, every symlink and `..` resolved, is within the folder `root`."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False

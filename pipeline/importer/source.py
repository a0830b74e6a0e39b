"""The Word file to import, opened as every untrusted Word file is: its kind found by content,
its size and zip checked before anything is inflated, every part parsed without entities or
network, its main part found through the package's relationships (a few producers name it
`word/document2.xml`). A `.doc`, `.odt` or `.rtf` is first saved as DOCX by LibreOffice into a
private folder; a file that needs a password, a PDF or anything else is refused by name."""

from __future__ import annotations

import posixpath
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import limits
from pipeline.errors import InputError, UnsafeFile
from pipeline.safety import parse_xml
from pipeline.word.package import Docx, W
from pipeline.word.revisions import CHANGES

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_WORD_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
"""A Word document, a macro-enabled one (.docm: its macros are never run, only its XML read),
a template (.dotx) and a macro-enabled template (.dotm)."""
_OFFICE_DOCUMENT = "/officeDocument"
MAX_CHILDREN = 50_000
"""Paragraphs and tables at the top of a body: more than any form or submission holds."""


@dataclass
class Source:
    """The file being imported, opened."""

    path: Path
    """As the user named it (messages say this)."""
    docx: Docx
    children: list[Any]
    """The body's top-level elements."""
    converted: bool = False
    """Saved as DOCX by LibreOffice first (a .doc, .odt or .rtf)."""

    def tracked_changes(self) -> int:
        """Tracked changes not yet accepted or rejected, in the body and its notes."""
        count = sum(1 for child in self.children for _ in child.iter(*CHANGES))
        lookups = self.docx.lookups()
        for note in (*lookups.footnotes.values(), *lookups.endnotes.values()):
            count += sum(1 for _ in note.iter(*CHANGES))
        return count


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(4 * 1024 * 1024)


def kind_of(path: Path) -> str:
    """`word`, `convert` (LibreOffice reads it) or an `InputError` saying what it is."""
    head = _head(path)
    if head.startswith(_OLE2):
        if any(mark in head for mark in _ENCRYPTED):
            raise InputError(
                f"{path}: protected by a password; open it, remove the password (File > Info > "
                "Protect Document), save it and run again"
            )
        return "convert"  # Word 97-2003
    if head.lstrip().startswith(b"{\\rtf"):
        return "convert"
    if head.startswith(b"%PDF-"):
        raise InputError(
            f"{path}: a PDF, not a Word file; open the Word file it was made from, or save it "
            "as .docx, and run again"
        )
    if not head.startswith(b"PK\x03\x04"):
        raise InputError(f"{path}: not a Word file (.docx, .docm, .dotx, .doc or .odt)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    if part.read(100).startswith(b"application/vnd.oasis.opendocument.text"):
                        return "convert"
                raise InputError(f"{path}: an OpenDocument file, but not a text document")
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnsafeFile(f"{path}: damaged: not a readable zip archive ({exc})") from exc
    return "word"


def require_word(path: Path) -> str:
    """The main document part, as the package's relationships name it and its content type
    says it is Word's; `word/document.xml` when the package does not say."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            rels = archive.read("_rels/.rels") if "_rels/.rels" in names else b""
            types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise UnsafeFile(f"{path}: damaged: not a readable zip archive ({exc})") from exc
    if len(rels) > 65536 or len(types) > 1024 * 1024:
        raise UnsafeFile(f"{path}: its package's directory is too large; refused")
    main = None
    try:
        for rel in parse_xml(rels).iter("{*}Relationship") if rels else ():
            if rel.get("Type", "").endswith(_OFFICE_DOCUMENT):
                main = posixpath.normpath(rel.get("Target", "").lstrip("/"))
        declared = parse_xml(types) if types else None
    except SyntaxError as exc:  # lxml's XMLSyntaxError
        raise UnsafeFile(f"{path}: damaged: its package directory is not XML ({exc})") from exc
    main = main or "word/document.xml"
    if main not in names:
        raise UnsafeFile(f"{path}: not a Word file (no {main})")
    content_type = None
    for override in declared.iter("{*}Override") if declared is not None else ():
        if override.get("PartName", "").lstrip("/") == main:
            content_type = override.get("ContentType", "")
    if content_type is None and declared is not None:
        for default in declared.iter("{*}Default"):
            if default.get("Extension", "").lower() == "xml":
                content_type = default.get("ContentType", "")
    if content_type not in _WORD_TYPES:
        raise InputError(
            f"{path}: not a Word document (its main part is {content_type or 'undeclared'}); "
            "save it from Word or LibreOffice as .docx"
        )
    return main


def _convert(path: Path, work: Path) -> Path:
    """The file saved as DOCX by LibreOffice, in `work`."""
    from pipeline.errors import ConversionError
    from pipeline.libreoffice.soffice import convert

    suffix = path.suffix.lower() if path.suffix.lower() in (".doc", ".odt", ".rtf") else ".doc"
    copy = work / f"source{suffix}"
    copy.write_bytes(path.read_bytes())
    target = work / "converted.docx"
    try:
        convert([(copy, target)], to="docx", names=[path])
    except ConversionError as exc:
        raise InputError(f"{path}: LibreOffice could not read it ({exc})") from exc
    return target


def open_source(path: Path, work: Path | None = None) -> Source:
    """Open `path` for import; `work` is a folder for a converted copy (a temporary one is made
    when needed and left for the caller's clean-up: pass one to control it)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    limits.file_size(path, limits.WORD_BYTES, "a Word file")
    kind = kind_of(path)
    readable = path
    if kind == "convert":
        folder = work or Path(tempfile.mkdtemp(prefix="pack-import-"))
        readable = _convert(path, folder)
    require_word(readable)  # by its declared content, before the parts are read
    try:
        docx = Docx(readable)
    except UnsafeFile as exc:
        raise UnsafeFile(str(exc).replace(str(readable), str(path), 1)) from exc
    body = docx.body()
    children = [child for child in body if child.tag != f"{W}sectPr"]
    if len(children) > MAX_CHILDREN:
        raise InputError(f"{path}: {len(children)} paragraphs and tables; refused as too long")
    return Source(path, docx, children, converted=kind == "convert")

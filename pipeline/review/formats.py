"""What a file given as a reviewed draft really is, when it is not a Word 2007 document.

Reviewers save in whatever their program offers: Word 97-2003 (`.doc`), OpenDocument (`.odt`),
Rich Text, a PDF print of the draft, or a `.docx` protected by a password (then an OLE2 file
holding the encrypted package). Each is named by its content, not its extension, and refused
with what to do, before the file is opened as a zip.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.errors import InputError

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
"""A stream every password-protected Office file holds: its name, as OLE2 stores it."""
_HEAD = 4 * 1024 * 1024
"""Bytes of an OLE2 file searched for that stream's name (its directory comes early)."""
SAVE_AS = "save it as Word (.docx) and run again"


def what_it_is(path: Path) -> str | None:
    """What the file is, if it is a known kind that is not a Word 2007 document; else None."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError:
        return None
    if head.startswith(_OLE2):
        if _ENCRYPTED in head:
            return "protected by a password"
        return "a Word 97-2003 document (.doc), not a .docx"
    if head.lstrip().startswith(b"{\\rtf"):
        return "a Rich Text (.rtf) document, not a .docx"
    if head.startswith(b"%PDF-"):
        return "a PDF, not a Word document: reviewers' edits cannot be read from it"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and "word/document.xml" not in names:
                    with archive.open("mimetype") as part:
                        kind = part.read(100)
                    if kind.startswith(b"application/vnd.oasis.opendocument"):
                        return "an OpenDocument (.odt) file, not a .docx"
        except (zipfile.BadZipFile, OSError):
            return None  # said by the zip checks that follow
    return None


def refuse_other_formats(path: Path) -> None:
    """An `InputError` naming what `path` is and what to do, if it is not a .docx at all."""
    kind = what_it_is(path)
    if kind is None:
        return
    if kind == "protected by a password":
        raise InputError(
            f"{path}: protected by a password; open it, remove the password "
            f"(File > Properties or Protect Document), {SAVE_AS}"
        )
    raise InputError(f"{path}: {kind}; open it in Word or LibreOffice, {SAVE_AS}")

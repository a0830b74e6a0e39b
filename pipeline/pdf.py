"""Untrusted PDFs (appendices, and the parts LibreOffice wrote): opened and decrypted where they
open without a password, refused by name where they do not; read as the build will read them
under a time and memory limit; and asked whether they are tagged.

Two readers. The build reads PDFs with qpdf (`open_qpdf`, through pikepdf: fast, and lighter
on memory than a pure-Python reader); `pack verify` reads the pack and its PDF appendices with
pypdf (`open_pdf`), a second implementation, so every PDF appendix must open in both, and
`check_pdf` tries both. pypdf's own log is kept out of the user's way: what matters reaches
them as our messages.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import limits
from pipeline.errors import UnsafeFile

if TYPE_CHECKING:
    import pikepdf
    from pypdf import PdfReader


def quiet_pypdf() -> None:
    """Keep pypdf's log (`PdfReadError(...)` and the like, about damage it worked around) out of
    the user's way: what matters reaches them as our own messages."""
    import logging

    logger = logging.getLogger("pypdf")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def open_pdf(path: Path, name: Path | None = None) -> PdfReader:
    """A readable PDF with pages, decrypted if it opens without a password; else `UnsafeFile`
    naming `name` (the user's file) or `path`."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    shown = name or path
    quiet_pypdf()
    try:
        limits.file_size(path, limits.PDF_BYTES, "a PDF appendix")
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsafeFile(f"{shown}: password-protected; remove the password or export it again")
        pages = len(reader.pages)
        if pages == 0:
            raise UnsafeFile(f"{shown}: the PDF has no pages")
        if pages > limits.PDF_PAGES:
            raise UnsafeFile(
                f"{shown}: {pages} pages, over the limit of {limits.PDF_PAGES}; split it"
            )
        return reader
    except UnsafeFile as exc:
        if name is not None and str(exc).startswith(f"{path}:"):
            raise UnsafeFile(f"{name}:{str(exc)[len(str(path)) + 1 :]}") from exc
        raise
    except FileNotDecryptedError as exc:
        raise UnsafeFile(
            f"{shown}: password-protected; remove the password or export it again"
        ) from exc
    except DependencyError as exc:  # pypdf's crypto extra missing: an installation fault
        raise UnsafeFile(
            f"{shown}: encrypted, and this installation cannot decrypt it ({exc}); "
            "reinstall tc-pack with its dependencies"
        ) from exc
    except (OSError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise UnsafeFile(f"{shown}: cannot read the PDF ({reason(exc)}); {AGAIN}") from exc
    except (AttributeError, AssertionError, IndexError) as exc:  # pypdf on a malformed file
        raise UnsafeFile(f"{shown}: cannot read the PDF ({reason(exc)}); {AGAIN}") from exc


AGAIN = "export or print it to PDF again"
"""What fixes a damaged PDF: a new copy, written by a program that writes whole files."""


def reason(exc: BaseException, path: Path | None = None) -> str:
    """What went wrong, in at most 200 characters (a parser's message can be long). qpdf starts
    its messages with the file's path (`/x/4-a.pdf: unable to find /Root dictionary`); the
    line already names the file, so `path` is taken off the front."""
    text = str(exc) or type(exc).__name__
    if path is not None and text.startswith(str(path)):
        text = text[len(str(path)) :].removeprefix(":").strip() or type(exc).__name__
    return text if len(text) <= 200 else f"{text[:200]}..."


_PASSED: set[tuple[str, int, int, int, int]] = set()
"""The PDFs `check_pdf` passed in this process, as (path, inode, size, modified, changed)."""


def check_pdf(path: Path) -> None:
    """Read an untrusted PDF as the build will (opened and decrypted by pypdf, which counts and
    reads its pages; every page copied into a new document by qpdf, as the pack is put
    together), under a time and memory limit; `UnsafeFile` saying what is wrong."""
    import pikepdf  # noqa: F401  (imported once here, not again in every child; pypdf is
    # imported in the child alone, as it is the heavier in memory and the build never uses it)

    try:
        stat = path.stat()
    except OSError as exc:
        raise UnsafeFile(f"{path}: cannot read the PDF ({reason(exc)})") from exc
    seen = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    if seen in _PASSED:
        return  # unchanged since it passed (`--watch` checks again at every save)
    try:
        problem = limits.bounded(path, lambda: _try_pdf(path))
    except limits.Exceeded as exc:
        raise UnsafeFile(str(exc)) from exc
    if problem:
        raise UnsafeFile(problem)
    _PASSED.add(seen)


def append_pages(pack: pikepdf.Pdf, source: pikepdf.Pdf) -> None:
    """Append all of `source`'s pages to `pack` with what the document holds for them: form
    fields (for `sanitize` to flatten), named destinations, layers. Where pikepdf's own reading
    of those fails on a hostile file, the pages alone (qpdf copies them as they are)."""
    import pikepdf

    start = len(pack.pages)
    try:
        pack.add_pages_from(source, forms="preserve", outlines="ignore")
    except (TypeError, ValueError, KeyError, AttributeError, IndexError):
        del pack.pages[start:]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            pack.pages.extend(source.pages)


def open_qpdf(path: Path, name: Path | None = None) -> pikepdf.Pdf:
    """A readable PDF with pages, read by qpdf and decrypted if it opens without a password
    (close it when done); else `UnsafeFile` naming `name` (the user's file) or `path`."""
    import pikepdf

    shown = name or path
    limits.file_size(path, limits.PDF_BYTES, "a PDF appendix")
    try:
        source = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise UnsafeFile(
            f"{shown}: password-protected; remove the password or export it again"
        ) from exc
    except (pikepdf.PdfError, OSError, ValueError, RecursionError) as exc:
        raise UnsafeFile(f"{shown}: cannot read the PDF ({reason(exc, path)}); {AGAIN}") from exc
    pages = len(source.pages)
    if 0 < pages <= limits.PDF_PAGES:
        return source
    source.close()
    if pages == 0:
        raise UnsafeFile(f"{shown}: the PDF has no pages")
    raise UnsafeFile(f"{shown}: {pages} pages, over the limit of {limits.PDF_PAGES}; split it")


def _try_pdf(path: Path) -> str:
    import pikepdf

    try:
        open_pdf(path)  # `pack verify` reads it with pypdf
        with open_qpdf(path) as source, pikepdf.new() as copy:
            append_pages(copy, source)
            for number, page in enumerate(copy.pages, 1):
                try:
                    page_contents(page)
                except (pikepdf.PdfError, ValueError, TypeError, NotImplementedError) as exc:
                    return (
                        f"{path}: damaged; what page {number} shows cannot be read "
                        f"({reason(exc, path)}); {AGAIN}"
                    )
    except UnsafeFile as exc:
        return str(exc)
    except Exception as exc:  # a parser of an untrusted file, in the child that bounds it
        return f"{path}: damaged; its pages cannot be copied ({reason(exc, path)}); {AGAIN}"
    return ""


def page_contents(page: pikepdf.Page) -> list[bytes]:
    """A page's content streams, decoded, in order (`pikepdf.PdfError` where one cannot be)."""
    import pikepdf

    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return [stream.read_bytes() for stream in streams if isinstance(stream, pikepdf.Stream)]


def is_tagged(catalog: Any) -> bool:
    """Whether a PDF (by its catalogue) is tagged: a structure tree with something in it (what
    screen readers read) and marked content."""
    import pikepdf

    tree = catalog.get("/StructTreeRoot")
    marks = catalog.get("/MarkInfo")
    marked = marks.get("/Marked") if isinstance(marks, pikepdf.Dictionary) else False
    return isinstance(tree, pikepdf.Dictionary) and tree.get("/K") is not None and marked is True

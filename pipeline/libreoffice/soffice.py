"""Convert stage: DOCX to PDF with LibreOffice, every document of a build in one run.

LibreOffice exits 0 even when it could not load a file, two instances sharing a profile fail
silently, and a killed `soffice` can leave `soffice.bin` running: so each run gets a private
profile (macros off, links never updated) in a private folder, runs in its own process group
under a time limit, and what it produced is checked, not its exit status.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pipeline import posix
from pipeline.errors import ConversionError, UnsafeFile
from pipeline.files import atomic_path
from pipeline.libreoffice.office import (
    COLD_START_TIMEOUT,
    DOCUMENT_TIMEOUT,
    HEADLESS,
    PDF_OPTIONS,
    STEADY,
    write_profile,
)
from pipeline.libreoffice.watchdog import Watchdog
from pipeline.safety import check_zip

INSTALL_HINT = (
    "install LibreOffice: on Debian/Ubuntu `apt-get install libreoffice-writer-nogui "
    "python3-uno fonts-liberation fonts-crosextra-carlito fonts-crosextra-caladea`, or set "
    "PACK_SOFFICE to the soffice program"
)


_OTHER_SOURCES = frozenset({".doc", ".odt", ".rtf"})
"""Sources that are not Word 2007 files: converted to DOCX by `pack import`, named so that
LibreOffice picks its filter by name and content."""


def find_soffice() -> str:
    """The LibreOffice program: $PACK_SOFFICE, or soffice/libreoffice on the PATH; where it
    cannot be driven (no process groups: Windows), a `ConversionError` saying how to get a
    system that can."""
    if not posix.process_groups():
        raise ConversionError(posix.NO_PROCESS_GROUPS)
    configured = os.environ.get("PACK_SOFFICE")
    if configured:
        if shutil.which(configured):
            return configured
        raise ConversionError(f"PACK_SOFFICE={configured!r} is not a program; {INSTALL_HINT}")
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(f"LibreOffice not found; {INSTALL_HINT}")


def verify_pdf(path: Path, source: Path) -> int:
    """The page count of a PDF LibreOffice wrote, or a `ConversionError` naming the source.
    Read by qpdf, as the combine stage will read it (and in a few milliseconds)."""
    import pikepdf  # here: finding LibreOffice must not cost its import

    try:
        with path.open("rb") as handle:
            if not handle.read(5).startswith(b"%PDF-"):
                raise ConversionError(f"{source}: LibreOffice wrote something that is not a PDF")
        with pikepdf.open(path) as written:
            pages = len(written.pages)
    except (OSError, pikepdf.PdfError, ValueError) as exc:
        raise ConversionError(f"{source}: LibreOffice wrote a damaged PDF ({exc})") from exc
    if pages == 0:
        raise ConversionError(f"{source}: LibreOffice wrote a PDF with no pages")
    return pages


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    posix.kill_group(process.pid)


_PDF_OPTIONS = json.dumps(
    {name: {"type": "boolean", "value": str(value).lower()} for name, value in PDF_OPTIONS.items()}
)
FILTERS = {"pdf": f"pdf:writer_pdf_Export:{_PDF_OPTIONS}", "docx": "docx:MS Word 2007 XML"}
"""`--convert-to` filters; LibreOffice (7.4 on) reads a filter's options as JSON after it."""


def convert(
    jobs: Sequence[tuple[Path, Path]],
    timeout: float | None = None,
    soffice: str | None = None,
    to: str = "pdf",
    names: Sequence[Path | None] = (),
) -> list[Path]:
    """Convert each (docx, target) pair in one LibreOffice run; returns the files written.

    `to` is `pdf`, or `docx` (LibreOffice loads and saves the document, as a reviewer would).
    Every output is written atomically; if any document fails, none is moved into place.
    Messages name `names` (the user's files the sources were made from) where given.
    """
    if not jobs:
        return []
    program = soffice or find_soffice()
    shown = {source: name for (source, _), name in zip(jobs, names, strict=False) if name}
    for source, _ in jobs:
        if source.suffix.lower() in _OTHER_SOURCES:
            continue  # read by LibreOffice's own filters (`pack import` of a .doc or .odt)
        try:
            check_zip(source, required="word/document.xml", name=shown.get(source))
        except UnsafeFile as exc:
            raise ConversionError(str(exc)) from exc
    limit = timeout if timeout is not None else COLD_START_TIMEOUT + DOCUMENT_TIMEOUT * len(jobs)
    with tempfile.TemporaryDirectory(prefix="pack-soffice-") as work:
        root = Path(work)
        profile = root / "profile"
        (profile / "user").mkdir(parents=True)
        write_profile(profile)
        inbox, outbox = root / "in", root / "out"
        inbox.mkdir()
        # private copies with unique names: LibreOffice never touches a source, outputs never collide
        copies = []
        for index, (source, _) in enumerate(jobs):
            suffix = source.suffix.lower() if source.suffix.lower() in _OTHER_SOURCES else ".docx"
            copy = inbox / f"{index:03d}{suffix}"
            shutil.copyfile(source, copy)
            copies.append(copy)
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            *HEADLESS,
            "--convert-to",
            FILTERS[to],
            "--outdir",
            str(outbox),
            *map(str, copies),
        ]
        env = {**os.environ, "HOME": str(root), **STEADY}
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                cwd=root,
                start_new_session=True,  # its own process group, so soffice.bin dies with it
            )
        except OSError as exc:
            raise ConversionError(f"cannot start LibreOffice ({program}): {exc.strerror}") from exc
        watchdog = Watchdog(process.pid)  # it dies with this process, however it ends
        try:
            _, stderr = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired as exc:
            _kill_group(process)
            process.communicate()
            raise ConversionError(
                f"LibreOffice did not finish within {limit:.0f} s converting {len(jobs)} "
                "document(s); it was stopped"
            ) from exc
        finally:
            _kill_group(process)  # anything it left behind
            watchdog.release()
        tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
        for copy, (real, _) in zip(copies, jobs, strict=True):
            source = shown.get(real, real)
            produced = outbox / f"{copy.stem}.{to}"
            if not produced.is_file():
                detail = f": {' | '.join(tail)}" if tail else ""
                raise ConversionError(
                    f"{source}: LibreOffice produced no PDF (exit {process.returncode}){detail}"
                )
            if to == "pdf":
                verify_pdf(produced, source)
            else:
                try:
                    check_zip(produced, required="word/document.xml")
                except UnsafeFile as exc:
                    raise ConversionError(
                        f"{source}: LibreOffice wrote a damaged document"
                    ) from exc
        written = []
        for copy, (_, target) in zip(copies, jobs, strict=True):
            with atomic_path(target) as tmp:
                shutil.copyfile(outbox / f"{copy.stem}.{to}", tmp)
            written.append(target)
        return written

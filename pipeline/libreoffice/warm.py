"""LibreOffice kept warm: started once for a build and driven through UNO, instead of one
`soffice --convert-to` per run.

`worker.py` runs in the Python that has LibreOffice's `uno` module and talks JSON lines on
its pipes. Each request is bounded by a time limit; a LibreOffice that hangs is killed with
its process group, one that dies is started again and the document tried once more. Every
output is written beside its target and checked before it replaces it. Where there is no
Python with `uno`, `converters.ColdConverter` does the work with `soffice --convert-to`.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline.errors import ConversionError, NoUno
from pipeline.files import atomic_path
from pipeline.libreoffice.profiles import KeptProfile

# Light to import (no pypdf, no python-docx): see converters.py.

WORKER = Path(__file__).resolve().parent / "worker.py"
START_TIMEOUT = 90.0
PER_DOCUMENT = 90.0
MAX_USES = 40
"""Conversions before LibreOffice is started afresh (a long-running one grows)."""


@dataclass(frozen=True)
class Job:
    """One document to convert."""

    source: Path
    target: Path
    fill: dict[str, str] = field(default_factory=dict)
    """Contents placeholders, left blank where nothing numbers them (`soffice --convert-to`;
    a pack's numbers come through `PackPart`)."""
    to: str = "pdf"


@dataclass(frozen=True)
class PackPart:
    """One part of a pack to convert numbered as one document: a document (`source`, `target`),
    or the page count of a part not converted now (converted before, or a PDF appendix)."""

    source: Path | None = None
    target: Path | None = None
    pages: int = 0
    fill: dict[str, int] = field(default_factory=dict)
    """Contents placeholders -> the index of the part whose first page each shows."""


def uno_pythons(soffice: str) -> list[str]:
    """Pythons that may have `uno`: $PACK_UNO_PYTHON, the system python3, LibreOffice's own."""
    configured = os.environ.get("PACK_UNO_PYTHON")
    if configured:
        return [configured]
    program = Path(os.path.realpath(shutil.which(soffice) or soffice)).parent
    return [p for p in ("/usr/bin/python3", str(program / "python")) if shutil.which(p)]


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


class WarmConverter:
    """One LibreOffice, started on first use and kept until `close`."""

    def __init__(self, python: str, soffice: str) -> None:
        self.python, self.soffice = python, soffice
        self.process: subprocess.Popen[bytes] | None = None
        self.work: Path | None = None
        self.buffer = b""
        self.uses = 0
        self.restarts = 0
        self.soffice_pid: int | None = None
        self.ready = False

    def start(self) -> None:
        """Start LibreOffice without waiting for it: the build goes on meanwhile."""
        if self.process is not None:
            return
        from pipeline.libreoffice.worker import start_office, write_profile

        self.work = Path(tempfile.mkdtemp(prefix="pack-uno-"))
        self.stderr = (self.work / "worker.log").open("wb")
        self.profile = KeptProfile.take() or KeptProfile(self.work / "profile", None)
        # LibreOffice first (it is the slow part), then the worker that drives it, in one
        # process group of their own: stopping the group stops soffice.bin too
        self.office, pipe = start_office(
            self.soffice,
            self.work,
            write_profile(self.profile.path),
            process_group=0,
            keep=self.profile.inherited(),
        )
        self.soffice_pid = self.office.pid
        self.process = subprocess.Popen(
            [self.python, str(WORKER), pipe],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=self.work,
            process_group=self.office.pid,
        )
        self.buffer, self.uses, self.ready = b"", 0, False

    def _line(self, deadline: float) -> dict[str, Any] | None:
        """The worker's next answer, or None if it did not come in time (or the worker died)."""
        assert self.process is not None
        assert self.process.stdout is not None
        out: IO[bytes] = self.process.stdout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                return None
            chunk = os.read(out.fileno(), 65536)
            if not chunk:
                return {"ok": False, "dead": True, "error": "the worker ended"}
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _wait_ready(self) -> None:
        self.start()
        if self.ready:
            return
        deadline = time.monotonic() + START_TIMEOUT
        answer = None
        while answer is None and time.monotonic() < deadline:
            answer = self._line(min(deadline, time.monotonic() + 0.5))
            if answer is None and self.office.poll() is not None:
                answer = {"error": f"LibreOffice exited ({self.office.returncode}) as it started"}
        if answer is None or not answer.get("ready"):
            detail = (answer or {}).get("error", "no answer")
            self.stop()
            if "uno" in str(detail) and "No module" in str(detail):
                raise NoUno(detail)
            raise ConversionError(
                f"LibreOffice did not start through UNO ({detail}); {self._log()}"
            )
        self.ready = True

    def _office_gone(self, wait: float = 0.5) -> bool:
        """Whether LibreOffice's process has ended (it may take a moment after its death)."""
        deadline = time.monotonic() + wait
        while self.office.poll() is None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def _log(self) -> str:
        if self.work is None:
            return ""
        with contextlib.suppress(OSError):
            tail = (self.work / "worker.log").read_text(errors="replace").strip().splitlines()[-2:]
            return " | ".join(tail)
        return ""

    def stop(self) -> None:
        """Stop the worker and its LibreOffice."""
        if self.process is not None:
            _kill(self.office)  # the group: LibreOffice, all it started, and the worker
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
            for stream in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    stream.close()  # type: ignore[union-attr]
            self.stderr.close()
            self.profile.release()
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
        self.process, self.work, self.ready = None, None, False

    def close(self) -> None:
        """Stop LibreOffice. It holds nothing unsaved (every output is written and checked
        before it is handed back), so it is stopped, not asked to quit and waited for."""
        self.stop()

    def _ask(self, request: dict[str, Any], name: Path, limit: float) -> dict[str, Any]:
        """Send one request and wait for its answer; `_Died` if LibreOffice died meanwhile."""
        if self.uses >= MAX_USES:
            self.close()
        self._wait_ready()
        assert self.process is not None
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
            answer = self._line(time.monotonic() + limit)
        except (BrokenPipeError, OSError):
            answer = {"ok": False, "dead": True, "error": "the worker's pipe broke"}
        self.uses += 1
        if answer is None:
            self.stop()
            raise ConversionError(
                f"{name}: LibreOffice did not finish within {limit:.0f} s; it was stopped"
            )
        if not answer.get("ok") and self._office_gone():
            answer["dead"] = True
        if answer.get("dead"):
            self.stop()
            self.restarts += 1
            raise _Died
        if not answer.get("ok"):
            raise ConversionError(
                f"{name}: LibreOffice could not convert it ({answer.get('error')})"
            )
        return answer

    def convert(self, job: Job) -> int:
        """Convert one document; its page count. Restarts LibreOffice once if it dies."""
        for attempt in (1, 2):
            try:
                with atomic_path(job.target) as tmp:
                    request = {
                        "op": "convert",
                        "source": str(job.source.resolve()),
                        "target": str(tmp.resolve()),
                        "format": job.to,
                    }
                    answer = self._ask(request, job.source, PER_DOCUMENT)
                    return _verify(tmp, job) or int(answer.get("pages") or 0)
            except _Died:
                if attempt == 2:
                    raise ConversionError(
                        f"{job.source}: LibreOffice stopped twice while converting it"
                    ) from None
        raise AssertionError("unreachable")

    def convert_pack(self, parts: Sequence[PackPart]) -> list[int]:
        """Convert the documents of one pack numbered as one (see `PackPart`); every part's
        page count. Restarts LibreOffice once if it dies; writes nothing unless all succeed."""
        names = [p.source for p in parts if p.source is not None]
        if not names:
            return [p.pages for p in parts]
        for attempt in (1, 2):
            try:
                with contextlib.ExitStack() as stack:
                    temporary = {
                        index: stack.enter_context(atomic_path(part.target))
                        for index, part in enumerate(parts)
                        if part.source is not None and part.target is not None
                    }
                    request = {
                        "op": "pack",
                        "parts": [
                            {
                                "source": str(part.source.resolve()),
                                "target": str(temporary[index].resolve()),
                                "fill": part.fill,
                            }
                            if part.source is not None
                            else {"pages": part.pages}
                            for index, part in enumerate(parts)
                        ],
                    }
                    answer = self._ask(request, names[0], PER_DOCUMENT * len(names))
                    pages = [int(n) for n in answer["pages"]]
                    for index, tmp in temporary.items():
                        source = parts[index].source
                        assert source is not None
                        pages[index] = _verify(tmp, Job(source, tmp)) or pages[index]
                    return pages
            except _Died:
                if attempt == 2:
                    raise ConversionError(
                        f"{names[0]}: LibreOffice stopped twice while converting the pack"
                    ) from None
        raise AssertionError("unreachable")


class _Died(Exception):
    """LibreOffice died during a request (it has been stopped; the caller may try again)."""


def _verify(produced: Path, job: Job) -> int:
    """The page count of a PDF that opens (0 for a DOCX); else a `ConversionError`."""
    from pipeline.errors import UnsafeFile
    from pipeline.libreoffice.soffice import verify_pdf
    from pipeline.safety import check_zip

    if job.to == "pdf":
        return verify_pdf(produced, job.source)
    try:
        check_zip(produced, required="word/document.xml")
    except UnsafeFile as exc:
        raise ConversionError(f"{job.source}: LibreOffice wrote a damaged document") from exc
    return 0

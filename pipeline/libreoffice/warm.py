"""LibreOffice kept warm: started once for a build and driven through UNO, instead of one
`soffice --convert-to` per run.

`worker.py` runs in the Python that has LibreOffice's `uno` module and talks JSON lines on
its pipes. Each request is bounded by a time limit; a LibreOffice that hangs is killed with
its process group, one that dies is started again and the document tried once more. Every
output is written beside its target and checked before it replaces it. Where there is no
Python with `uno`, `pool.ColdConverter` does the work with `soffice --convert-to`.

Longer than most: it is the client of the worker's protocol as a whole (start, ask, time
limits, restarts, private copies, a pack numbered as one), which has to agree with itself about
what state LibreOffice is in after each answer.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from pipeline import posix
from pipeline.errors import ConversionError, NoUno, UnoRefused
from pipeline.files import atomic_path
from pipeline.libreoffice.jobs import FirstPages, Job, PackPart
from pipeline.libreoffice.office import (
    CONNECT_TIMEOUT,
    DOCUMENT_TIMEOUT,
    uno_environment,
)
from pipeline.libreoffice.profiles import KeptProfile
from pipeline.libreoffice.watchdog import Watchdog

# Light to import (no pypdf, no python-docx): see converters.py.

WORKER = Path(__file__).resolve().parent / "worker.py"
READY_TIMEOUT = CONNECT_TIMEOUT + 30.0
"""Seconds until the worker says it is ready: LibreOffice's connection, and the worker's own
start around it."""
MAX_USES = 40
"""Conversions before LibreOffice is started afresh (a long-running one grows)."""


def _kill(process: subprocess.Popen[bytes]) -> None:
    posix.kill_group(process.pid)
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
        self.socket: Path | None = None
        self.ready = False
        self.closed = False
        """Closed for good (the build is ending): a request still under way in another thread
        ends with a `ConversionError`, and no LibreOffice is started again."""
        self.copies = 0
        self.spans: list[tuple[str, float, float]] = []
        """What LibreOffice did when, for `pack assemble --timings`: (name, start, end)."""

    def start(self) -> None:
        """Start LibreOffice without waiting for it: the build goes on meanwhile."""
        if self.process is not None:
            return
        if self.closed:
            raise ConversionError("LibreOffice was stopped: the build is ending")
        from pipeline.libreoffice.office import pipe_socket, start_office, write_profile

        began = time.time()
        self.work = Path(tempfile.mkdtemp(prefix="pack-uno-"))
        self.stderr = (self.work / "worker.log").open("wb")
        self.profile = KeptProfile.take(self.soffice) or KeptProfile(self.work / "profile", None)
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
        self.socket = pipe_socket(pipe)  # left behind by a killed LibreOffice: removed
        # it dies with this process, however it ends
        self.watchdog = Watchdog(self.office.pid, self.socket)
        self.process = subprocess.Popen(
            [self.python, str(WORKER), pipe],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=self.work,
            process_group=self.office.pid,
            env={**os.environ, **uno_environment(self.soffice)},
        )
        self.buffer, self.uses, self.ready, self.copies = b"", 0, False, 0
        self.spans.append(("LibreOffice started", began, began))

    def _line(self, deadline: float) -> dict[str, Any] | None:
        """The worker's next answer, or None if it did not come in time (or the worker died)."""
        process = self.process  # the same one throughout, even if another thread stops it
        if process is None or process.stdout is None:
            return {"ok": False, "dead": True, "error": "the worker was stopped"}
        out: IO[bytes] = process.stdout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            try:
                if left <= 0 or not select.select([out], [], [], left)[0]:
                    return None
                chunk = os.read(out.fileno(), 65536)
            except (OSError, ValueError):  # its pipe closed by `stop` in another thread
                chunk = b""
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
        answer = self._first_line()
        if answer.get("exited") and not self.closed:
            # LibreOffice exits as it starts on a profile it cannot use (one left half-written
            # by a LibreOffice killed while writing it): once more, on that profile made afresh
            shutil.rmtree(self.profile.path, ignore_errors=True)
            self.stop()
            self.start()
            answer = self._first_line()
        if not answer.get("ready"):
            detail = answer.get("error", "no answer")
            self.stop()
            if "uno" in str(detail) and "No module" in str(detail):
                raise NoUno(detail)
            raise ConversionError(
                f"LibreOffice did not start through UNO ({detail}); {self._log()}"
            )
        self.ready = True
        at = float(answer.get("at") or time.time())
        self.spans.append(("LibreOffice ready", at, at))

    def _first_line(self) -> dict[str, Any]:
        """The worker's first line (that it is ready), or why it did not come in time."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            answer = self._line(min(deadline, time.monotonic() + 0.5))
            if answer is not None:
                return answer
            if self.office.poll() is not None:
                return {"error": f"LibreOffice exited ({self.office.returncode}) as it started",
                        "exited": True}  # fmt: skip
        return {"error": "no answer"}

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
            if self.socket is not None:
                self.socket.unlink(missing_ok=True)
            self.watchdog.release()
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
        """Stop LibreOffice for good. It holds nothing unsaved (every output is written and
        checked before it is handed back), so it is stopped, not asked to quit and waited for."""
        self.closed = True
        self.stop()

    def _ask(
        self,
        request: dict[str, Any],
        name: Path,
        limit: float,
        parts: Sequence[Path] = (),
        told: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """Send one request and wait for its answer; `_Died` if LibreOffice died meanwhile,
        `UnoRefused` if it could not do what was asked (the cold converter may still), naming
        the one of a pack's `parts` it failed on. `told` gets each line said before the answer
        (the first pages)."""
        if self.uses >= MAX_USES:
            self.stop()  # a fresh one below
        self._wait_ready()
        process = self.process
        try:
            if process is None or process.stdin is None:
                raise ValueError("stopped")  # by `close` in another thread, just now
            process.stdin.write(json.dumps(request).encode() + b"\n")
            process.stdin.flush()
            deadline = time.monotonic() + limit
            answer = self._line(deadline)
            while answer is not None and "first" in answer:
                if told is not None:
                    told(answer)
                answer = self._line(deadline)
        except (OSError, ValueError):  # a broken pipe, or one `close` closed meanwhile
            answer = {"ok": False, "dead": True, "error": "the worker's pipe broke"}
        except KeyboardInterrupt:  # LibreOffice stopped before its half-written output
            self.stop()  # is removed: it cannot write it again after
            raise
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
            if self.closed:  # stopped by `close`: the build is ending, not LibreOffice dying
                raise ConversionError(f"{name}: LibreOffice was stopped: the build is ending")
            self.restarts += 1
            raise _Died
        if not answer.get("ok"):
            failed = answer.get("part")
            if isinstance(failed, int) and 0 <= failed < len(parts):
                name = parts[failed]
            raise UnoRefused(f"{name}: LibreOffice could not convert it ({answer.get('error')})")
        return answer

    def _private(self, source: Path) -> tuple[Path, Path]:
        """A copy of `source` for LibreOffice to read, and where it writes, in its own folder:
        nothing it does (a lock file, an output written after a build was stopped) lands beside
        the build's files; only a checked output is moved into place."""
        assert self.work is not None
        self.copies += 1
        copy = self.work / f"in-{self.copies}{source.suffix}"
        shutil.copyfile(source, copy)
        return copy, self.work / f"out-{self.copies}.pdf"

    def convert(self, job: Job) -> int:
        """Convert one document; its page count. Restarts LibreOffice once if it dies."""
        shown = job.name or job.source
        for attempt in (1, 2):
            self._wait_ready()
            source, produced = self._private(job.source)
            produced = produced.with_suffix(f".{job.to}")
            request = {
                "op": "convert",
                "source": str(source),
                "target": str(produced),
                "format": job.to,
                "fill": job.fill,
            }
            try:
                answer = self._ask(request, shown, DOCUMENT_TIMEOUT)
                for name, began, ended in answer.get("times") or ():
                    self.spans.append((f"LibreOffice: {name} {shown.name}", began, ended))
                pages = _verify(produced, job) or int(answer.get("pages") or 0)
                with atomic_path(job.target) as tmp:
                    shutil.copyfile(produced, tmp)
                return pages
            except _Died:
                if attempt == 2:
                    raise UnoRefused(
                        f"{shown}: LibreOffice stopped twice while converting it"
                    ) from None
            finally:
                source.unlink(missing_ok=True)
                produced.unlink(missing_ok=True)
        raise AssertionError("unreachable")

    def convert_pack(self, parts: Sequence[PackPart], first: FirstPages | None = None) -> list[int]:
        """Convert the documents of one pack numbered as one (see `PackPart`); every part's
        page count. Restarts LibreOffice once if it dies; writes nothing unless all succeed.
        `first`: some pages handed over on their own first."""
        names = [p.name or p.source for p in parts if p.source is not None]
        if not names:
            return [p.pages for p in parts]
        for attempt in (1, 2):
            self._wait_ready()
            private = {
                index: self._private(part.source)
                for index, part in enumerate(parts)
                if part.source is not None and part.target is not None
            }
            early = {i: produced.with_suffix(".first.pdf") for i, (_, produced) in private.items()}
            request: dict[str, Any] = {
                "op": "pack",
                "parts": [
                    {
                        "source": str(private[index][0]),
                        "target": str(private[index][1]),
                        "fill": part.fill,
                        **({"first": str(early[index])} if first is not None else {}),
                    }
                    if index in private
                    else {"pages": part.pages}
                    for index, part in enumerate(parts)
                ],
                **({"first": [first.first, first.last]} if first is not None else {}),
            }
            try:
                every = [p.name or p.source or Path(f"part {n + 1}") for n, p in enumerate(parts)]
                told = first.reading(early) if first is not None else None
                answer = self._ask(request, names[0], DOCUMENT_TIMEOUT * len(names), every, told)
                for what, began, ended, index in answer.get("times") or ():
                    source = parts[int(index)].source
                    shown = source.name if source is not None else str(index)
                    self.spans.append((f"LibreOffice: {what} {shown}", began, ended))
                pages = [int(n) for n in answer["pages"]]
                for index, (_, produced) in private.items():
                    part = parts[index]
                    assert part.source is not None
                    job = Job(part.source, produced, name=part.name)
                    pages[index] = _verify(produced, job) or pages[index]
                with contextlib.ExitStack() as stack:  # all moved into place, or none
                    for index, (_, produced) in private.items():
                        target = parts[index].target
                        assert target is not None
                        shutil.copyfile(produced, stack.enter_context(atomic_path(target)))
                return pages
            except _Died:
                if attempt == 2:
                    raise UnoRefused(
                        f"{names[0]}: LibreOffice stopped twice while converting the pack"
                    ) from None
            finally:
                for copy, produced in private.values():
                    copy.unlink(missing_ok=True)
                    produced.unlink(missing_ok=True)
                    produced.with_suffix(".first.pdf").unlink(missing_ok=True)
        raise AssertionError("unreachable")


class _Died(Exception):
    """LibreOffice died during a request (it has been stopped; the caller may try again)."""


def _verify(produced: Path, job: Job) -> int:
    """The page count of a PDF that opens (0 for a DOCX); else a `ConversionError`."""
    from pipeline.errors import UnsafeFile
    from pipeline.libreoffice.soffice import verify_pdf
    from pipeline.safety import check_zip

    shown = job.name or job.source
    if job.to == "pdf":
        return verify_pdf(produced, shown)
    try:
        check_zip(produced, required="word/document.xml")
    except UnsafeFile as exc:
        raise ConversionError(f"{shown}: LibreOffice wrote a damaged document") from exc
    return 0

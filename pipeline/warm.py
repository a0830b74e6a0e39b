"""LibreOffice kept warm: one started per build (or per core, for a batch) and driven through
UNO, instead of one `soffice --convert-to` per run.

`uno_worker.py` runs in the Python that has LibreOffice's `uno` module and talks JSON lines on
its pipes. Each request is bounded by a time limit; a LibreOffice that hangs is killed with
its process group, one that dies is started again and the document tried once more. Every
output is written beside its target and checked before it replaces it. Where there is no
Python with `uno`, `soffice --convert-to` does the work: slower (LibreOffice starts for every
run), and the contents page has no page numbers, since nothing can fill them in.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import weakref
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline.errors import ConversionError
from pipeline.files import atomic_path

# Light to import (no pypdf, no python-docx): the command line starts LibreOffice with this
# before it imports the rest, so LibreOffice comes up while Python checks and renders.

WORKER = Path(__file__).resolve().parent / "uno_worker.py"
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
    """Contents placeholders -> `@bookmark` (that heading's page) or `+N` (the page N after
    the document's last)."""
    to: str = "pdf"


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


class _Profile:
    """A LibreOffice profile kept between builds (LibreOffice starts 0.15 s sooner with one it
    has used before), held with a lock: two LibreOffices must never share a profile. The
    settings that matter (macros off, links never updated) are written afresh every start."""

    SLOTS = 16

    def __init__(self, path: Path, lock: int | None) -> None:
        self.path, self.lock = path, lock

    @classmethod
    def take(cls) -> _Profile | None:
        """A free kept profile, locked; None when there is none (a fresh one is used)."""
        import fcntl

        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tc-pack"
        try:
            base.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        for slot in range(cls.SLOTS):
            try:
                lock = os.open(base / f"libreoffice-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                return None
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(lock)
                continue
            profile = cls(base / f"libreoffice-{slot}", lock)
            _stop_orphans(profile.path)
            return profile
        return None

    def inherited(self) -> tuple[int, ...]:
        """The lock, for LibreOffice to inherit: the profile stays locked while it runs, even
        if the build that started it has ended."""
        return (self.lock,) if self.lock is not None else ()

    def release(self) -> None:
        if self.lock is not None:
            os.close(self.lock)  # the lock goes when LibreOffice, holding it too, is gone
            self.lock = None


def _stop_orphans(profile: Path) -> None:
    """Stop any LibreOffice still running on `profile` without holding its lock (a new one
    would hand its work to it, and share the profile: LibreOffice's single-instance pipe is
    named after the profile)."""
    marker = f"-env:UserInstallation={profile.as_uri()}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            arguments = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker in arguments:
            with contextlib.suppress(OSError):
                os.kill(int(entry), signal.SIGKILL)


class NoUno(Exception):
    """The Python tried has no `uno` module."""


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
        from pipeline.uno_worker import start_office, write_profile

        self.work = Path(tempfile.mkdtemp(prefix="pack-uno-"))
        self.stderr = (self.work / "worker.log").open("wb")
        self.profile = _Profile.take() or _Profile(self.work / "profile", None)
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

    def convert(self, job: Job) -> int:
        """Convert one document; its page count. Restarts LibreOffice once if it dies."""
        for attempt in (1, 2):
            if self.uses >= MAX_USES:
                self.close()
            self._wait_ready()
            with atomic_path(job.target) as tmp:
                request = {
                    "op": "convert",
                    "source": str(job.source.resolve()),
                    "target": str(tmp.resolve()),
                    "format": job.to,
                    "fill": job.fill,
                }
                assert self.process is not None
                assert self.process.stdin is not None
                try:
                    self.process.stdin.write(json.dumps(request).encode() + b"\n")
                    self.process.stdin.flush()
                    answer = self._line(time.monotonic() + PER_DOCUMENT)
                except (BrokenPipeError, OSError):
                    answer = {"ok": False, "dead": True, "error": "the worker's pipe broke"}
                self.uses += 1
                if answer is None:
                    self.stop()
                    raise ConversionError(
                        f"{job.source}: LibreOffice did not finish within {PER_DOCUMENT:.0f} s; it was stopped"
                    )
                if not answer.get("ok") and self._office_gone():
                    answer["dead"] = True
                if answer.get("dead"):
                    self.stop()
                    self.restarts += 1
                    if attempt == 1:
                        continue
                    raise ConversionError(
                        f"{job.source}: LibreOffice stopped twice while converting it"
                    )
                if not answer.get("ok"):
                    raise ConversionError(
                        f"{job.source}: LibreOffice could not convert it ({answer.get('error')})"
                    )
                return _verify(tmp, job) or int(answer.get("pages") or 0)
        raise AssertionError("unreachable")


def _verify(produced: Path, job: Job) -> int:
    """The page count of a PDF that opens (0 for a DOCX); else a `ConversionError`."""
    from pipeline.convert import verify_pdf
    from pipeline.safety import UnsafeFile, check_zip

    if job.to == "pdf":
        return verify_pdf(produced, job.source)
    try:
        check_zip(produced, required="word/document.xml")
    except UnsafeFile as exc:
        raise ConversionError(f"{job.source}: LibreOffice wrote a damaged document") from exc
    return 0


class ColdConverter:
    """`soffice --convert-to`, LibreOffice started for each run: where there is no `uno`."""

    lost = (
        "LibreOffice's Python module uno is missing (Debian: apt-get install python3-uno), so "
        "LibreOffice starts for every document and the contents page has no page numbers"
    )

    def __init__(self, soffice: str) -> None:
        self.soffice = soffice
        self.restarts = 0

    def start(self) -> None:
        pass

    def convert(self, job: Job) -> int:
        from pipeline.convert import convert as convert_once
        from pipeline.convert import verify_pdf

        if not job.fill:
            (done,) = convert_once([(job.source, job.target)], soffice=self.soffice, to=job.to)
            return verify_pdf(done, job.source) if job.to == "pdf" else 0
        with tempfile.TemporaryDirectory(prefix="pack-fill-") as folder:
            blank = Path(folder) / job.source.name
            _replace_text(job.source, blank, dict.fromkeys(job.fill, ""))
            (done,) = convert_once([(blank, job.target)], soffice=self.soffice, to=job.to)
        return verify_pdf(done, job.source)

    def close(self) -> None:
        pass


def _replace_text(source: Path, target: Path, replacements: dict[str, str]) -> None:
    """A copy of a .docx with each placeholder in its body replaced."""
    from pipeline.safety import check_zip

    check_zip(source, required="word/document.xml")
    with (
        zipfile.ZipFile(source) as archive,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                for key, value in replacements.items():
                    text = text.replace(key, value)
                data = text.encode("utf-8")
            out.writestr(info, data)


Converter = WarmConverter | ColdConverter


_open: weakref.WeakSet[Converters] = weakref.WeakSet()


def close_all() -> None:
    """Stop every LibreOffice this process started and has not stopped yet."""
    for converters in list(_open):
        converters.close()


class Converters:
    """One converter per core (as many as asked), shared by every document of every pack.

    Converters are made lazily and started at once: `start()` early lets LibreOffice come up
    while the build renders its documents."""

    def __init__(self, count: int = 1, note: Callable[[str], None] = lambda message: None) -> None:
        self.count = max(1, count)
        self.note = note
        self.idle: queue.Queue[Converter] = queue.Queue()
        self.made: list[Converter] = []
        self.lock = threading.Lock()
        self.kind: str | None = None
        self.pythons: list[str] = []
        _open.add(self)

    def expected_kind(self) -> str:
        """`warm` (through UNO) or `cold` (`soffice --convert-to`): what conversions will be."""
        from pipeline.convert import find_soffice

        if self.kind is None:
            self.pythons = uno_pythons(find_soffice())
            self.kind = "warm" if self.pythons else "cold"
            if self.kind == "cold":
                self.note(f"warning: {ColdConverter.lost}")
        return self.kind

    def _make(self) -> Converter:
        from pipeline.convert import find_soffice

        soffice = find_soffice()
        if self.expected_kind() == "warm":
            return WarmConverter(self.pythons[0], soffice)
        return ColdConverter(soffice)

    def start(self) -> None:
        """Start the converters now, without waiting for them."""
        with self.lock:
            while len(self.made) < self.count:
                converter = self._make()
                converter.start()
                self.made.append(converter)
                self.idle.put(converter)

    @contextlib.contextmanager
    def one(self) -> Iterator[Converter]:
        self.start()
        converter = self.idle.get()
        try:
            yield converter
        finally:
            self.idle.put(converter)

    def convert(self, job: Job) -> int:
        with self.one() as converter:
            try:
                return converter.convert(job)
            except NoUno:
                with self.lock:  # this Python has no uno after all: fall back for good
                    self.kind, self.pythons = "cold", []
                    self.note(f"warning: {ColdConverter.lost}")
                from pipeline.convert import find_soffice

                cold = ColdConverter(find_soffice())
                self.made.append(cold)
                return cold.convert(job)

    def convert_all(self, jobs: Sequence[Job]) -> list[int]:
        """Convert `jobs` on every converter at once; page counts in the jobs' order."""
        if len(jobs) <= 1 or self.count == 1:
            return [self.convert(job) for job in jobs]
        results: list[int | BaseException] = [0] * len(jobs)

        def work(index: int) -> None:
            try:
                results[index] = self.convert(jobs[index])
            except BaseException as exc:  # handed to the caller below
                results[index] = exc

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return [int(r) for r in results]  # type: ignore[arg-type]

    @property
    def restarts(self) -> int:
        return sum(c.restarts for c in self.made)

    def close(self) -> None:
        for converter in self.made:
            converter.close()
        self.made.clear()
        self.idle = queue.Queue()

    def __enter__(self) -> Converters:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def batch_size(count: int) -> int:
    """Converters for a batch: one per core, no more than there are packs."""
    return max(1, min(count, os.cpu_count() or 1))


_early: list[Converters] = []


def hand_over(converters: Converters) -> None:
    """Leave converters started early (`launch.py`) for the command that will use them."""
    _early.append(converters)


def take_over(count: int, note: Callable[[str], None]) -> Converters:
    """The converters started early, if any, else new ones (`count` of them)."""
    if _early and count == 1:
        converters = _early.pop()
        converters.note = note
        return converters
    while _early:  # not the ones wanted after all
        _early.pop().close()
    return Converters(count, note)

"""The converters of a build: as many warm ones as asked (one per core for a batch), or
`soffice --convert-to` where there is no Python with `uno`.

Light to import (no pypdf, no python-docx): the command line starts LibreOffice with this
before it imports the rest, so LibreOffice comes up while Python checks and renders.
"""

from __future__ import annotations

import contextlib
import os
import queue
import tempfile
import threading
import weakref
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from pipeline.errors import NoUno, UnoRefused
from pipeline.libreoffice.jobs import FirstPages, Job, PackPart
from pipeline.libreoffice.office import uno_pythons
from pipeline.libreoffice.warm import WarmConverter


class ColdConverter:
    """`soffice --convert-to`, LibreOffice started for each run: where there is no `uno`."""

    lost = (
        "LibreOffice's Python module uno is missing (Debian: apt-get install python3-uno), so "
        "LibreOffice starts for every document, the contents page has no page numbers and "
        "each part's footer counts its own pages, not the pack's"
    )

    def __init__(self, soffice: str) -> None:
        self.soffice = soffice
        self.restarts = 0

    def start(self) -> None:
        pass

    def convert(self, job: Job) -> int:
        from pipeline.libreoffice.soffice import convert as convert_once
        from pipeline.libreoffice.soffice import verify_pdf

        shown = job.name or job.source
        if not job.fill:
            (done,) = convert_once(
                [(job.source, job.target)], soffice=self.soffice, to=job.to, names=[job.name]
            )
            return verify_pdf(done, shown) if job.to == "pdf" else 0
        with tempfile.TemporaryDirectory(prefix="pack-fill-") as folder:
            blank = Path(folder) / job.source.name
            _replace_text(job.source, blank, dict.fromkeys(job.fill, ""))
            (done,) = convert_once([(blank, job.target)], soffice=self.soffice, to=job.to)
        return verify_pdf(done, job.source)

    def convert_pack(self, parts: Sequence[PackPart], first: FirstPages | None = None) -> list[int]:
        """Each document converted on its own: no page numbers across the pack (and no pages
        handed over `first`: each part is one run)."""
        return [
            self.convert(
                Job(part.source, part.target, dict.fromkeys(part.fill, ""), name=part.name)
            )
            if part.source is not None and part.target is not None
            else part.pages
            for part in parts
        ]

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
        from pipeline.libreoffice.soffice import find_soffice

        if self.kind is None:
            self.pythons = uno_pythons(find_soffice())
            self.kind = "warm" if self.pythons else "cold"
            if self.kind == "cold":
                self.note(f"warning: {ColdConverter.lost}")
        return self.kind

    def _make(self) -> Converter:
        from pipeline.libreoffice.soffice import find_soffice

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
            except UnoRefused as exc:
                if job.fill:  # the form: its contents' numbers need the warm converter
                    raise
                # a document LibreOffice dies on (or will not load) through UNO may still
                # convert in a run of its own (LibreOffice 7.4 and Word files with comments)
                self.note(f"warning: {exc}; converting it with soffice --convert-to instead")
                from pipeline.libreoffice.soffice import find_soffice

                return ColdConverter(find_soffice()).convert(job)
            except NoUno:
                return self._cold_for_good().convert(job)

    def _cold_for_good(self) -> ColdConverter:
        """This Python has no `uno` after all: the cold converter, from now on."""
        from pipeline.libreoffice.soffice import find_soffice

        with self.lock:
            self.kind, self.pythons = "cold", []
            self.note(f"warning: {ColdConverter.lost}")
        cold = ColdConverter(find_soffice())
        self.made.append(cold)
        return cold

    def convert_pack(self, parts: Sequence[PackPart], first: FirstPages | None = None) -> list[int]:
        """The documents of one pack, numbered as one, on one converter; every part's pages.
        `first`: some of its pages handed over on their own first, where LibreOffice is warm."""
        refused = None
        with self.one() as converter:
            try:
                return converter.convert_pack(parts, first)
            except UnoRefused as exc:  # a document LibreOffice dies on or will not load
                refused = exc
            except NoUno:
                return self._cold_for_good().convert_pack(parts)
        # one by one instead (each refused one cold): the pages count their own part only
        self.note(f"warning: {refused}; converting the pack's documents one by one instead")
        return [
            self.convert(
                Job(part.source, part.target, dict.fromkeys(part.fill, ""), name=part.name)
            )
            if part.source is not None and part.target is not None
            else part.pages
            for part in parts
        ]

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
    def spans(self) -> list[tuple[str, float, float]]:
        """What each LibreOffice did when (`WarmConverter.spans`), for --timings."""
        return [span for c in self.made for span in getattr(c, "spans", ())]

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

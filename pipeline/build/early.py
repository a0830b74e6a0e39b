"""Appendix documents converted as soon as they are rendered, while the form is rendered.

The form is rendered last (its contents page needs where each appendix starts only when it is
converted, not when it is rendered), so LibreOffice, once it is up, converts the appendices
while Python is still rendering the form, instead of waiting for every document.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pipeline.build.manifest import Part
from pipeline.libreoffice.pool import Converters
from pipeline.libreoffice.warm import Job


class EarlyConversions:
    """Conversions started in the background; each taken (waited for) by the convert stage."""

    def __init__(self, converters: Converters) -> None:
        self.converters = converters
        self.pool: ThreadPoolExecutor | None = None
        self.started: dict[str, Future[int]] = {}

    def start(self, part: Part) -> None:
        """Convert `part`'s document in the background (the page count comes later)."""
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack-early")
        job = Job(Path(part.source), Path(part.pdf))
        self.started[part.source] = self.pool.submit(self.converters.convert, job)

    def take(self, source: str) -> Future[int] | None:
        """The conversion started for `source`, if one was."""
        return self.started.pop(source, None)

    def close(self) -> None:
        """Wait for what is still converting (before LibreOffice is stopped, never after)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.started.clear()

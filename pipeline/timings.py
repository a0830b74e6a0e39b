"""Where a build's time went: `pack assemble --timings` (or `-v`) prints each stage on stderr.

Spans are measured with the wall clock (`time.time()`), so that LibreOffice's own moments,
reported by its worker in another process, fall on the same line. `begin()` is called as
the program starts (`launch.py`); everything is measured from then. Standard library only.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

_origin: list[float] = []


def begin() -> None:
    """Mark the program's start (the first thing `pack` does)."""
    if not _origin:
        _origin.append(time.time())


def origin() -> float:
    """When the program started (or, if `begin` was never called, when this was first asked)."""
    begin()
    return _origin[0]


@dataclass
class Timings:
    """Stages as (name, start, end) in wall-clock seconds; moments as spans of no length."""

    start: float = field(default_factory=origin)
    spans: list[tuple[str, float, float]] = field(default_factory=list)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        began = time.time()
        try:
            yield
        finally:
            self.spans.append((name, began, time.time()))

    def add(self, name: str, began: float, ended: float | None = None) -> None:
        self.spans.append((name, began, began if ended is None else ended))

    def lines(self, more: Iterable[tuple[str, float, float]] = ()) -> list[str]:
        """`  0.41-0.52  check (0.11 s)`, in order of start, with those of `more` (LibreOffice's)
        that happened since the start; the total last."""
        found = []
        spans = [*self.spans, *(span for span in more if span[1] >= self.start)]
        for name, began, ended in sorted(spans, key=lambda s: (s[1], s[2])):
            a, b = began - self.start, ended - self.start
            if ended == began:
                found.append(f"{a:6.2f}        {name}")
            else:
                found.append(f"{a:6.2f}-{b:<6.2f} {name} ({b - a:.2f} s)")
        found.append(f"{time.time() - self.start:6.2f}        done")
        return found


class NoTimings(Timings):
    """Timings nobody will read: stages cost nothing to measure."""

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        yield

    def add(self, name: str, began: float, ended: float | None = None) -> None:
        pass

    def lines(self, more: Iterable[tuple[str, float, float]] = ()) -> list[str]:
        return []

"""The budget of every input: how big and how complex a file may be before any work starts.

Each limit is far above what a real submission pack needs (the form's answers are a few
thousand words, a plan a few hundred rows, an appendix tens of pages) and far below what makes
a build hang or exhaust memory. A file over a limit is refused with its name, the limit and
what to do; README.md ("what it defends against") lists the values.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pipeline import posix
from pipeline.errors import UnsafeFile

T = TypeVar("T")

TEXT_BYTES = 1024 * 1024
"""A Markdown answer or appendix, or pack.toml: 1 MiB (the whole form is about 30 KB)."""
NESTING = 9
"""Block quotes and lists inside each other, in Markdown: Word's nine list levels (the parser
itself drops, silently, what lies deeper than about ten)."""
IMAGE_PIXELS = 40_000_000
"""A picture in an answer or appendix: 40 megapixels (an 8000 x 5000 photograph)."""
PLAN_ROWS = 2000
"""Rows of the action plan's sheet (a large plan has 500)."""
PLAN_COLUMNS = 64
"""Columns of the action plan's sheet (the known columns and strategic priorities)."""
PLAN_CELL_CHARS = 10_000
"""Characters in one cell of the plan."""
PDF_BYTES = 100 * 1024 * 1024
"""An appendix PDF: 100 MiB."""
PDF_PAGES = 1000
"""Pages of an appendix PDF."""
WORD_BYTES = 20 * 1024 * 1024
"""A Word appendix file: 20 MiB (a report with photographs is a few MiB)."""
OFFICE_PART_BYTES = 32 * 1024 * 1024
"""One part (XML or picture) of a Word or Excel file, uncompressed: 32 MiB."""
PARSE_SECONDS = 30
"""Time to read an untrusted PDF (its pages, its encryption) before it is given up."""
PARSE_MEMORY = 1024 * 1024 * 1024
"""Memory the process reading an untrusted PDF may take: 1 GiB."""


def file_size(path: Path, limit: int, what: str) -> None:
    """Refuse `path` if it is larger than `limit` bytes."""
    size = path.stat().st_size
    if size > limit:
        raise UnsafeFile(
            f"{path}: {_size(size)}, over the limit of {_size(limit)} for {what}; "
            "make it smaller or split it"
        )


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MiB".replace(".0 MiB", " MiB")
    if count >= 1024:
        return f"{count / 1024:.1f} KiB".replace(".0 KiB", " KiB")
    return f"{count} bytes"


class Exceeded(Exception):
    """Reading an untrusted file was stopped at `PARSE_SECONDS` or `PARSE_MEMORY`."""

    def __init__(self, path: Path, memory: bool) -> None:
        self.path, self.memory = path, memory
        what = (
            f"needs more than {PARSE_MEMORY // 2**30} GiB to read"
            if memory
            else f"not read within {PARSE_SECONDS} s"
        )
        super().__init__(f"{path}: {what}; refused")


def bounded(path: Path, work: Callable[[], T]) -> T:
    """`work()` (which reads the untrusted file `path`) in a separate process limited to
    `PARSE_SECONDS` and `PARSE_MEMORY` (`posix.bounded_call`): its result or its exception;
    `Exceeded` when it was stopped."""
    try:
        return posix.bounded_call(work, PARSE_SECONDS, PARSE_MEMORY)
    except posix.TimedOut:
        raise Exceeded(path, memory=False) from None
    except posix.OutOfMemory:
        raise Exceeded(path, memory=True) from None

"""The budget of every input: how big and how complex a file may be before any work starts.

Each limit is far above what a real submission pack needs (the form's answers are a few
thousand words, a plan a few hundred rows, an appendix tens of pages) and far below what makes
a build hang or exhaust memory. A file over a limit is refused with its name, the limit and
what to do; README.md ("what it defends against") lists the values.
"""

from __future__ import annotations

import os
import pickle
import resource
import signal
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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
    """`work()` (which reads the untrusted file `path`) in a forked child limited to
    `PARSE_SECONDS` and `PARSE_MEMORY`: its result or its exception, brought back pickled;
    `Exceeded` when it was stopped. Where there is no fork, in this process."""
    if not hasattr(os, "fork"):
        return work()
    read, write = os.pipe()
    with warnings.catch_warnings():  # Python 3.12+ warns when threads run; the child only reads
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:  # the child: bounded, sends one answer, ends without cleaning up
        os.close(read)
        status = 0
        try:
            signal.alarm(PARSE_SECONDS)
            resource.setrlimit(resource.RLIMIT_AS, (PARSE_MEMORY, PARSE_MEMORY))
            try:
                answer = pickle.dumps((True, work()))
            except MemoryError:
                raise
            except Exception as exc:  # the caller's to handle: sent back as it is
                try:
                    answer = pickle.dumps((False, exc))
                except Exception:  # an exception that cannot be pickled: its words
                    answer = pickle.dumps((False, ValueError(str(exc))))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(answer)
        except MemoryError:
            status = 3
        except BaseException:
            status = 4
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(child, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM:
        raise Exceeded(path, memory=False)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3:
        raise Exceeded(path, memory=True)
    if not data or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return work()  # the child failed for a reason of its own: decide here instead
    try:
        ok, value = pickle.loads(data)  # our own child's answer
    except Exception:  # an exception of a library's that does not unpickle: decide here
        return work()
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]

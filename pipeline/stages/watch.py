"""`pack assemble --watch`: build, then build again whenever an input or template changes.

One `Build` lives for the whole session: LibreOffice stays running, and each form stays in
memory, so an edited answer is the only thing rendered again (`render.answers`) and the form the
only document converted again. Files are polled (their names, times and sizes: a few dozen
`stat` calls, a quarter of a millisecond, fifty times a second: about 1% of a core); a change is
built once the files have stopped changing for a moment, as an editor may write several. Each rebuild says which files set it off and how
long it took, from the change seen to the pack written.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline import posix
from pipeline.errors import PackError
from pipeline.form import TEMPLATES
from pipeline.incremental import keys
from pipeline.stages.assemble import Build
from pipeline.timings import Timings

INTERVAL = 0.02
"""Seconds between two looks at the files."""
SETTLE = 0.02
"""Seconds the files must stay as they are before a change is built."""


def fingerprint(folders: Sequence[Path], out_dir: Path | None = None) -> dict[str, tuple[int, int]]:
    """What changes when a file under the inputs or the templates does: names, times, sizes
    (the build's own folder aside, when it is inside the inputs)."""
    found = {}
    for folder in [*folders, TEMPLATES]:
        for path in keys.files(folder, out_dir):
            with contextlib.suppress(OSError):  # a file an editor is replacing just now
                stat = path.stat()
                found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """The files added, removed or changed between two fingerprints."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def said(changed: list[str]) -> str:
    """`inputs/answers/5-x.md changed`, or the first three of several."""
    if len(changed) == 1:
        return f"{changed[0]} changed"
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    return f"{', '.join(changed[:3])}{more} changed"


def watch(
    build: Build,
    folders: Sequence[Path],
    built: Callable[[Path | PackError], None],
    interval: float = INTERVAL,
    rounds: int | None = None,
    timed: Callable[[Timings], None] | None = None,
) -> None:
    """Build, then build again each time an input or template changes, until Ctrl-C (or
    `rounds` builds). `timed` sees each build's timings (for --timings)."""
    build.keep_forms()
    seen: dict[str, tuple[int, int]] | None = None
    done = 0
    with posix.interruptible():  # a Ctrl-C while the check forks is not lost
        try:
            while rounds is None or done < rounds:
                now = fingerprint(folders, build.out_dir)
                if now == seen:
                    time.sleep(interval)
                    continue
                began = time.time()  # or, below, when the file that changed was written
                while True:  # until the files stay as they are for a moment
                    time.sleep(SETTLE)
                    settled = fingerprint(folders, build.out_dir)
                    if settled == now:
                        break
                    now = settled
                if seen is not None:
                    changed = changes(seen, now)
                    build.progress(said(changed))
                    began = min(
                        began, max((now[n][0] / 1e9 for n in changed if n in now), default=began)
                    )
                seen = now
                build.timings = Timings(start=began)
                for result in build.many(folders):
                    built(result)
                build.progress(f"built in {time.time() - began:.2f} s")
                if timed is not None:
                    timed(build.timings)
                done += 1
                build.progress("watching for changes (Ctrl-C to stop)")
        except KeyboardInterrupt:
            build.progress("stopped watching")

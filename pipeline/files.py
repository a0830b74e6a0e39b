"""Writing outputs so that a failed or killed build never leaves half a file in place."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import PackError


def umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux), so
    that threads creating files meanwhile are not affected."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def output_mode(target: Path) -> int:
    """The mode a file written to `target` gets: the mode of the file it replaces, else what
    a new file gets under the user's umask (0644 under the usual 022)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~umask()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`; moved over it only if the block succeeds.

    The temporary file is private (0600) while it is written; the file moved into place has
    the mode any other program's new file would have (`output_mode`)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, output_mode(target))
        try:
            os.replace(temporary, target)
        except PermissionError as exc:
            raise PackError(
                f"{target}: cannot replace it (is it open in another program?); close it and retry"
            ) from exc
    finally:
        temporary.unlink(missing_ok=True)

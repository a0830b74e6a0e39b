"""Writing outputs so that a failed or killed build never leaves half a file in place.

A temporary file beside its target is named after the process writing it
(`.<name>.<pid>.<random>.part`), so that the next build can tell one a killed build left behind
(its process gone) from one a running build is writing, and remove it.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline import posix
from pipeline.errors import PackError

_PART = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")
_LOCK = re.compile(r"^\.~lock\..+#$")


def _folder(folder: Path) -> None:
    """`folder`, made if need be; a `PackError` in one line when it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise PackError(f"{folder}: a file is in the way of this output folder; move it") from exc
    except OSError as exc:
        raise PackError(f"{folder}: cannot make the output folder ({exc.strerror})") from exc


def output_mode(target: Path) -> int:
    """The mode a file written to `target` gets: the mode of the file it replaces, else what
    a new file gets under the user's umask (0644 under the usual 022)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~posix.umask()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`; moved over it only if the block succeeds.

    The temporary file is private (0600) while it is written; the file moved into place has
    the mode any other program's new file would have (`output_mode`)."""
    _folder(target.parent)
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise PackError(
            f"{target.parent}: cannot write there ({exc.strerror}); choose another output folder"
        ) from exc
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
        except OSError as exc:  # a folder where the file goes, say
            raise PackError(f"{target}: cannot write it ({exc.strerror})") from exc
    finally:
        temporary.unlink(missing_ok=True)


def writable_folder(folder: Path) -> None:
    """Refuse, before any work starts, an output folder that cannot be made or written (a file
    in its way, read-only); nothing is created."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():  # a dangling link: nothing can be made there
            break
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise PackError(f"{existing}: a file is in the way of the output folder {folder}; move it")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise PackError(f"{folder}: cannot write there (read-only); choose another output folder")


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove what a killed build left in the output folder `folder` (and its work folders):
    temporary files of processes that are gone, and LibreOffice lock files; the paths removed."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.rglob(".*"):
        name = path.name
        part = _PART.match(name)
        if (part and not posix.running(int(part[1]))) or _LOCK.match(name):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed

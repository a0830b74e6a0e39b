"""LibreOffice for the tests: whether it is here, the Python with its `uno` module, a reviewer's
edits made in it, and reading a child process's output without waiting forever."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path
from typing import IO

from pipeline.errors import ConversionError
from pipeline.libreoffice.office import uno_environment, uno_pythons
from pipeline.libreoffice.soffice import find_soffice

HERE = Path(__file__).resolve().parent


def uno_python() -> str | None:
    """A Python with LibreOffice's `uno` module, as the build finds it (`uno_pythons`); None
    if there is none."""
    try:
        soffice = find_soffice()
    except ConversionError:
        return None
    env = {**os.environ, **uno_environment(soffice)}
    for candidate in uno_pythons(soffice):
        done = subprocess.run([candidate, "-c", "import uno"], capture_output=True, env=env)
        if done.returncode == 0:
            return candidate
    return None


def reviewer_edits(
    uno: str, source: Path, target: Path, author: str, edits: list[dict[str, object]]
) -> Path:
    """`source` edited in the real LibreOffice by `author`, saved as DOCX to `target`."""
    spec = target.with_suffix(".edits.json")
    spec.write_text(json.dumps({"author": author, "edits": edits}), encoding="utf-8")
    command = [
        uno,
        str(HERE / "uno_edit.py"),
        find_soffice(),
        str(source),
        str(target),
        str(spec),
    ]
    env = {**os.environ, **uno_environment(find_soffice())}  # this LibreOffice's own uno
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=env
    )
    assert done.returncode == 0, done.stderr
    return target


def has_libreoffice() -> bool:
    try:
        find_soffice()
    except ConversionError:
        return False
    return True


class Lines:
    """The lines a child process writes to a pipe, read by a thread so that a test can wait
    for the next one with a time limit instead of blocking on `readline()` for ever."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._lines: queue.Queue[str] = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put("")  # end of output

    def next(self, timeout: float) -> str:
        """The next line (empty at the end of output); a test failure after `timeout` seconds."""
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line within {timeout} s") from None

    def close(self, timeout: float = 10) -> None:
        """Once the process has ended: let the reader reach the end of its output, then close."""
        self._reader.join(timeout)
        self._stream.close()


def tripwire_soffice(folder: Path, soffice: str | None = None) -> Path:
    """A stand-in for LibreOffice that leaves `tripped` beside it if it is ever started; it
    claims the real one's version (the one the build would use), so that builds keyed by that
    version are not disturbed."""
    soffice = soffice or find_soffice()
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(f"#!/bin/sh\ntouch {folder / 'tripped'}\nexit 1\n")
    program.chmod(0o755)
    real = Path(os.path.realpath(shutil.which(soffice) or soffice)).parent / "versionrc"
    if real.is_file():
        shutil.copyfile(real, folder / "versionrc")
    return program

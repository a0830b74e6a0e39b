"""LibreOffice dies with the `pack` that started it, however `pack` ends (SIGKILL included).

Each LibreOffice runs in a process group of its own. Beside it, in the same group, runs a
watchdog: a shell that reads a pipe whose only writing end this process holds. When this
process ends, the kernel closes that end, the read ends, and the shell removes what the killed
LibreOffice leaves (the socket of its pipe) and kills its whole group: LibreOffice, everything
it started, and itself. A LibreOffice stopped in the ordinary way takes its watchdog with it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

_WATCH = 'cat >/dev/null; [ -z "$1" ] || rm -f -- "$1"; kill -KILL 0'
"""Wait for the end of the pipe (this process gone), remove the file given, then kill the
process group."""


class Watchdog:
    """The watchdog of one process group."""

    def __init__(self, group: int, leftover: Path | None = None) -> None:
        read, self.write = os.pipe()  # neither end is inherited by anything else started
        try:
            self.process: subprocess.Popen[bytes] | None = subprocess.Popen(
                ["/bin/sh", "-c", _WATCH, "watchdog", str(leftover or "")],
                stdin=read,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                process_group=group,
            )
        except OSError:  # no shell, or the group is gone already: nothing to watch
            self.process = None
        finally:
            os.close(read)

    def release(self) -> None:
        """Forget the group (it has been stopped): close the pipe and collect the watchdog."""
        if self.write >= 0:
            with contextlib.suppress(OSError):
                os.close(self.write)
            self.write = -1
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
            self.process = None

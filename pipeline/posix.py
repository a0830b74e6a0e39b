"""The calls only some systems have, each with what is done where it is missing.

`pack` is written for Linux, where LibreOffice is driven in process groups of its own. On
macOS some of these calls exist but do less (the address-space limit is not enforced, there is
no /proc); on Windows most are missing (no fork, no process groups, no SIGHUP, no `resource` or
`fcntl`), and `os.kill(pid, 0)` there would stop the process rather than look at it. Everything
else in the tool calls these functions, never the system's own, so that the commands that need
no LibreOffice (`check`, `window`, `plan`, `draft`, `review`, `harvest`, `verify`) start and
run on any system, and what needs LibreOffice says how to get a system that can drive it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

NO_PROCESS_GROUPS = (
    "LibreOffice cannot be driven on this system: pack runs it in a process group of its own "
    "(so that nothing it starts outlives the build), which needs Linux or macOS. On Windows, "
    "run pack inside WSL (`wsl --install`, then install pack and LibreOffice there as on "
    "Debian/Ubuntu), or let the CI workflow build the pack; the commands that need no "
    "LibreOffice (check, window, plan, draft, review, harvest, verify) run here"
)
"""Why a command that needs LibreOffice stops, where there are no process groups."""


def process_groups() -> bool:
    """Whether LibreOffice can be run in a process group of its own and stopped with it."""
    return all(hasattr(os, name) for name in ("killpg", "setsid", "getpgrp")) and hasattr(
        signal, "SIGKILL"
    )


def stop_signals() -> tuple[signal.Signals, ...]:
    """The signals that stop a build as Ctrl-C does: SIGTERM, and SIGHUP where there is one
    (a closed terminal; Windows has none)."""
    return tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def running(pid: int) -> bool:
    """Whether process `pid` is alive. Where that cannot be asked without harm (Windows, whose
    `os.kill` ends the process), it is taken as alive: what it may be writing is left alone."""
    if not hasattr(os, "getpgid"):
        return True
    try:
        os.getpgid(pid)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's, or not ours to ask about: alive
        return True
    return True


def umask() -> int:
    """The process's umask, read without changing it where the system says it (/proc, on
    Linux), so that threads creating files meanwhile are not affected; elsewhere set and put
    back."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def lock(descriptor: int) -> bool:
    """Take an exclusive lock on an open file without waiting; False when another holds it, or
    where files cannot be locked so (then nothing is shared)."""
    if not can_lock():
        return False
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def can_lock() -> bool:
    """Whether `lock` can lock files here at all."""
    try:
        import fcntl  # noqa: F401
    except ImportError:
        return False
    return True


def processes_with(argument: str) -> list[int]:
    """The processes whose command line holds `argument`: read from /proc (Linux), else from
    `ps` (macOS, the BSDs); none where neither answers."""
    found: list[int] = []
    wanted = argument.encode()
    try:
        entries = os.listdir("/proc")
    except OSError:
        entries = []
    if any(entry.isdigit() for entry in entries):
        for entry in entries:
            if entry.isdigit():
                try:
                    arguments = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
                except OSError:
                    continue
                if wanted in arguments:
                    found.append(int(entry))
        return found
    try:
        listing = subprocess.run(
            ["ps", "-axww", "-o", "pid=", "-o", "command="],
            capture_output=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return found
    for line in listing.splitlines():
        pid, _, command = line.strip().partition(b" ")
        if pid.isdigit() and wanted in command.split():
            found.append(int(pid))
    return found


def kill(pid: int) -> None:
    """Stop process `pid` at once (SIGKILL); nothing where it is gone or not ours."""
    if hasattr(signal, "SIGKILL"):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def kill_group(group: int) -> None:
    """Stop every process of process group `group` at once."""
    if process_groups():
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)


def give_back_memory() -> None:
    """Hand freed memory back to the system (glibc keeps it otherwise); elsewhere, nothing."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).malloc_trim(0)


class TimedOut(Exception):
    """`bounded_call`'s work ran past its time and was stopped."""


class OutOfMemory(Exception):
    """`bounded_call`'s work needed more than its memory and was stopped."""


ADDRESS_LIMIT = sys.platform.startswith(("linux", "freebsd"))
"""Whether the kernel enforces a limit on a process's address space (`RLIMIT_AS`): Linux and
FreeBSD do; macOS accepts the limit and ignores it, so there the child's resident memory is
watched from outside instead."""
_WATCH_EVERY = 0.05
"""Seconds between looks at a watched child's memory."""


def bounded_call(work: Callable[[], T], seconds: float, memory: int) -> T:
    """`work()` in a forked child, stopped after `seconds` (`TimedOut`) or past `memory` bytes
    (`OutOfMemory`): its result or its exception, brought back pickled. The child's memory is
    limited by the kernel where it enforces that (`ADDRESS_LIMIT`), else watched from here
    (macOS); where there is no fork (Windows), `work()` runs in this process, unbounded."""
    if not hasattr(os, "fork") or not hasattr(os, "waitpid"):
        return work()
    read, write = os.pipe()
    limited = ADDRESS_LIMIT and _can_limit()
    with warnings.catch_warnings():  # Python 3.12+ warns when threads run; the child only reads
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:
        os.close(read)
        _child(work, write, memory if limited else None)
    os.close(write)
    data, stopped = _collect(read, child, seconds, None if limited else memory)
    _, status = os.waitpid(child, 0)
    if stopped is not None:
        raise stopped
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 3:
        raise OutOfMemory
    if not data or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return work()  # the child failed for a reason of its own: decide here instead
    try:
        ok, value = pickle.loads(data)  # our own child's answer
    except Exception:  # an exception of a library's that does not unpickle: decide here
        return work()
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def _can_limit() -> bool:
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return True


def _child(work: Callable[[], object], write: int, memory: int | None) -> None:
    """The forked child: limited, sends one answer, ends without cleaning up."""
    status = 0
    try:
        if memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
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


def _collect(
    read: int, child: int, seconds: float, memory: int | None
) -> tuple[bytes, Exception | None]:
    """The child's answer, read until it closes its end; the child stopped (and why) when it
    runs past `seconds` or, where `memory` is given, past that much resident memory."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    stopped: Exception | None = None
    with os.fdopen(read, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                stopped = TimedOut()
            elif memory is not None and (resident(child) or 0) > memory:
                stopped = OutOfMemory()
            if stopped is not None:
                kill(child)
                return b"", stopped
            wait = min(left, _WATCH_EVERY) if memory is not None else left
            if select.select([pipe], [], [], wait)[0]:
                chunk = pipe.read(1 << 16)
                if not chunk:
                    return b"".join(chunks), None
                chunks.append(chunk)


def resident(pid: int) -> int | None:
    """The resident memory of process `pid` in bytes: from /proc (Linux), else from `ps`;
    None where neither says."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    try:
        shown = subprocess.run(
            ["ps", "-o", "rss=", "-p", str(pid)], capture_output=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return int(shown) * 1024 if shown.isdigit() else None


_forking: list[bool] = []
"""Not empty while this process forks."""
_pending: list[bool] = []
"""Not empty when Ctrl-C came while forking: it is raised again once the fork is done."""
_hooked: list[bool] = []


def _forked() -> None:
    _forking.clear()
    if _pending:
        _pending.clear()
        signal.raise_signal(signal.SIGINT)  # now that no at-fork hook can swallow it


def _hook_forks() -> None:
    if not _hooked:  # at-fork hooks cannot be removed: registered once. "before" hooks run
        # last registered first, "after" hooks first registered first: these enclose the others
        os.register_at_fork(before=lambda: _forking.append(True), after_in_parent=_forked,
                            after_in_child=_forking.clear)  # fmt: skip
        _hooked.append(True)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl-C ends the block, even when it comes while the process forks: Python drops (and
    prints) an exception raised in its at-fork hooks, and a watch's check forks to read each
    PDF appendix within bounds, at every save. Ctrl-C that comes while forking is raised again
    once the fork is done. (Where there is no fork, there is nothing to wait for.)"""
    previous = signal.getsignal(signal.SIGINT)
    if (
        previous is signal.SIG_IGN
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(os, "register_at_fork")
    ):
        yield  # a background job's (Ctrl-C is not ours), or not where signals arrive
        return
    _hook_forks()

    def interrupted(number: int, frame: object) -> None:
        if _forking:
            _pending.append(True)
            return
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)

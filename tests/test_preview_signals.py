"""`pack preview` stopped (Ctrl-C, SIGTERM, SIGKILL, the last two while LibreOffice converts):
its exit status, no LibreOffice and no server left, nothing half-written; and `--host` for
another address warns."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from test_interrupt import isolated, long_answer, processes_mentioning
from test_signals import leftovers, sockets, wait_for

from helpers.libreoffice import Lines
from helpers.packs import TODAY


def started(
    pack_dir: Path, tmp_path: Path, *more: str
) -> tuple[subprocess.Popen[str], Lines, str, list[str]]:
    """`pack preview` on `pack_dir`, its first build done: the process, its stderr, its address
    and what it said until then."""
    command = [sys.executable, "-m", "pipeline", "preview", str(pack_dir), "--out",
               str(tmp_path / "build"), "--date", str(TODAY), "--port", "0", "--no-browser",
               *more]  # fmt: skip
    process = subprocess.Popen(
        command, env=isolated(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stderr is not None
    address = process.stdout.readline().strip()
    lines = Lines(process.stderr)
    said = [lines.next(300)]
    while "watching for changes" not in said[-1]:
        said.append(lines.next(300))
    return process, lines, address, said


def refused(address: str) -> bool:
    port = int(address.rstrip("/").rsplit(":", 1)[1])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("number", "status", "when"),
    [(signal.SIGINT, 130, "watching for changes"),
     (signal.SIGTERM, 128 + signal.SIGTERM, "converting the form"),
     (signal.SIGKILL, -9, "converting the form")],
    ids=["SIGINT", "SIGTERM", "SIGKILL"],
)  # fmt: skip
def test_stopped(pack_dir: Path, tmp_path: Path, number: int, status: int, when: str) -> None:
    """Ctrl-C once an edit is built; SIGTERM and SIGKILL while LibreOffice converts it."""
    process, lines, address, _ = started(pack_dir, tmp_path)
    try:
        long_answer(pack_dir)  # saved: LibreOffice is busy with it for a while
        while when not in lines.next(300):
            pass
        os.kill(process.pid, number)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    said = []
    while line := lines.next(10):
        said.append(line)
    lines.close()
    process.stdout.close()  # type: ignore[union-attr]
    assert process.returncode == status, said
    assert "Traceback" not in "".join(said)
    if number == signal.SIGINT:
        assert said[-1] == "pack: interrupted; nothing was replaced\n"
    assert refused(address)
    assert wait_for(lambda: processes_mentioning(str(tmp_path)) == []), "LibreOffice kept running"
    assert wait_for(lambda: not sockets(process.pid)), sockets(process.pid)
    if number != signal.SIGKILL:
        assert leftovers(tmp_path / "build") == []


@pytest.mark.libreoffice
def test_another_address_must_be_asked_for_and_warns(pack_dir: Path, tmp_path: Path) -> None:
    process, lines, address, said = started(pack_dir, tmp_path, "--host", "0.0.0.0")
    try:
        assert address.startswith("http://127.0.0.1:")  # this machine's browser
        assert said[0] == (
            "pack: warning: serving on 0.0.0.0: anyone who can reach this machine can read the "
            "pack while the preview runs; leave out --host to keep it to this machine\n"
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        lines.close()
        process.stdout.close()  # type: ignore[union-attr]
    assert process.returncode == 130

"""However a build ends (Ctrl-C, SIGTERM, SIGKILL of `pack` itself) while LibreOffice runs, no
LibreOffice stays running and the output folder keeps no temporary or lock file; the next build
removes what a killed one left, and succeeds. Output folders that cannot be written are one
clear line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from helpers.packs import TODAY
from pipeline.cli import cli


def children(pid: int) -> list[int]:
    """Every process descended from `pid`."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current:
                found.append(child)
                frontier.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def soffice_of(pid: int) -> list[int]:
    found = []
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"soffice" in command or b"oosplash" in command:
            found.append(child)
    return found


def wait_for(condition, seconds: float = 60.0) -> bool:
    """Poll `condition` until it holds or `seconds` pass (a bound, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith(".~lock")
    )


def sockets(pid: int) -> list[Path]:
    """The sockets of the pipes LibreOffices started by process `pid` listened on
    (`office.pipe_socket`): a killed LibreOffice leaves its socket in /tmp."""
    return sorted(Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_tcpack{pid}x*"))


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    "number", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=["SIGINT", "SIGTERM", "SIGKILL"]
)
def test_no_libreoffice_and_no_leftovers_after_a_signal(
    pack_dir: Path, tmp_path: Path, number: int
) -> None:
    document = docx.Document()
    for index in range(200):
        document.add_paragraph(f"Paragraph {index} of a long appendix. " * 8)
    document.save(str(pack_dir / "appendices" / "2-long.docx"))
    out = tmp_path / "build"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "pipeline", "assemble", str(pack_dir), "--out", str(out),
               "--date", str(TODAY)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert wait_for(lambda: bool(soffice_of(process.pid))), "LibreOffice never started"
        office = soffice_of(process.pid)
        os.kill(process.pid, number)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode != 0
    assert wait_for(lambda: not any(alive(pid) for pid in office)), "LibreOffice kept running"
    assert wait_for(lambda: not sockets(process.pid)), sockets(process.pid)
    if number != signal.SIGKILL:
        assert leftovers(out) == []
    again = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    stdout, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert leftovers(out) == []
    assert sockets(again.pid) == []  # LibreOffice is killed at the end of every build
    assert Path(stdout.strip().splitlines()[-1]).is_file()


def test_next_build_removes_what_a_killed_one_left(tmp_path: Path) -> None:
    from pipeline.files import remove_leftovers

    out = tmp_path / "build" / "Pack" / "pdf"
    out.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / f".form.pdf.{dead.pid}.abc123.part"
    live = out / f".form.pdf.{os.getpid()}.def456.part"
    lock = out.parent / ".~lock.appendix-A.docx#"
    kept = out / "form.pdf"
    for path in (stale, live, lock, kept):
        path.write_bytes(b"x")
    remove_leftovers(tmp_path / "build")
    assert sorted(p.name for p in (tmp_path / "build").rglob("*") if p.is_file()) == sorted(
        [live.name, kept.name]
    )


def test_output_folder_under_a_file_is_one_line(pack_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "build"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        cli, ["assemble", str(pack_dir), "--out", str(blocker / "out"), "--date", str(TODAY)]
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {blocker}: a file is in the way of the output folder {blocker / 'out'}; move it\n"
    )
    assert blocker.read_text() == "not a folder"


def test_read_only_output_folder_is_one_line(pack_dir: Path, tmp_path: Path) -> None:
    """A folder of our own made read-only; as root (who may write anywhere on a writable file
    system) the kernel's read-only /proc/sys instead."""
    if os.geteuid() == 0:
        out = Path("/proc/sys/pack-build")
        if os.access(out.parent, os.W_OK):
            pytest.skip("no read-only folder here for root")
    else:
        out = tmp_path / "build"
        out.mkdir()
        out.chmod(0o500)
    try:
        result = CliRunner().invoke(
            cli, ["assemble", str(pack_dir), "--out", str(out), "--date", str(TODAY)]
        )
    finally:
        if out.is_relative_to(tmp_path):
            out.chmod(0o700)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}: cannot write there (read-only); choose another output folder\n"
    )
    assert not out.exists() or list(out.iterdir()) == []

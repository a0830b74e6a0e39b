"""Ctrl-C: exit status 130, nothing half-written, the previous pack untouched, and no
LibreOffice left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers.packs import REPO


def processes_mentioning(text: str) -> list[str]:
    """The command lines of running processes that mention `text` (a test's own folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            environ = (entry / "environ").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if text in command or text in environ:
            found.append(command)
    return found


def isolated(tmp_path: Path) -> dict[str, str]:
    """An environment whose LibreOffice profiles and temporary files are the test's own, so
    that whatever outlives the build can be found by its folder."""
    (tmp_path / "tmp").mkdir()
    return {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TMPDIR": str(tmp_path / "tmp"),
        "PYTHONPATH": str(REPO),
    }


def long_answer(pack_dir: Path) -> None:
    """An answer LibreOffice is busy with for a while."""
    paragraph = "Technicians across the university keep the laboratories running. " * 8
    (pack_dir / "answers" / "2-answer.md").write_text(
        "\n\n".join([paragraph] * 1500), encoding="utf-8"
    )


def interrupted(command: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run `command`, press Ctrl-C once LibreOffice converts; its exit status and output."""
    build = subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert build.stderr is not None
    for line in build.stderr:
        if "converting the form" in line:
            break
    build.send_signal(signal.SIGINT)
    stdout, stderr = build.communicate(timeout=300)
    return build.returncode, stdout, stderr


@pytest.mark.libreoffice
def test_ctrl_c_during_a_build(pack_dir: Path, tmp_path: Path) -> None:
    env = isolated(tmp_path)
    out = tmp_path / "build"
    command = [sys.executable, "-m", "pipeline", "assemble", str(pack_dir), "--out", str(out),
               "--date", "2026-11-22"]  # fmt: skip
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    pack = Path(first.stdout.splitlines()[-1])
    before = pack.read_bytes()
    long_answer(pack_dir)
    status, stdout, stderr = interrupted(command, env)
    assert status == 130, stderr
    assert stdout == ""
    assert stderr.splitlines()[-1] == "pack: interrupted; nothing was replaced"
    assert "Traceback" not in stderr
    assert pack.read_bytes() == before
    assert list(out.rglob("*.part")) == []
    assert processes_mentioning(str(tmp_path)) == []


@pytest.mark.libreoffice
def test_ctrl_c_during_a_batch(pack_dir: Path, tmp_path: Path) -> None:
    import shutil

    other = Path(shutil.copytree(pack_dir, tmp_path / "other"))
    toml = other / "pack.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("University of Testshire", "Testshire College"),
        encoding="utf-8",
    )
    for root in (pack_dir, other):
        long_answer(root)
    env = isolated(tmp_path)
    out = tmp_path / "build"
    command = [sys.executable, "-m", "pipeline", "assemble", str(pack_dir), str(other),
               "--out", str(out), "--date", "2026-11-22"]  # fmt: skip
    status, _, stderr = interrupted(command, env)
    assert status == 130, stderr
    assert stderr.splitlines()[-1] == "pack: interrupted; nothing was replaced"
    assert "Traceback" not in stderr
    assert list(out.rglob("*.part")) == []
    # a pack whose conversion was under way is finished, whole; the rest are not started
    for pack in out.glob("*.pdf"):
        assert len(PdfReader(pack).pages) > 5
    assert processes_mentioning(str(tmp_path)) == []

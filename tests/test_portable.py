"""`pack` on a system without the POSIX-only calls (Windows): the commands that need no
LibreOffice run, the ones that do say how to get a system that can drive it; and the budgets
where the kernel does not enforce a memory limit (macOS).

The system is made by a `sitecustomize` that hides, before `pack` starts, what Windows lacks:
the `resource`, `fcntl`, `pwd` and `grp` modules, `os.fork`, process groups and sessions,
user ids, the wait-status macros, and SIGHUP, SIGKILL and SIGALRM. (The standard library's
modules that have a Windows branch of their own, such as `subprocess`, are loaded first.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.docx_edit import paragraph, rewrite, track_insert_after
from helpers.packs import EXAMPLE
from pipeline import limits, posix
from pipeline.cli import cli

HIDDEN_MODULES = ("resource", "fcntl", "pwd", "grp", "termios")
HIDDEN_OS = (
    "fork", "forkpty", "register_at_fork", "killpg", "setsid", "getsid", "setpgid", "getpgid",
    "getpgrp", "setpgrp", "getuid", "geteuid", "getgid", "getegid", "WIFSIGNALED", "WIFEXITED",
    "WEXITSTATUS", "WTERMSIG", "WIFSTOPPED", "wait3", "wait4",
)  # fmt: skip
HIDDEN_SIGNALS = ("SIGHUP", "SIGKILL", "SIGALRM", "SIGCHLD", "SIGQUIT", "alarm", "setitimer")

SITECUSTOMIZE = f"""
import os, signal, sys
import shutil, subprocess, tempfile  # the standard library's own Windows branches stand in here
for name in {HIDDEN_MODULES!r}:
    sys.modules[name] = None  # `import resource` raises ImportError, as on Windows
for name in {HIDDEN_OS!r}:
    if hasattr(os, name):
        delattr(os, name)
for name in {HIDDEN_SIGNALS!r}:
    if hasattr(signal, name):
        delattr(signal, name)
"""


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a `pack` that starts on a system without the POSIX-only calls."""
    folder = tmp_path_factory.mktemp("windows-like")
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "PYTHONWARNINGS": "ignore"}


def pack(env: dict[str, str], *arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, arguments)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_calls_are_hidden(elsewhere: dict[str, str]) -> None:
    """The stand-in system lacks what Windows lacks (else the tests below prove nothing)."""
    probe = (
        "import os, signal\n"
        "for name in ('resource', 'fcntl'):\n"
        "    try:\n        __import__(name)\n    except ImportError:\n        print(name)\n"
        "print(*[n for n in ('fork', 'killpg', 'setsid', 'getuid') if not hasattr(os, n)])\n"
        "print(*[n for n in ('SIGHUP', 'SIGKILL', 'alarm') if not hasattr(signal, n)])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=elsewhere, capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n") == [
        "resource",
        "fcntl",
        "fork killpg setsid getuid",
        "SIGHUP SIGKILL alarm",
        "",
    ]


def test_the_commands_without_libreoffice_run(elsewhere: dict[str, str], tmp_path: Path) -> None:
    """window, check (its PDF appendix read in this process: no fork), plan, draft, review,
    harvest, render and import, each with the exit status and output it has on Linux."""
    inputs = Path(shutil.copytree(EXAMPLE, tmp_path / "inputs"))
    window = pack(elsewhere, "window", "--date", "2026-11-22")
    assert (window.returncode, window.stdout) == (
        0,
        "January 2027 window: deadline Sunday 31 January 2027, 70 days left\n",
    ), window.stderr

    check = pack(elsewhere, "check", inputs, "--date", "2026-11-22")
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[-1] == "0 errors, 0 warnings"

    plan = pack(elsewhere, "plan", inputs, "--json")
    assert plan.returncode == 0, plan.stderr
    assert '"problems": []' in plan.stdout

    draft = pack(elsewhere, "draft", inputs, "--out", tmp_path / "out", "--date", "2026-11-22")
    assert draft.returncode == 0, draft.stderr
    made = Path(draft.stdout.splitlines()[-1])

    def edit(root: object) -> None:
        track_insert_after(
            paragraph(root, "Technicians are central to this work."),
            "Technicians are central to this work.",
            " Their work is celebrated each June.",
        )

    reviewed = rewrite(made, tmp_path / "reviewed.docx", edit)
    review = pack(elsewhere, "review", reviewed)
    assert review.returncode == 0, review.stderr
    assert "insertion by Rita Reviewer" in review.stdout
    assert "'Their work is celebrated each June.'" in review.stdout

    harvest = pack(elsewhere, "harvest", reviewed, inputs)
    assert harvest.returncode == 0, harvest.stderr
    assert "Their work is celebrated each June." in (inputs / "answers/1-profile.md").read_text(
        encoding="utf-8"
    )
    render = pack(elsewhere, "render", inputs, "--out", tmp_path / "out", "--date", "2026-11-22")
    assert render.returncode == 0, render.stderr
    assert all(
        Path(line).is_file() for line in render.stdout.splitlines() if line.endswith(".docx")
    )
    imported = pack(elsewhere, "import", made, tmp_path / "imported")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    (answer,) = (tmp_path / "imported/answers").glob("1-*.md")
    assert "Technicians are central to this work." in answer.read_text(encoding="utf-8")
    for done in (window, check, plan, draft, review, harvest, render, imported):
        assert "Traceback" not in done.stderr


def test_a_command_that_needs_libreoffice_says_how(
    elsewhere: dict[str, str], tmp_path: Path
) -> None:
    """`pack assemble` ends in one line naming WSL, exit 1, and leaves no pack."""
    out = tmp_path / "out"
    done = pack(elsewhere, "assemble", EXAMPLE, "--out", out, "--date", "2026-11-22")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.splitlines()[-1] == f"Error: {posix.NO_PROCESS_GROUPS}"
    assert "Traceback" not in done.stderr
    assert not list(out.glob("*.pdf"))


@pytest.mark.libreoffice
def test_verify_runs_without_them(elsewhere: dict[str, str], tmp_path: Path) -> None:
    """A pack built where LibreOffice runs is verified where it does not."""
    built = CliRunner().invoke(
        cli, ["assemble", str(EXAMPLE), "--out", str(tmp_path / "out"), "--date", "2026-11-22"]
    )
    assert built.exit_code == 0, built.output
    made = Path(built.stdout.splitlines()[-1])
    done = pack(elsewhere, "verify", made, EXAMPLE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    reviewed = pack(elsewhere, "review", made, EXAMPLE)  # the PDF's comments: none yet
    assert reviewed.returncode == 0, reviewed.stdout + reviewed.stderr
    assert "Traceback" not in reviewed.stderr


def test_leftovers_of_a_process_that_cannot_be_asked_about_are_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Where a process cannot be looked at without harm (Windows' `os.kill` ends it), the
    temporary file it may still be writing is left alone; where it can, a dead one's goes."""
    from pipeline.files import remove_leftovers

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    leftover = tmp_path / f".pack.pdf.{int(dead.stdout)}.abc.part"
    leftover.write_bytes(b"half")
    monkeypatch.delattr(os, "getpgid")
    assert remove_leftovers(tmp_path) == []
    monkeypatch.undo()
    assert remove_leftovers(tmp_path) == [leftover]


# -- the budget where the kernel does not enforce a memory limit (macOS) -------------------


def test_memory_is_watched_where_the_kernel_does_not_limit_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With no enforced address-space limit, the child's resident memory is watched from
    outside: a read that grows past the budget is stopped, and says so."""
    monkeypatch.setattr(posix, "ADDRESS_LIMIT", False)

    def greedy() -> int:
        held = []
        for _ in range(400):  # up to 4 GiB, 10 MiB at a time, every page touched
            held.append(bytearray(b"x" * (10 * 1024 * 1024)))
        return len(held)

    started = time.monotonic()
    with pytest.raises(limits.Exceeded, match=r"big\.pdf: needs more than 1 GiB to read"):
        limits.bounded(tmp_path / "big.pdf", greedy)
    assert time.monotonic() - started < 10
    assert limits.bounded(tmp_path / "small.pdf", lambda: sum(range(10))) == 45


def test_stray_libreoffice_is_found_without_proc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no /proc (macOS), processes are found through `ps`."""
    marker = f"-env:UserInstallation=file:///nowhere/tc-pack-test-{os.getpid()}"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", marker])
    try:
        real_listdir = os.listdir
        monkeypatch.setattr(
            os, "listdir", lambda p=".": [] if str(p) == "/proc" else real_listdir(p)
        )
        assert posix.processes_with(marker) == [sleeper.pid]
        posix.kill(sleeper.pid)
        assert sleeper.wait(timeout=10) != 0
    finally:
        sleeper.kill()

"""Reproducible by contract: the same inputs, templates, tool and LibreOffice give the same
bytes, whatever the folder, the time zone, the locale or the moment; and a draft pack is not
taken for a final one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfWriter

from helpers.packs import write_pack
from pipeline.cli import cli

pytestmark = pytest.mark.libreoffice
PACK = "University-of-Testshire_January_2027.pdf"


def inputs_with_every_kind(root: Path) -> Path:
    """A small pack with a Markdown, a Word and a PDF appendix, made here."""
    inputs = write_pack(root)
    document = docx.Document()
    document.add_heading("Terms of reference", level=1)
    document.add_paragraph("The network meets every term, and reports to the board.")
    document.save(str(inputs / "appendices" / "2-terms.docx"))
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Minutes", "/CreationDate": "D:20260101120000Z"})
    with (inputs / "appendices" / "3-minutes.pdf").open("wb") as handle:
        writer.write(handle)
    return inputs


def faketime() -> list[str]:
    """`faketime` and a moment years from now (Debian's faketime): a skip without it locally,
    a failure under CI=true."""
    program = shutil.which("faketime")
    if program is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but faketime is not installed (apt-get install faketime)")
        pytest.skip("faketime is not installed")
    return [program, "2031-06-15 03:04:05"]


def assemble(inputs: Path, out: Path, cwd: Path, *before: str, **env: str) -> Path:
    """`pack assemble` in a process of its own (after `before`, such as faketime), with `env`
    over the usual environment."""
    command = [sys.executable, "-m", "pipeline", "assemble", str(inputs), "--out", str(out)]
    done = subprocess.run(
        [*before, *command, "--date", "2026-11-22"],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.splitlines()[-1])


def test_two_builds_in_different_folders_time_zones_and_years_are_identical(tmp_path: Path) -> None:
    first = inputs_with_every_kind(tmp_path / "one" / "inputs")
    second = Path(shutil.copytree(first, tmp_path / "elsewhere" / "our-pack"))
    (tmp_path / "home").mkdir()
    a = assemble(first, tmp_path / "one" / "build", tmp_path / "one", TZ="UTC")
    b = assemble(
        second.relative_to(tmp_path),
        Path("out") / "final",
        tmp_path,
        *faketime(),  # four and a half years later, for LibreOffice too
        TZ="Pacific/Chatham",  # UTC+13:45: another day than UTC for part of it
        LC_ALL="de_DE.UTF-8",
        LANG="de_DE.UTF-8",
        HOME=str(tmp_path / "home"),  # and LibreOffice's profile made afresh
        XDG_CACHE_HOME=str(tmp_path / "home" / ".cache"),
    )
    b = tmp_path / b
    assert a.name == b.name == PACK
    assert a.read_bytes() == b.read_bytes()
    # and either verifies against either folder of inputs
    for pack, inputs in ((a, second), (b, first)):
        result = CliRunner().invoke(cli, ["verify", str(pack), str(inputs)])
        assert result.exit_code == 0, result.stdout


def test_a_draft_pack_is_not_taken_for_a_final_one(tmp_path: Path) -> None:
    inputs = write_pack(tmp_path / "inputs")
    out = tmp_path / "build"
    built = CliRunner().invoke(
        cli, ["assemble", str(inputs), "--out", str(out), "--date", "2026-11-22", "--draft"]
    )
    assert built.exit_code == 0, built.output
    pack = Path(built.stdout.splitlines()[-1])
    assert pack.name.endswith("_DRAFT.pdf")
    refused = CliRunner().invoke(cli, ["verify", str(pack), str(inputs)])
    assert refused.exit_code == 1
    assert refused.stdout.splitlines()[0] == (
        f"{pack}: a draft build (--draft); build it without --draft to send it"
    )
    assert CliRunner().invoke(cli, ["verify", str(pack), str(inputs), "--draft"]).exit_code == 0


def test_a_build_folder_inside_the_inputs_is_not_a_source(tmp_path: Path) -> None:
    inputs = write_pack(tmp_path / "institution")
    args = ["assemble", str(inputs), "--out", str(inputs / "build"), "--date", "2026-11-22"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    pack = Path(first.stdout.splitlines()[-1])
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0
    assert "nothing changed since the last build" in again.stderr
    verified = CliRunner().invoke(cli, ["verify", str(pack), str(inputs)])
    assert verified.exit_code == 0, verified.stdout
    (inputs / "notes.txt").write_text("a file beside the sources\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["verify", str(pack), str(inputs)])
    assert refused.stdout.splitlines()[0] == (
        f"{inputs}/notes.txt was added since this pack was built"
    )

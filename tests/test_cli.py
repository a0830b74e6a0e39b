"""The command line: exact messages and exit codes, no traceback, nothing written on failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_window_command(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["window", "--date", "2026-11-22"])
    assert result.exit_code == 0
    assert result.output == "January 2027 window: deadline Sunday 31 January 2027, 70 days left\n"


def test_bad_date_is_a_usage_error(runner: CliRunner, pack_dir: Path) -> None:
    result = runner.invoke(cli, ["assemble", str(pack_dir), "--date", "22/11/2026"])
    assert result.exit_code == 2
    assert "'22/11/2026' is not a date in the form YYYY-MM-DD" in result.stderr


def test_bad_window_is_a_usage_error(runner: CliRunner, pack_dir: Path) -> None:
    result = runner.invoke(cli, ["assemble", str(pack_dir), "--window", "2027-03"])
    assert result.exit_code == 2
    assert "give YYYY-01 or YYYY-07" in result.stderr


def test_missing_answer_stops_the_build(runner: CliRunner, pack_dir: Path, tmp_path: Path) -> None:
    (pack_dir / "answers" / "4-answer.md").unlink()
    out = tmp_path / "build"
    result = runner.invoke(
        cli, ["assemble", str(pack_dir), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{pack_dir}/answers/4-initiatives-before-signing.md: error: no answer to question 4 "
        "(Initiatives before signing); write it in this file (any name starting 4- will do)\n"
        f"Error: {pack_dir}: 1 error; nothing was built\n"
    )
    assert not out.exists()


def test_missing_field_names_file(runner: CliRunner, pack_dir: Path, tmp_path: Path) -> None:
    toml = pack_dir / "pack.toml"
    toml.write_text(
        toml.read_text().replace('website = "https://www.testshire.example/technicians"\n', "")
    )
    result = runner.invoke(cli, ["assemble", str(pack_dir), "--out", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert f"{pack_dir}/pack.toml: error: website is missing; add it\n" in result.stderr
    assert "Traceback" not in result.output


def test_no_libreoffice_is_a_clear_error(
    runner: CliRunner, pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PACK_SOFFICE", str(tmp_path / "no-such-soffice"))
    out = tmp_path / "build"
    result = runner.invoke(
        cli, ["assemble", str(pack_dir), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"Error: PACK_SOFFICE='{tmp_path / 'no-such-soffice'}' is not a program; install "
        "LibreOffice: on Debian/Ubuntu `apt-get install libreoffice-writer-nogui python3-uno "
        "fonts-liberation fonts-crosextra-carlito fonts-crosextra-caladea`, or set PACK_SOFFICE to "
        "the soffice program"
    )
    assert not list(out.glob("*.pdf"))


@pytest.mark.parametrize(
    ("day", "stem"), [("2026-11-22", "January_2027"), ("2027-03-10", "July_2027")]
)
def test_render_names_the_window(
    runner: CliRunner, pack_dir: Path, tmp_path: Path, day: str, stem: str
) -> None:
    out = tmp_path / "build"
    result = runner.invoke(cli, ["render", str(pack_dir), "--out", str(out), "--date", day])
    assert result.exit_code == 0, result.output
    name = f"University-of-Testshire_{stem}"
    assert result.stdout.splitlines()[0] == str(out / name / f"{name}.docx")
    manifest = json.loads((out / name / "manifest.json").read_text())
    assert manifest["title"] == f"University of Testshire/{stem.replace('_', '/')}"


def test_window_option_overrides_the_date(
    runner: CliRunner, pack_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    result = runner.invoke(
        cli,
        ["render", str(pack_dir), "--out", str(out), "--date", "2026-11-22", "--window", "2027-07"],
    )
    assert result.exit_code == 0, result.output
    name = "University-of-Testshire_July_2027"
    assert (out / name / f"{name}.docx").is_file()


def test_check_reports_and_exits(runner: CliRunner, pack_dir: Path) -> None:
    result = runner.invoke(cli, ["check", str(pack_dir), "--date", "2026-11-22"])
    assert (result.exit_code, result.output) == (0, "0 errors, 0 warnings\n")
    (pack_dir / "answers" / "2-answer.md").write_text("")
    result = runner.invoke(cli, ["check", str(pack_dir), "--date", "2026-11-22", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.output) == [
        {
            "path": str(pack_dir / "answers" / "2-answer.md"),
            "line": 1,
            "level": "error",
            "code": "answer-empty",
            "message": "the answer to question 2 is empty; write it",
        }
    ]


def test_strict_turns_warnings_into_failure(runner: CliRunner, pack_dir: Path) -> None:
    result = runner.invoke(cli, ["check", str(pack_dir), "--date", "2027-01-25"])
    assert result.exit_code == 0
    assert "warning: 6 days left before the January 2027 deadline (2027-01-31); " in result.output
    assert (
        runner.invoke(cli, ["check", str(pack_dir), "--date", "2027-01-25", "--strict"]).exit_code
        == 1
    )


def test_stage_commands_need_a_rendered_build(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["combine", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path}: no rendered pack in it; run `pack render` first\n"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["assemble"], {"inputs": "inputs"}),
        (
            ["assemble", "in/", "--out", "b", "--date=2026-11-22"],
            {"inputs": "in/", "--out": "b", "--date": "2026-11-22"},
        ),
        (
            ["assemble", "--window", "2027-07", "--draft"],
            {"inputs": "inputs", "--window": "2027-07", "--draft": "yes"},
        ),
        (["assemble", "--watch"], None),
        (["assemble", "a/", "b/"], None),
        (["assemble", "-h"], None),
        (["assemble", "--unknown"], None),
        (["check", "inputs"], None),
        ([], None),
    ],
)
def test_the_launcher_recognises_only_a_plain_assemble(
    argv: list[str], expected: dict[str, str] | None
) -> None:
    from pipeline.launch import _assemble_options

    assert _assemble_options(argv) == expected


def test_only_a_folder_built_in_before_is_asked_whether_it_is_up_to_date(tmp_path: Path) -> None:
    from pipeline.launch import _built_in

    out = tmp_path / "build"
    assert not _built_in(out)  # not there
    (out / "Pack_January_2027").mkdir(parents=True)
    (out / "notes.txt").write_text("not a pack\n")
    assert not _built_in(out)  # a pack's folder, but no manifest: never finished
    (out / "Pack_January_2027" / "manifest.json").write_text("{}")
    assert _built_in(out)


def test_libreoffice_is_started_by_its_program_launcher_where_soffice_is_the_script(
    tmp_path: Path,
) -> None:
    """Debian's and LibreOffice's own Linux packages: bin/soffice links to program/soffice, a
    shell script that runs program/oosplash; anything else is started as it is."""
    import os

    from pipeline.libreoffice.office import launcher

    program = tmp_path / "lib" / "libreoffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice").write_text('#!/bin/sh\nexec "$(dirname "$0")/oosplash" "$@"\n')
    (program / "oosplash").write_bytes(b"\x7fELF")
    for made in ("soffice", "oosplash"):
        (program / made).chmod(0o755)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "soffice").symlink_to(program / "soffice")
    assert launcher(str(tmp_path / "bin" / "soffice")) == str(program / "oosplash")
    (program / "ooenv").write_text("export SOMETHING=1\n")  # a script that reads settings
    assert launcher(str(tmp_path / "bin" / "soffice")) == str(tmp_path / "bin" / "soffice")
    os.remove(program / "ooenv")
    (program / "soffice").write_bytes(b"\xcf\xfa\xed\xfe")  # macOS: the program itself
    assert launcher(str(program / "soffice")) == str(program / "soffice")
    wrapper = tmp_path / "bin" / "my-office"  # a wrapper of someone's own
    wrapper.write_text('#!/bin/sh\nexec soffice "$@"\n')
    assert launcher(str(wrapper)) == str(wrapper)


@pytest.mark.libreoffice
def test_the_program_builds_and_then_does_nothing(tmp_path: Path) -> None:
    """The real entry point (LibreOffice started before the command line loads), twice."""
    import os
    import subprocess
    import sys

    from helpers.libreoffice import tripwire_soffice
    from helpers.packs import EXAMPLE, REPO

    out = tmp_path / "build"
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "assemble",
        str(EXAMPLE),
        "--out",
        str(out),
        "--date",
        "2026-11-22",
    ]
    first = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"{out / 'University-of-Kelderwick_January_2027.pdf'}\n"
    wire = tripwire_soffice(tmp_path / "tripwire")
    again = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PACK_SOFFICE": str(wire)},
    )
    assert (again.returncode, again.stdout) == (0, first.stdout)
    assert "nothing changed since the last build" in again.stderr
    assert not (wire.parent / "tripped").exists()

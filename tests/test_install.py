"""The tool installed as a package (not editable) into a fresh environment, used from an
institution's own folder exactly as the README says."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from helpers.forms import six_pillar_pack
from helpers.packs import REPO
from pipeline.form import load_form

pytestmark = pytest.mark.libreoffice

ANSWER = "Our technicians run the laboratories, workshops and stores of the institute.\n"
PLAN_ROWS = [
    ("V1: Seen across the institute", "Publish a directory", "Directory live", "2027"),
    ("R1: Registered", "Fund registration fees", "Twenty registrations", "2028"),
    ("CD1: Pathways", "Write role profiles", "Profiles for every grade", "2027"),
    ("S1: Apprentices", "Recruit apprentices", "Five apprentices hired", "All"),
]


def readme_commands(heading: str) -> list[str]:
    """The commands in the first shell block under `heading` in the README."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, heading
    return [line for line in block[1].splitlines() if line.strip()]


def fill_in(folder: Path) -> None:
    """What a lead does after `pack init`: the details, the answers and a few plan rows."""
    from openpyxl import load_workbook

    toml = folder / "pack.toml"
    text = toml.read_text(encoding="utf-8")
    for field, value in [
        ("institution", "University of Newfold"),
        ("website", "https://www.newfold.example/technicians"),
    ]:
        text = text.replace(f'{field} = ""', f'{field} = "{value}"', 1)
    text = text.replace("# date_joined = 2025-05-14", "date_joined = 2025-05-14")
    text = text.replace('name = ""', 'name = "Dr Rowan Lead"', 1)
    text = text.replace('email = ""', 'email = "r.lead@newfold.example"', 1)
    text = text.replace('name = ""', 'name = "Professor Ida Head"', 1)
    text = text.replace(
        "# [signoff]\n# lead = 2027-01-20\n# leader = 2027-01-22",
        "[signoff]\nlead = 2027-01-20\nleader = 2027-01-22",
    )
    toml.write_text(text, encoding="utf-8")
    for answer in (folder / "answers").glob("*.md"):
        if answer.name.startswith("6-"):
            continue  # left as written: the form's own answer (the plan follows)
        extra = "https://www.newfold.example/technicians\n" if answer.name.startswith("8-") else ""
        answer.write_text(answer.read_text(encoding="utf-8") + "\n" + ANSWER + extra, "utf-8")
    book = load_workbook(folder / "action-plan.xlsx")
    sheet = book.active
    assert sheet is not None
    banners = [row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value]
    for banner, values in sorted(zip(banners, PLAN_ROWS, strict=True), reverse=True):
        sheet.insert_rows(banner + 1)
        for column, value in enumerate(values, start=1):
            sheet.cell(banner + 1, column, value)
    book.save(folder / "action-plan.xlsx")


def test_installed_from_a_clone_into_a_fresh_environment(tmp_path: Path) -> None:
    clone = tmp_path / "tc-pack"
    clone.mkdir()
    for name in ("pipeline", "templates"):
        shutil.copytree(REPO / name, clone / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, clone / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)

    def run(command: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )

    for command in readme_commands("In your institution's own repository"):
        done = run(command, tmp_path)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"

    site = next((venv / "lib").glob("python3*/site-packages"))
    installed = site / "pipeline"
    assert (installed / "templates" / "initial.toml").is_file()
    assert (installed / "templates" / "self-assessment.docx").is_file()
    static = {p.name for p in (REPO / "pipeline" / "preview" / "static").iterdir()}
    assert {
        p.name for p in (installed / "preview" / "static").iterdir()
    } == static  # pack preview's page
    packages = {
        p.parent.relative_to(REPO / "pipeline") for p in (REPO / "pipeline").rglob("__init__.py")
    }
    assert {p.parent.relative_to(installed) for p in installed.rglob("__init__.py")} == packages
    where = run("python3 -c 'import pipeline.form as f; print(f.TEMPLATES)'", tmp_path)
    assert where.stdout.strip() == str(installed / "templates")

    folder = tmp_path / "myuni"
    before = run("pack check", folder)
    assert before.returncode == 1
    assert "pack.toml:3: error: institution is empty; fill it in" in before.stdout

    fill_in(folder)
    checked = run("pack check --date 2027-01-25", folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run("pack assemble --date 2027-01-25", folder)
    assert built.returncode == 0, built.stdout + built.stderr
    pack = Path(built.stdout.splitlines()[-1])
    assert pack == Path("build/University-of-Newfold_January_2027.pdf")
    reader = PdfReader(folder / pack)
    assert reader.metadata is not None
    assert reader.metadata.title == "University of Newfold/January/2027"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Our technicians run the laboratories" in text
    assert "Recruit apprentices" in text
    assert "Word limit" not in text  # the prompts' comments are not part of the answers


def test_a_six_pillar_form_beside_pack_toml_builds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import cli

    root = six_pillar_pack(tmp_path / "inputs")
    result = CliRunner().invoke(
        cli, ["assemble", str(root), "--out", str(tmp_path / "build"), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(result.stdout.splitlines()[-1])
    text = " ".join(page.extract_text() for page in reader.pages)
    form = load_form("six-pillars.toml", root)
    assert len(form.themes) == 6
    for theme in form.themes:
        assert theme.name in text, theme.name
    for action in ("Publish pathways", "Fund the network", "Run courses", "Hire apprentices"):
        assert action in text
    assert "36-month action plan" in text
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:2] == [
        "Self-assessment form",
        "Question 1: Profile",
    ] or "Question 1: Profile" in str(reader.outline)

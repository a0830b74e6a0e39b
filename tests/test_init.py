"""`pack init`, and the current folder as the default inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.forms import SIX_PILLARS
from helpers.packs import REPO, TODAY, write_pack
from helpers.word import to_document
from pipeline.cli import cli
from pipeline.form import load_form
from pipeline.inputs.check import check
from pipeline.inputs.init import init
from pipeline.plan.read import load_plan


def test_init_makes_a_folder_ready_for_git_and_ci(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "myuni")])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{tmp_path / 'myuni'}: 13 files written; fill in pack.toml, then run pack check\n"
    )
    folder = tmp_path / "myuni"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == [
        ".github/workflows/pack.yml",
        ".gitignore",
        "action-plan.xlsx",
        "answers/1-profile-of-the-organisation.md",
        "answers/2-how-the-organisation-defines-its.md",
        "answers/3-number-and-structure-of-technicians.md",
        "answers/4-initiatives-before-signing.md",
        "answers/5-initiatives-since-signing.md",
        "answers/6-the-24-month-action-plan.md",
        "answers/7-the-technician-voice.md",
        "answers/8-publication-on-the-website.md",
        "appendices/.gitkeep",
        "pack.toml",
    ]
    first = (folder / "answers" / "1-profile-of-the-organisation.md").read_text(encoding="utf-8")
    assert first.startswith("<!--\n  Question 1: Profile of the organisation\n")
    assert "Word limit: 250 words." in first
    assert first.endswith("-->\n")
    workflow = (folder / ".github" / "workflows" / "pack.yml").read_text(encoding="utf-8")
    assert "pack check --strict" in workflow
    assert "upload-artifact" in workflow
    assert (folder / ".gitignore").read_text(encoding="utf-8").startswith("# What `pack` writes")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "myuni").mkdir()
    (tmp_path / "myuni" / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "myuni")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'myuni'}: already exists and is not empty; give a new folder" in (
        result.output
    )
    assert (tmp_path / "myuni" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (tmp_path / "myuni").iterdir()) == ["notes.txt"]


def test_init_with_an_own_form_copies_it(tmp_path: Path) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "six-pillars.toml").write_text(SIX_PILLARS, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "init",
            str(tmp_path / "six"),
            "--framework",
            str(tmp_path / "forms" / "six-pillars.toml"),
        ],
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "six"
    assert (folder / "six-pillars.toml").read_text(encoding="utf-8") == SIX_PILLARS
    assert 'framework = "six-pillars.toml"' in (folder / "pack.toml").read_text(encoding="utf-8")
    assert sorted(p.name for p in (folder / "answers").iterdir()) == [
        "1-profile.md",
        "2-progress.md",
    ]
    form = load_form("six-pillars.toml", folder)
    plan, problems = load_plan(folder / "action-plan.xlsx", form.themes)
    assert [p.format() for p in problems if p.level == "error"] == []
    assert plan is not None
    assert [t.name for t in plan.themes] == [t.name for t in form.themes]
    assert [t.goals for t in plan.themes] == [()] * 6


def test_a_new_folder_checks_to_what_is_left_to_do(tmp_path: Path) -> None:
    CliRunner().invoke(cli, ["init", str(tmp_path / "myuni")])
    _, problems = check(tmp_path / "myuni", TODAY)
    assert problems
    assert {p.code for p in problems} <= {
        "field-missing",
        "field-empty",
        "signoff-missing",
        "answer-empty",
        "plan-empty",
    }, [p.format() for p in problems]


def test_the_prompt_comment_is_not_part_of_the_answer(tmp_path: Path) -> None:
    from pipeline.markdown.syntax import count_words

    stub = "<!--\n  Question 1: Profile\n\n  Word limit: 250 words.\n-->\n"
    answer = stub + "\nOur institute has forty technicians.\n"
    assert count_words(answer) == 5
    document = to_document(answer)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Our institute has forty technicians." in text
    assert "Word limit" not in text
    assert "<!--" not in text


def test_the_current_folder_is_the_default_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_pack(tmp_path / "myuni")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["check", "--date", "2026-11-22"])
    assert (result.exit_code, result.output) == (0, "0 errors, 0 warnings\n")

    monkeypatch.chdir(root / "answers")
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 2
    assert (
        "no pack.toml in the current folder; did you mean ../? "
        "(run pack there, or name it: pack check ../)"
    ) in result.output

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "myuni/answers"])
    assert result.exit_code == 2
    assert "no pack.toml in myuni/answers; did you mean myuni/?" in result.output
    result = CliRunner().invoke(cli, ["check", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere: no such folder" in result.output


def test_the_repository_default_is_still_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(cli, ["check", "--date", "2026-11-22"])
    assert result.exit_code == 0, result.output


def test_accepting_reviews_is_one_line_to_uncomment(tmp_path: Path) -> None:
    """pack.toml says how CI accepts the reviews left in appendices; uncommented, it is valid."""
    folder = tmp_path / "myuni"
    init(folder)
    toml = folder / "pack.toml"
    text = toml.read_text(encoding="utf-8")
    assert "# accept_changes = true\n" in text
    toml.write_text(
        text.replace("# accept_changes = true", "accept_changes = true"), encoding="utf-8"
    )
    _, problems = check(folder, TODAY, draft=True)
    assert not [p for p in problems if p.code in ("field-unknown", "field-type", "toml")]

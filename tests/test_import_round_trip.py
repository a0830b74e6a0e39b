"""Out and back in: the form `pack render` makes (and `pack draft`'s copy) imported into an empty
folder gives back the answers (markup that renders the same), pack.toml's fields and the plan
row for row; over the example inputs and every case of the Markdown corpus."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.draft import make_draft
from helpers.packs import EXAMPLE, REPO
from pipeline.cli import cli
from pipeline.form import load_form
from pipeline.plan.read import load_plan
from pipeline.review.baseline import Rereader
from pipeline.review.to_markdown import shows_something, signature

CORPUS = sorted((REPO / "tests" / "fixtures" / "markdown").glob("*.md"))


def rendered(inputs: Path, out: Path) -> Path:
    result = CliRunner().invoke(
        cli, ["render", str(inputs), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    return next(p for p in out.glob("*/*.docx") if "appendices" not in p.parts)


def imported(docx: Path, target: Path, *options: str) -> str:
    result = CliRunner().invoke(cli, ["import", str(docx), str(target), *options])
    assert result.exit_code == 0, result.output
    return result.output


def reads(rereader: Rereader, path: Path) -> list[tuple[object, ...]]:
    text = path.read_text(encoding="utf-8")
    return [signature(b) for b, _ in rereader.blocks(text, path) if shows_something(b)]


def same_answers(original: Path, back: Path) -> None:
    rereader = Rereader(load_form().template)
    for source in sorted((original / "answers").glob("*.md")):
        number = source.name.split("-")[0]
        copies = list((back / "answers").glob(f"{number}-*.md"))
        assert len(copies) == 1, copies
        assert reads(rereader, copies[0]) == reads(rereader, source), source.name


def same_plan(original: Path, back: Path) -> None:
    themes = load_form().themes
    before, _ = load_plan(original / "action-plan.xlsx", themes)
    after, problems = load_plan(back / "action-plan.xlsx", themes)
    assert before is not None
    assert after is not None, problems
    assert after.columns == before.columns
    for a, b in zip(after.themes, before.themes, strict=True):
        assert (a.name, a.aim) == (b.name, b.aim)
        assert [(g.code, g.title) for g in a.goals] == [(g.code, g.title) for g in b.goals]
        assert [(x.text, x.measure, x.year, x.alignment, x.flags) for x in after.actions] == [
            (x.text, x.measure, x.year, x.alignment, x.flags) for x in before.actions
        ]


@pytest.mark.parametrize("made_by", ["render", "draft"])
def test_the_example_comes_back(made_by: str, tmp_path: Path) -> None:
    out = tmp_path / "build"
    docx = rendered(EXAMPLE, out) if made_by == "render" else make_draft(EXAMPLE, out)
    back = tmp_path / "back"
    imported(docx, back)
    same_answers(EXAMPLE, back)
    original = tomllib.loads((EXAMPLE / "pack.toml").read_text(encoding="utf-8"))
    fields = tomllib.loads((back / "pack.toml").read_text(encoding="utf-8"))
    for key in ("institution", "date_joined", "website"):
        assert fields[key] == original[key]
    assert fields["lead"]["name"] == original["lead"]["name"]
    assert fields["lead"]["email"] == original["lead"]["email"]
    assert fields["leader"]["name"] == original["leader"]["name"]
    if made_by == "render":  # a final form shows the sign-off's dates and the plan
        assert fields["signoff"] == original["signoff"]
        assert fields["leader"]["role"] == original["leader"]["role"]
        same_plan(EXAMPLE, back)


def test_the_imported_folder_builds_the_same_form(tmp_path: Path) -> None:
    """Rendering what was imported gives the same text as the original form."""
    from pipeline.word.blocks import read_blocks
    from pipeline.word.package import Docx

    first = rendered(EXAMPLE, tmp_path / "one")
    back = tmp_path / "back"
    imported(first, back)
    shutil.copytree(EXAMPLE / "appendices", back / "appendices", dirs_exist_ok=True)
    second = rendered(back, tmp_path / "two")

    def text(path: Path) -> list[str]:
        docx = Docx(path)
        return [b.text for b in read_blocks(list(docx.body()), docx.lookups()) if b.text.strip()]

    assert text(second) == text(first)


@pytest.mark.parametrize("case", CORPUS, ids=[c.stem for c in CORPUS])
def test_every_markdown_case_comes_back(case: Path, example: Path, tmp_path: Path) -> None:
    answer = next((example / "answers").glob("3-*.md"))
    shutil.copyfile(case, answer)
    shutil.copyfile(case.with_name("chart.png"), answer.with_name("chart.png"))
    docx = rendered(example, tmp_path / "build")
    back = tmp_path / "back"
    imported(docx, back)
    rereader = Rereader(load_form().template)
    copy = next((back / "answers").glob("3-*.md"))
    assert reads(rereader, copy) == reads(rereader, answer)


@pytest.mark.libreoffice
def test_the_imported_folder_assembles_a_pack_with_the_same_text(tmp_path: Path) -> None:
    """End to end with the real LibreOffice: the pack assembled from the imported folder reads
    as the pack assembled from the inputs it came from, page for page."""
    from helpers.pdf import pdf_text

    def assemble(inputs: Path, out: Path) -> Path:
        result = CliRunner().invoke(
            cli, ["assemble", str(inputs), "--out", str(out), "--date", "2026-11-22"]
        )
        assert result.exit_code == 0, result.output
        return Path(result.stdout.splitlines()[-1])

    first = assemble(EXAMPLE, tmp_path / "one")
    back = tmp_path / "back"
    imported(next((tmp_path / "one").glob("*/*.docx")), back)
    shutil.copytree(EXAMPLE / "appendices", back / "appendices", dirs_exist_ok=True)
    second = assemble(back, tmp_path / "two")
    assert pdf_text(second) == pdf_text(first)


@pytest.mark.libreoffice
@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_the_form_saved_again_by_libreoffice_comes_back(suffix: str, tmp_path: Path) -> None:
    """A reviewer opens the form in LibreOffice and saves it (as Word, or as OpenDocument):
    its own numbering, styles and bookmarks, and still the same answers and plan."""
    import subprocess

    from pipeline.libreoffice.soffice import find_soffice

    form = rendered(EXAMPLE, tmp_path / "build")
    subprocess.run(
        [find_soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--headless", "--convert-to", suffix[1:] if suffix == ".odt" else "docx:MS Word 2007 XML",
         "--outdir", str(tmp_path / "saved"), str(form)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    back = tmp_path / "back"
    imported(tmp_path / "saved" / f"{form.stem}{suffix}", back)
    same_answers(EXAMPLE, back)
    same_plan(EXAMPLE, back)

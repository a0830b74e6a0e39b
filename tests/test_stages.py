"""`pack render`, `pack convert` and `pack combine` run one by one refuse out-of-date work,
naming the file that changed and the command to run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.cli import cli


def stage(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def render(root: Path, out: Path) -> None:
    status, _, stderr = stage("render", str(root), "--out", str(out), "--date", "2026-11-22")
    assert status == 0, stderr


def edit_answer(root: Path) -> Path:
    answer = root / "answers" / "2-answer.md"
    answer.write_text("Edited after rendering: the new text.\n", encoding="utf-8")
    return answer


def test_convert_refuses_a_rendering_older_than_its_inputs(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    render(pack_dir, out)
    answer = edit_answer(pack_dir)
    assert stage("convert", "--out", str(out)) == (
        1,
        "",
        f"Error: form not rendered since {answer} changed; run pack render\n",
    )


def test_convert_refuses_a_changed_appendix(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    render(pack_dir, out)
    appendix = pack_dir / "appendices" / "1-survey.md"
    appendix.write_text("# Survey of technicians\n\nAll replied.\n", encoding="utf-8")
    assert stage("convert", "--out", str(out)) == (
        1,
        "",
        f"Error: appendix A not rendered since {appendix} changed; run pack render\n",
    )


def test_combine_refuses_what_was_never_converted(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    render(pack_dir, out)
    assert stage("combine", "--out", str(out)) == (
        1,
        "",
        "Error: form not converted yet; run pack convert\n",
    )


@pytest.mark.libreoffice
def test_combine_refuses_a_conversion_older_than_the_rendering(
    pack_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    render(pack_dir, out)
    status, _, stderr = stage("convert", "--out", str(out))
    assert status == 0, stderr
    answer = edit_answer(pack_dir)
    # combined now, without rendering again: refused
    assert stage("combine", "--out", str(out)) == (
        1,
        "",
        f"Error: form not rendered since {answer} changed; run pack render\n",
    )
    # rendered again, not converted: refused, naming the file
    render(pack_dir, out)
    assert stage("combine", "--out", str(out)) == (
        1,
        "",
        f"Error: form not converted since {answer} changed; run pack convert\n",
    )
    assert not list(out.glob("*.pdf"))
    # each stage in turn: the pack has the edit
    status, _, stderr = stage("convert", "--out", str(out))
    assert status == 0, stderr
    status, stdout, stderr = stage("combine", "--out", str(out))
    assert status == 0, stderr
    pack = Path(stdout.splitlines()[-1])
    text = "".join(page.extract_text() for page in PdfReader(pack).pages)
    assert "Edited after rendering: the new text." in text


@pytest.mark.parametrize("command", ["convert", "combine"])
def test_a_stage_with_nothing_rendered_says_what_to_run(tmp_path: Path, command: str) -> None:
    out = tmp_path / "build"
    out.mkdir()
    assert stage(command, "--out", str(out)) == (
        1,
        "",
        f"Error: {out}: no rendered pack in it; run `pack render` first\n",
    )


def test_a_damaged_manifest_says_what_to_run(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    render(pack_dir, out)
    (manifest,) = out.glob("*/manifest.json")
    manifest.write_text("{", encoding="utf-8")
    status, stdout, stderr = stage("combine", "--out", str(out))
    assert (status, stdout) == (1, "")
    assert stderr.startswith(f"Error: {manifest}: damaged build manifest (")
    assert stderr.endswith("); run `pack render` again\n")


@pytest.mark.libreoffice
def test_convert_with_nothing_to_do_records_the_pdfs_as_current(
    pack_dir: Path, tmp_path: Path
) -> None:
    import json

    out = tmp_path / "build"
    render(pack_dir, out)
    assert stage("convert", "--out", str(out))[0] == 0
    (path,) = out.glob("*/manifest.json")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for part in manifest["parts"]:  # as a manifest written before the record existed
        part.pop("converted_from")
        part.pop("converted_sources")
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert stage("combine", "--out", str(out))[2] == (
        "Error: form not converted yet; run pack convert\n"
    )
    status, _, stderr = stage("convert", "--out", str(out))
    assert (status, "converting" in stderr) == (0, False)  # nothing converted again
    assert stage("combine", "--out", str(out))[0] == 0

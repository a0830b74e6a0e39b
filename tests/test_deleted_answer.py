"""An answer reviewers deleted whole, where the form has an answer of its own (question 6,
which points to the plan): harvest writes it empty, and it stays empty. Removing the file
instead would bring the form's own text back, which the reviewers deleted.

What an answer file stands for, in `load`: no file, or one holding only comments (as `pack
init` writes it), is the form's own answer; a file holding nothing at all is an empty answer,
shown as none; a question whose form has no answer of its own refuses an empty one."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import helpers.docx_edit as ed
from helpers.draft import make_draft
from helpers.harvest import changes, files, run_harvest
from helpers.packs import EXAMPLE
from pipeline.cli import cli
from pipeline.inputs.load import load
from pipeline.review.document import open_reviewed
from pipeline.review.record import BOOKMARK

DEFAULT = "The full 24-month action plan follows the sign-off in this document."
"""Question 6's own answer, in the built-in form."""
COMMENT = "<!--\nQuestion 6. With only this comment here, the answer is the form's own.\n-->\n"


def delete_answer(number: int) -> Any:
    """An edit deleting, with tracking, every word of answer `number` and the marks of all its
    paragraphs but the last (as Word leaves it when a reviewer selects the answer and deletes)."""

    def edit(root: Any) -> None:
        start = next(
            b
            for b in root.iter(ed.q("bookmarkStart"))
            if b.get(ed.q("name")) == BOOKMARK.format(number)
        )
        ident = start.get(ed.q("id"))
        paragraph = start.getparent()
        inside = [paragraph]
        while not any(e.get(ed.q("id")) == ident for e in paragraph.iter(ed.q("bookmarkEnd"))):
            paragraph = paragraph.getnext()
            if paragraph.tag == ed.q("p"):
                inside.append(paragraph)
        for p in inside[:-1]:
            ed.delete_paragraph_tracked(p)
        last = inside[-1]
        for r in list(last.findall(ed.q("r"))):
            index = list(last).index(r)
            last.remove(r)
            last.insert(index, ed.change("del", r))

    return edit


def shown(inputs: Path, number: int) -> str:
    pack, problems = load(inputs)
    assert pack is not None, problems
    return next(a.text for a in pack.answers if a.number == number)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "inputs"))


@pytest.mark.parametrize("before", ["own answer", "only a comment", "no file"])
def test_a_deleted_answer_stays_deleted(before: str, inputs: Path, tmp_path: Path) -> None:
    """Whatever the draft showed there (the answer's own text, or the form's because the file
    held only a comment or was missing), deleted whole it comes back as an empty file: the
    pack shows no answer, a second harvest changes nothing, and the next draft shows none."""
    answer = inputs / "answers" / "6-action-plan.md"
    if before == "only a comment":
        answer.write_text(COMMENT, encoding="utf-8")
    elif before == "no file":
        answer.unlink()
    draft = make_draft(inputs, tmp_path / "build")
    if before != "own answer":
        assert shown(inputs, 6) == DEFAULT
    reviewed = ed.rewrite(draft, tmp_path / "reviewed.docx", delete_answer(6))

    files_before = files(inputs)
    result = run_harvest(reviewed, inputs)
    assert result.exit_code == 0, result.output
    written = (
        "answers/6-action-plan.md"
        if before != "no file"
        else "answers/6-the-24-month-action-plan.md"
    )
    assert changes(files_before, inputs) == {written: ""}
    assert f"+++ b/{written}" in result.stdout
    assert result.stderr == (
        f"{written}: reviewers deleted the whole answer, so it is written empty and the pack "
        "shows no answer there; for the form's own answer instead, delete the file\n"
    )
    assert shown(inputs, 6) == ""
    again = run_harvest(reviewed, inputs)
    assert again.stdout.splitlines()[-1].startswith("0 answers changed"), again.output

    check = CliRunner().invoke(cli, ["check", str(inputs), "--date", "2026-11-22"])
    assert check.exit_code == 0, check.output
    redrafted = open_reviewed(make_draft(inputs, tmp_path / "again"))
    assert [b.text for b in redrafted.blocks(6) if b.text.strip()] == []


def test_an_untouched_form_answer_changes_nothing(inputs: Path, tmp_path: Path) -> None:
    """A file holding only a comment showed the form's own answer in the draft: unedited, it
    is left as it is (it used to get the form's text written into it)."""
    (inputs / "answers" / "6-action-plan.md").write_text(COMMENT, encoding="utf-8")
    draft = make_draft(inputs, tmp_path / "build")
    before = files(inputs)
    result = run_harvest(draft, inputs)
    assert result.exit_code == 0, result.output
    assert changes(before, inputs) == {}


@pytest.mark.parametrize(
    ("number", "text", "expected"),
    [
        (6, "", ""),  # nothing at all: an empty answer
        (6, " \n\n", ""),
        (6, COMMENT, DEFAULT),  # only a comment: the form's own
        (6, None, DEFAULT),  # no file: the form's own
        (6, "Our own words.\n", "Our own words.\n"),
        (3, "", None),  # the form has no answer of its own: refused
        (3, COMMENT, None),
    ],
)
def test_what_an_answer_file_stands_for(
    number: int, text: str | None, expected: str | None, inputs: Path
) -> None:
    (path,) = (inputs / "answers").glob(f"{number}-*.md")
    if text is None:
        path.unlink()
    else:
        path.write_text(text, encoding="utf-8")
    pack, problems = load(inputs)
    if expected is None:
        assert [(p.code, p.message) for p in problems] == [
            ("answer-empty", f"the answer to question {number} is empty; write it")
        ]
        return
    assert pack is not None, problems
    assert next(a.text for a in pack.answers if a.number == number) == expected

"""Items inserted in and deleted from Word lists, with LibreOffice as the reviewer.

Word (and LibreOffice) renumber every item after one inserted or deleted; Markdown numbers a
list from its first item. So `pack review` lists the one insertion or deletion, never the
renumbered items after it as edits, and `pack harvest` adds or removes that item's lines and
leaves the others as they were (the list's first item takes the number it now shows, as that
is where Markdown starts counting). Bullets, numbered lists and a numbered list inside another,
items at the start, in the middle and at the end, with tracking on and off."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from helpers.draft import make_draft
from helpers.harvest import changes, files, run_harvest
from helpers.libreoffice import reviewer_edits
from helpers.packs import EXAMPLE
from pipeline.cli import cli

pytestmark = pytest.mark.libreoffice

STEPS = """
How a request is handled:

1. The request is logged.
   1. Its facility is named.
   2. Its urgency is set.
   3. Its owner is told.
2. The work is planned.
3. The work is signed off.
"""
"""A numbered list with one inside it, added to answer 3 (which has a numbered list of its
own); answer 1 has a bulleted one."""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(shutil.copytree(EXAMPLE, tmp_path_factory.mktemp("lists") / "inputs"))
    answer = folder / "answers" / "3-numbers.md"
    answer.write_text(answer.read_text(encoding="utf-8") + STEPS, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def draft(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_draft(inputs, tmp_path_factory.mktemp("draft"))


def new_item(find: str, text: str, tracked: bool = True, before: bool = False) -> dict[str, Any]:
    return {"find": find, "tracked": tracked, "action": "new_paragraph", "text": text} | (
        {"before": True} if before else {}
    )


def deleted(find: str, tracked: bool = True) -> dict[str, Any]:
    return {"find": find, "tracked": tracked, "action": "delete_paragraphs", "to": find}


CASES = {
    # name: (the edit, answer file, kind pack review lists, lines harvest removes, lines it adds)
    "numbered, middle": (
        new_item("the figure is 36%.", "Half work in shared facilities."),
        "3-numbers.md",
        "insertion",
        [],
        ["3. Half work in shared facilities."],
    ),
    "numbered, start, untracked": (
        new_item("37% of technicians", "A third joined after 2020.", tracked=False, before=True),
        "3-numbers.md",
        "edit",
        [],
        ["1. A third joined after 2020."],
    ),
    "numbered, end": (
        new_item("technical programmes.", "Nine are on secondment."),
        "3-numbers.md",
        "insertion",
        [],
        ["5. Nine are on secondment."],
    ),
    "numbered, middle deleted": (
        deleted("30% are aged 55"),
        "3-numbers.md",
        "deletion",
        [
            "2. 30% are aged 55 or over, and in the Faculty of Science and Engineering the figure is 36%."
        ],
        [],
    ),
    "numbered, first deleted, untracked": (
        deleted("37% of technicians", tracked=False),
        "3-numbers.md",
        "edit",
        [
            "1. 37% of technicians are women, compared with 54% of all staff.",
            "2. 30% are aged 55 or over, and in the Faculty of Science and Engineering the figure is 36%.",
        ],
        [
            "1. 30% are aged 55 or over, and in the Faculty of Science and Engineering the figure is 36%."
        ],
    ),
    "nested numbered, middle": (
        new_item("Its facility is named.", "Its budget is checked."),
        "3-numbers.md",
        "insertion",
        [],
        ["   2. Its budget is checked."],
    ),
    "nested numbered, first": (
        new_item("Its facility is named.", "Its reference is given.", before=True),
        "3-numbers.md",
        "insertion",
        [],
        ["   1. Its reference is given."],
    ),
    "nested numbered, deleted": (
        deleted("Its urgency is set."),
        "3-numbers.md",
        "deletion",
        ["   2. Its urgency is set."],
        [],
    ),
    "nested numbered, end": (
        new_item("Its owner is told.", "The work is costed."),
        "3-numbers.md",
        "insertion",
        [],
        ["   4. The work is costed."],
    ),
    "bullets, middle": (
        new_item("for engineering and design prototyping;", "the Sound Studio, for audio;"),
        "1-profile.md",
        "insertion",
        [],
        ["- the Sound Studio, for audio;"],
    ),
    "bullets, deleted": (
        deleted("for engineering and design prototyping;"),
        "1-profile.md",
        "deletion",
        ["- the **Advanced Fabrication Workshop**, for engineering and design prototyping;"],
        [],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_one_item_is_one_change(
    case: str, draft: Path, inputs: Path, uno: str, tmp_path: Path
) -> None:
    edit, name, kind, removed, added = CASES[case]
    example = Path(shutil.copytree(inputs, tmp_path / "inputs"))
    reviewed = reviewer_edits(uno, draft, tmp_path / "reviewed.docx", "Rita Reviewer", [edit])

    listed = CliRunner().invoke(cli, ["review", str(reviewed), "--json"])
    assert listed.exit_code == 0, listed.output
    items = [(i["question"], i["kind"]) for i in json.loads(listed.stdout)]
    assert items == [(int(name[0]), kind)]

    before = files(example)
    text = (example / "answers" / name).read_text(encoding="utf-8")
    result = run_harvest(reviewed, example)
    assert result.exit_code == 0, result.output
    done = changes(before, example)
    assert list(done) == [f"answers/{name}"]
    diff = list(difflib.ndiff(text.splitlines(), done[f"answers/{name}"].splitlines()))
    assert [line[2:] for line in diff if line.startswith("- ")] == removed
    assert [line[2:] for line in diff if line.startswith("+ ")] == added
    again = run_harvest(reviewed, example)
    assert again.stdout.splitlines()[-1].startswith("0 answers changed"), again.output

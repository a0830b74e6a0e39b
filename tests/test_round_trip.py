"""The reviewer round trip with LibreOffice as the reviewer: each edit a reviewer can make is
made through LibreOffice's own API and saved as Word 2007 XML; `pack review` must list exactly
what was done, and `pack harvest` must change exactly the lines it touched, nothing else."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from helpers.draft import make_draft
from helpers.harvest import changes, files, run_harvest
from helpers.libreoffice import reviewer_edits
from helpers.packs import EXAMPLE
from pipeline.cli import cli
from pipeline.libreoffice.soffice import convert, find_soffice

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One draft of the example for the module: every test edits a copy."""
    return make_draft(EXAMPLE, tmp_path_factory.mktemp("draft"))


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "inputs"))


def edited(uno: str, draft: Path, tmp_path: Path, edits: list[dict[str, Any]], **kw: Any) -> Path:
    """A copy of the draft, edited in LibreOffice by Rita Reviewer (or `author`)."""
    source = kw.get("source") or shutil.copy(draft, tmp_path / "draft.docx")
    target = tmp_path / kw.get("name", "reviewed.docx")
    return reviewer_edits(uno, Path(source), target, kw.get("author", "Rita Reviewer"), edits)


def review(path: Path) -> list[tuple[Any, ...]]:
    """(question, kind, author, detail, text) of every item `pack review --json` lists."""
    result = CliRunner().invoke(cli, ["review", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return [
        (i["question"], i["kind"], i["author"], i["detail"], i["text"])
        for i in json.loads(result.stdout)
    ]


def anchors(path: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["review", str(path), "--json"])
    return [i["anchor"] for i in json.loads(result.stdout)]


def harvested(reviewed: Path, inputs: Path) -> dict[str, str]:
    before = files(inputs)
    result = run_harvest(reviewed, inputs)
    assert result.exit_code == 0, result.output
    again = run_harvest(reviewed, inputs)  # a second harvest changes nothing more
    assert again.stdout.splitlines()[-1].startswith("0 answers changed"), again.output
    return changes(before, inputs)


def answer(inputs: Path, name: str) -> str:
    return (inputs / "answers" / name).read_text(encoding="utf-8")


def test_one_indented_bullet_changes_one_line(
    uno: str, draft: Path, example: Path, tmp_path: Path
) -> None:
    """Tab on a nested item (tracking on): the item moves one level in, and that line is all
    that changes in the whole of the inputs."""
    reviewed = edited(
        uno,
        draft,
        tmp_path,
        [{"find": "the target for protected", "tracked": True, "action": "indent"}],
    )
    item = "the target for protected development time was raised from three days to five."
    # LibreOffice records no tracked change for a list level: it is found as an untracked edit
    assert review(reviewed) == [(7, "edit", "Rita Reviewer", "list level 2 to 3", item)]
    text = answer(example, "7-technician-voice.md")
    done = harvested(reviewed, example)
    assert done == {
        "answers/7-technician-voice.md": text.replace(f"   - {item}\n", f"     - {item}\n")
    }
    old, new = text.splitlines(), done["answers/7-technician-voice.md"].splitlines()
    assert len(old) == len(new)
    assert sum(a != b for a, b in zip(old, new, strict=True)) == 1


def test_an_answer_deleted_whole(uno: str, draft: Path, example: Path, tmp_path: Path) -> None:
    """Question 6 may be left out (the form has its own answer): its file is written empty,
    said so, and the pack still checks, with no answer there (the form's own does not come
    back); question 7 may not: refused by name, nothing written."""
    reviewed = edited(
        uno,
        draft,
        tmp_path,
        [
            {
                "find": "The full 24-month action plan follows",
                "tracked": True,
                "action": "delete_paragraphs",
                "to": "is accountable for delivering the plan.",
                "marks": False,
            }
        ],
    )
    (item,) = review(reviewed)
    assert item[:4] == (6, "deletion", "Rita Reviewer", "")
    assert item[4].startswith(
        "The full 24-month action plan follows the sign-off in this document."
    )
    assert item[4].endswith(
        "\nThe Director of Technical Services is accountable for delivering the plan."
    )
    before = files(example)
    result = run_harvest(reviewed, example)
    assert result.exit_code == 0, result.output
    assert changes(before, example) == {"answers/6-action-plan.md": ""}
    assert "+++ b/answers/6-action-plan.md" in result.stdout
    assert result.stderr == (
        "answers/6-action-plan.md: reviewers deleted the whole answer, so it is written empty "
        "and the pack shows no answer there; for the form's own answer instead, delete the file\n"
    )
    check = CliRunner().invoke(cli, ["check", str(example), "--date", "2026-11-22"])
    assert check.exit_code == 0, check.output

    seven = edited(
        uno,
        draft,
        tmp_path,
        [
            {
                "find": "Technicians were involved in shaping",
                "tracked": True,
                "action": "delete_paragraphs",
                "to": "if it believes the plan is falling behind.",
                "marks": False,
            }
        ],
        name="seven.docx",
    )
    before = files(example)
    refused = run_harvest(seven, example)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: {seven}: question 7: reviewers deleted the whole answer, and the form needs "
        "one; reject that deletion in the reviewed file (or write the answer by hand) and run "
        "again\n"
    )
    assert changes(before, example) == {}


def test_breaks_footnotes_formatting_tabs_and_rows(
    uno: str, draft: Path, example: Path, tmp_path: Path
) -> None:
    """Tracked edits that carry no text, or not only text: each listed with what it is, and
    harvested into exactly the lines it touched."""
    reviewed = edited(
        uno,
        draft,
        tmp_path,
        [
            {"find": "not only when a", "tracked": True, "action": "split"},
            {"find": "senior technical manager who", "tracked": True, "action": "line_break"},
            {
                "find": "the chair of the network.",
                "tracked": True,
                "action": "footnote",
                "text": "Elected each year by the network.",
            },
            {"find": "in the workshops", "tracked": True, "action": "italic"},
            {
                "find": "was drafted by",
                "tracked": True,
                "action": "endnote",
                "text": "With the HR business partners.",
            },
            {"find": "Chief Operating Officer.", "tracked": True, "action": "join", "insert": " "},
            {"find": "published on the University's", "tracked": True, "insert_after": " main"},
            {
                "find": "Psychology and behavioural",
                "tracked": True,
                "action": "insert_row",
                "cells": ["Humanities", "5", "4.5", "Archives"],
            },
        ],
    )
    rita = "Rita Reviewer"
    assert review(reviewed) == [
        (2, "insertion", rita, "endnote", "With the HR business partners."),
        (3, "insertion", rita, "table row", "Humanities | 5 | 4.5 | Archives"),
        (3, "insertion", rita, "line break", ""),
        (3, "insertion", rita, "", " "),
        (3, "deletion", rita, "paragraph break", ""),
        (7, "insertion", rita, "paragraph break", ""),
        (7, "insertion", rita, "footnote", "Elected each year by the network."),
        (7, "formatting", rita, "italic", "in the workshops"),
        (8, "insertion", rita, "", " main"),
    ]
    assert anchors(reviewed)[5] == (
        "Technicians were involved in shaping the action plan from the first meeting, "
        "not only when a"
    )
    numbers, voice = answer(example, "3-numbers.md"), answer(example, "7-technician-voice.md")
    website = answer(example, "8-website.md")
    definition = answer(example, "2-definition.md")
    assert harvested(reviewed, example) == {
        # an endnote comes back as a footnote: Markdown has one kind of note
        "answers/2-definition.md": definition.replace(
            "The definition was drafted by the Technician Commitment Working Group, tested with the technician\n",
            "The definition was drafted by[^1] the Technician Commitment Working Group, tested with the\n"
            "technician\n",
        )
        + "\n[^1]: With the HR business partners.\n",
        "answers/3-numbers.md": numbers.replace(
            "| Social Sciences | 17 | 15.1 | Psychology and behavioural laboratories, survey and data support |\n",
            "| Social Sciences | 17 | 15.1 | Psychology and behavioural laboratories, survey and data support |\n"
            "| Humanities | 5 | 4.5 | Archives |\n",
        )
        .replace(
            "senior technical manager who reports to the faculty operations director. Since January 2026 the\n",
            "senior technical manager who\\\n"
            "reports to the faculty operations director. Since January 2026 the\n",
        )
        .replace(
            # joined on one line, too long for the file's width: wrapped
            "Chief Operating Officer.\n\n**Profile of the community.** The data also show "
            "where the action plan needs to focus:\n",
            "Chief Operating Officer. **Profile of the community.** The data also show where the "
            "action plan\nneeds to focus:\n",
        ),
        "answers/7-technician-voice.md": voice.replace(
            "not only when a\ndraft was ready", "not only when a\n\ndraft was ready"
        )
        .replace(
            "   The group was co-chaired by the Director of Technical Services and the chair of the network.\n",
            "   The group was co-chaired by the Director of Technical Services and the chair of the\n"
            "   network.[^1]\n",
        )
        .replace("     in the workshops;\n", "     *in the workshops*;\n")
        + "\n[^1]: Elected each year by the network.\n",
        # the link written as its own address stays so, in its own line
        "answers/8-website.md": website.replace(
            "is published on the University's website\nat [https",
            "is published on the University's main\nwebsite\nat [https",
        ),
    }


def test_an_answer_deleted_with_its_last_mark(
    uno: str, draft: Path, example: Path, tmp_path: Path
) -> None:
    """Selected through to the next paragraph's start and deleted: LibreOffice gives the next
    question's heading the deleted paragraph's style. The heading is still known by its words,
    so nothing of it, or of its prompt, becomes part of the answer deleted."""
    reviewed = edited(
        uno,
        draft,
        tmp_path,
        [
            {
                "find": "The full 24-month action plan follows",
                "tracked": True,
                "action": "delete_paragraphs",
                "to": "is accountable for delivering the plan.",
            }
        ],
    )
    assert [item[:4] for item in review(reviewed)] == [(6, "deletion", "Rita Reviewer", "")]
    before = files(example)
    result = run_harvest(reviewed, example)
    assert result.exit_code == 0, result.output
    assert changes(before, example) == {"answers/6-action-plan.md": ""}  # empty: stays empty


def test_a_list_item_deleted_leaves_the_rest_untouched(
    uno: str, draft: Path, example: Path, tmp_path: Path
) -> None:
    """Word renumbers the items after a deleted one; Markdown counts from a list's first item,
    so their lines stay as they were: one deletion, one change."""
    reviewed = edited(
        uno,
        draft,
        tmp_path,
        [
            {
                "find": "A survey of every technician.",
                "tracked": True,
                "action": "delete_paragraphs",
                "to": "set the priorities for each theme.",
            }
        ],
    )
    (item,) = review(reviewed)
    assert item[:4] == (7, "deletion", "Rita Reviewer", "")
    assert item[4].startswith("A survey of every technician. In March 2026")
    text = answer(example, "7-technician-voice.md")
    gone = (
        "2. **A survey of every technician.** In March 2026 the network surveyed all technicians and\n"
        "   received 283 responses, a response rate of 70%. The results, summarised in Appendix A, set\n"
        "   the priorities for each theme.\n"
    )
    assert gone in text
    assert harvested(reviewed, example) == {"answers/7-technician-voice.md": text.replace(gone, "")}


def test_a_second_reviewer_deletes_part_of_the_firsts_insertion(
    uno: str, draft: Path, example: Path, tmp_path: Path
) -> None:
    first = edited(
        uno,
        draft,
        tmp_path,
        [
            {
                "find": "Technicians are central to this work.",
                "tracked": True,
                "insert_after": " Their work is celebrated each June.",
            }
        ],
        name="first.docx",
    )
    second = edited(
        uno,
        draft,
        tmp_path,
        [{"find": "celebrated each", "tracked": True, "replace": ""}],
        source=first,
        author="Sam Second",
    )
    assert review(second) == [
        (1, "insertion", "Rita Reviewer", "", " Their work is "),
        (1, "deletion", "Sam Second", "", "celebrated each"),
        (1, "insertion", "Rita Reviewer", "", " June."),
    ]
    text = answer(example, "1-profile.md")
    assert harvested(second, example) == {
        "answers/1-profile.md": text.replace(
            "Technicians are central to this work. They support practical teaching for more than 6,000\n",
            # the two spaces either side of the deleted words are both kept, as Word shows them
            "Technicians are central to this work. Their work is  June. They support practical teaching for\n"
            "more than 6,000\n",
        )
    }


def saved_as(draft: Path, folder: Path, suffix: str) -> Path:
    """The draft saved by LibreOffice in another format, as File > Save As does."""
    copy = shutil.copy(draft, folder / "reviewed.docx")
    subprocess.run(
        [
            find_soffice(),
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            suffix,
            "--outdir",
            str(folder / "saved"),
            str(copy),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    Path(copy).unlink()
    return folder / "saved" / f"reviewed.{suffix}"


@pytest.mark.parametrize(
    ("form", "said"),
    [
        ("doc", "a Word 97-2003 document (.doc), not a .docx; open it in Word or LibreOffice,"),
        ("odt", "an OpenDocument (.odt) file, not a .docx; open it in Word or LibreOffice,"),
        ("rtf", "a Rich Text (.rtf) document, not a .docx; open it in Word or LibreOffice,"),
        ("password", "protected by a password; open it, remove the password"),
    ],
)
@pytest.mark.parametrize("command", ["review", "harvest"])
def test_a_draft_saved_in_another_format_is_named(
    form: str, said: str, command: str, draft: Path, example: Path, tmp_path: Path
) -> None:
    """What reviewers' programs offer besides .docx, each made for real (LibreOffice saves the
    draft as .doc, .odt and .rtf; the password is Word's own encryption). A PDF is read as a
    PDF: see the next test."""
    if form == "password":
        from msoffcrypto.format.ooxml import OOXMLFile

        given = tmp_path / "reviewed.docx"
        with draft.open("rb") as source, given.open("wb") as out:
            OOXMLFile(source).encrypt("secret", out)
    else:
        given = saved_as(draft, tmp_path, form)
        if form == "doc":  # named .docx by a reviewer who typed the name: found by content
            given = given.rename(tmp_path / "reviewed.docx")
    before = files(example)
    arguments = [command, str(given)] + ([str(example)] if command == "harvest" else [])
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {given}: {said}")
    assert result.stderr.endswith("save it as Word (.docx) and run again\n")
    assert result.stderr.count("\n") == 1
    assert changes(before, example) == {}


def test_the_draft_saved_as_pdf_is_read_as_a_pdf(
    draft: Path, example: Path, tmp_path: Path
) -> None:
    """The draft saved as PDF is a PDF `pack` did not make: `review` lists its annotations by
    page (it has none) and says so; `harvest` refuses it by name and writes nothing."""
    (given,) = convert([(draft, tmp_path / "reviewed.pdf")])
    before = files(example)
    result = CliRunner().invoke(cli, ["review", str(given), str(example)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "no annotations\n"
    assert (
        result.stderr
        == f"{given}: not a pack made by pack (it has no build record): annotations are listed by page\n"
    )
    refused = CliRunner().invoke(cli, ["harvest", str(given), str(example)])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        f"Error: {given}: not a pack made by pack (it has no build record)"
    )
    assert refused.stderr.count("\n") == 1
    assert changes(before, example) == {}


def test_list_items_split_joined_and_outdented(
    uno: str, draft: Path, example: Path, tmp_path: Path
) -> None:
    """Enter inside a list item makes a new item; Delete at an item's end joins the paragraph
    after it into the item; Shift+Tab takes a nested item out a level; an untracked word."""
    reviewed = edited(
        uno,
        draft,
        tmp_path,
        [
            {"find": "stayed on in permanent", "tracked": True, "action": "split"},
            {"find": "the target for protected", "tracked": True, "action": "outdent"},
            {
                "find": "for research involving animals.",
                "tracked": True,
                "action": "join",
                "insert": " ",
            },
            {"find": "Each summer the", "tracked": False, "replace": "Every summer the"},
        ],
    )
    rita = "Rita Reviewer"
    assert review(reviewed) == [
        (1, "insertion", rita, "", " "),
        (1, "deletion", rita, "paragraph break", ""),
        (4, "insertion", rita, "paragraph break", ""),
        (
            7,
            "edit",
            rita,
            "list level 2 to 1",
            "the target for protected development time was raised from three days to five.",
        ),
        (8, "edit", rita, "", "Every"),
    ]
    profile, before = answer(example, "1-profile.md"), answer(example, "4-before-signing.md")
    voice, website = answer(example, "7-technician-voice.md"), answer(example, "8-website.md")
    assert harvested(reviewed, example) == {
        "answers/1-profile.md": profile.replace(
            "- the **Biological Services Unit**, for research involving animals.\n\n"
            "Technicians are central to this work. They support practical teaching for more than 6,000\n"
            "students each week, keep specialist equipment running safely, and make studio, field and\n"
            "laboratory work possible in every faculty.\n",
            "- the **Biological Services Unit**, for research involving animals. Technicians are central to\n"
            "  this work. They support practical teaching for more than 6,000\n"
            "  students each week, keep specialist equipment running safely, and make studio, field and\n"
            "  laboratory work possible in every faculty.\n",
        ),
        "answers/4-before-signing.md": before.replace(
            "stayed on in permanent\n  posts. No other", "stayed on in permanent\n- posts. No other"
        ),
        "answers/7-technician-voice.md": voice.replace(
            "   - the target for protected", "- the target for protected"
        ),
        "answers/8-website.md": website.replace("Each summer the", "Every summer the"),
    }

"""`pack harvest`: reviewers' edits come back into the Markdown, and nothing else changes.

Each test reviews a real draft of the example, then checks whole files: the answers that were
edited are exactly the source with the edit applied, every other file byte for byte the same.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

import helpers.docx_edit as ed
from helpers.draft import make_draft, shared
from helpers.harvest import changes, files, run_harvest
from helpers.libreoffice import reviewer_edits
from helpers.packs import EXAMPLE, write_pack
from helpers.word import CASES
from pipeline.cli import cli
from pipeline.libreoffice.soffice import convert


def source(inputs: Path, name: str) -> str:
    return (inputs / "answers" / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's draft, made once for the module from a copy of the example; each test
    harvests into its own copy (`example`), the same files."""
    root = tmp_path_factory.mktemp("harvest")
    inputs = Path(shutil.copytree(EXAMPLE, root / "inputs"))
    return shared(make_draft(inputs, root / "build"))


def reviewed(drafted: Path, tmp_path: Path, edit: Callable[[Any], None]) -> Path:
    return ed.rewrite(drafted, tmp_path / "reviewed.docx", edit)


def harvested(
    drafted: Path, example: Path, tmp_path: Path, edit: Callable[[Any], None]
) -> dict[str, str]:
    """The files of `example` that harvesting the draft, edited by `edit`, changed."""
    before = files(example)
    result = run_harvest(reviewed(drafted, tmp_path, edit), example)
    assert result.exit_code == 0, result.output
    return changes(before, example)


def test_an_unedited_draft_changes_nothing(drafted: Path, example: Path) -> None:
    before = files(example)
    result = run_harvest(drafted, example)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "0 answers changed, 0 comments"
    assert changes(before, example) == {}


@pytest.mark.libreoffice
def test_a_draft_saved_by_libreoffice_changes_nothing(
    drafted: Path, example: Path, tmp_path: Path
) -> None:
    (saved,) = convert([(drafted, tmp_path / "saved.docx")], to="docx")
    before = files(example)
    result = run_harvest(saved, example)
    assert result.exit_code == 0, result.output
    assert changes(before, example) == {}
    review = CliRunner().invoke(cli, ["review", str(saved)])
    assert review.stdout.splitlines()[-1] == "no comments or changes"


@pytest.mark.libreoffice
def test_a_review_in_libreoffice_comes_back(
    drafted: Path, example: Path, tmp_path: Path, uno: str
) -> None:
    """The issue's own case: tracked insertion and deletion, an untracked change, a comment."""
    edited = reviewer_edits(
        uno,
        drafted,
        tmp_path / "edited.docx",
        "Rita Reviewer",
        [
            {
                "find": "Technicians are central to this work.",
                "tracked": True,
                "insert_after": " Their work is celebrated each June.",
            },
            {"find": "mid-sized ", "tracked": True, "replace": ""},
            {"find": "was drafted by", "tracked": False, "replace": "was written by"},
        ],
    )
    document = docx.Document(str(edited))
    target = next(p for p in document.paragraphs if "equivalent to 382.5" in p.text)
    document.add_comment(
        target.runs[0],
        text="Please check the FTE against HR.",
        author="Hamid Checker",
        initials="HC",
    )
    document.save(str(tmp_path / "reviewed.docx"))
    final = tmp_path / "reviewed.docx"

    review = CliRunner().invoke(cli, ["review", str(final), "--json"])
    assert review.exit_code == 0, review.output
    items = json.loads(review.stdout)
    assert [(i["question"], i["kind"], i["author"], i["text"]) for i in items] == [
        (1, "deletion", "Rita Reviewer", "mid-sized "),
        (1, "insertion", "Rita Reviewer", " Their work is celebrated each June."),
        (2, "edit", "Rita Reviewer", "written"),
        (3, "comment", "Hamid Checker", "Please check the FTE against HR."),
    ]
    assert items[2]["anchor"] == "drafted"
    assert items[3]["anchor"] == "On 1 October 2026 the University employed"
    assert all(i["date"].startswith("20") for i in items)
    assert set(items[0]) == {"question", "kind", "author", "date", "text", "anchor", "detail"}

    profile, definition = source(example, "1-profile.md"), source(example, "2-definition.md")
    before = files(example)
    result = run_harvest(final, example)
    assert result.exit_code == 0, result.output
    assert changes(before, example) == {
        "answers/1-profile.md": profile.replace("is a mid-sized research", "is a research").replace(
            # the line grew past the file's width: wrapped there, the lines after it kept
            "to this work. They support practical teaching for more than 6,000\n",
            "to this work. Their work is celebrated each June. They support practical\n"
            "teaching for more than 6,000\n",
        ),
        "answers/2-definition.md": definition.replace("was drafted by", "was written by"),
    }
    assert "-The definition was drafted by" in result.stdout  # the diff is printed
    assert "+The definition was written by" in result.stdout
    assert "Please check the FTE against HR." in result.stdout  # comments are listed
    assert result.stdout.splitlines()[-1] == "2 answers changed, 1 comment"

    again = run_harvest(final, example)  # harvesting twice changes nothing more
    assert again.stdout.splitlines()[-1] == "0 answers changed, 1 comment"


def test_a_tracked_deletion_of_a_paragraph(drafted: Path, example: Path, tmp_path: Path) -> None:
    text = source(example, "1-profile.md")
    gone = "Technicians are central to this work. They support practical teaching for more than 6,000\nstudents each week, keep specialist equipment running safely, and make studio, field and\nlaboratory work possible in every faculty.\n\n"
    assert gone in text

    def edit(root: Any) -> None:
        ed.delete_paragraph_tracked(ed.paragraph(root, "Technicians are central"))

    assert harvested(drafted, example, tmp_path, edit) == {
        "answers/1-profile.md": text.replace(gone, "")
    }


def test_a_new_paragraph_after_the_last_one(drafted: Path, example: Path, tmp_path: Path) -> None:
    """A paragraph added after an answer's last one lies outside the bookmark: still its answer's."""
    text = source(example, "2-definition.md")

    def edit(root: Any) -> None:
        paragraph = ed.paragraph(root, "We will review the definition")
        ed.new_paragraph_after(paragraph, "A review group will report in *2029*.")

    assert harvested(drafted, example, tmp_path, edit) == {
        "answers/2-definition.md": text + "\nA review group will report in \\*2029\\*.\n"
    }


@pytest.mark.parametrize(
    ("name", "after", "item", "line", "written"),
    [
        (  # a tight list stays tight
            "1-profile.md",
            "for engineering and design",
            "the Makerspace, for students;",
            "- the **Advanced Fabrication Workshop**, for engineering and design prototyping;\n",
            "- the Makerspace, for students;\n",
        ),
        (  # a nested item takes its siblings' indentation
            "7-technician-voice.md",
            "protected development time",
            "a mentoring scheme was added.",
            "   - the target for protected development time was raised from three days to five.\n",
            "   - a mentoring scheme was added.\n",
        ),
    ],
    ids=["tight", "nested"],
)
def test_a_new_list_item(
    drafted: Path,
    example: Path,
    tmp_path: Path,
    name: str,
    after: str,
    item: str,
    line: str,
    written: str,
) -> None:
    text = source(example, name)
    changed = harvested(
        drafted,
        example,
        tmp_path,
        lambda root: ed.new_paragraph_after(ed.paragraph(root, after), item),
    )
    assert changed == {f"answers/{name}": text.replace(line, line + written)}


def test_formatting_and_a_word_change_one_line(
    drafted: Path, example: Path, tmp_path: Path
) -> None:
    text = source(example, "4-before-signing.md")

    def edit(root: Any) -> None:
        ed.make_bold(ed.paragraph(root, "Before signing the Technician Commitment"), "uneven")
        ed.track_insert_after(
            ed.paragraph(root, "These results, and a paper"),
            "led the University Executive Board",
            " unanimously",
        )

    assert harvested(drafted, example, tmp_path, edit) == {
        "answers/4-before-signing.md": text.replace(
            "the support was uneven:", "the support was **uneven**:"
        ).replace(  # the bold word's line stays as it was; the longer one is wrapped
            "led the University Executive Board to commit to signing the Technician Commitment and to\n",
            "led the University Executive Board unanimously to commit to signing the Technician\n"
            "Commitment and to\n",
        )
    }


def test_a_table_cell(drafted: Path, example: Path, tmp_path: Path) -> None:
    text = source(example, "3-numbers.md")

    def edit(root: Any) -> None:
        cell = ed.paragraph(root, "Clinical skills suites")
        ed.untracked_replace(
            cell, "Clinical skills suites", "Clinical skills and simulation suites"
        )

    old = "| Medicine and Health | 96 | 88.4 | Clinical skills suites, biomedical research laboratories |"
    new = "| Medicine and Health | 96 | 88.4 | Clinical skills and simulation suites, biomedical research laboratories |"
    assert harvested(drafted, example, tmp_path, edit) == {
        "answers/3-numbers.md": text.replace(old, new)
    }


def test_an_answer_changed_since_the_draft_is_never_overwritten(
    drafted: Path, example: Path, tmp_path: Path
) -> None:
    answer = example / "answers" / "2-definition.md"
    drafted_text = answer.read_text(encoding="utf-8")
    answer.write_text(
        drafted_text + "\nThe lead added this after the draft went out.\n", encoding="utf-8"
    )
    before = files(example)
    result = run_harvest(
        reviewed(
            drafted,
            tmp_path,
            lambda root: ed.untracked_replace(
                ed.paragraph(root, "was drafted by"), "drafted", "written"
            ),
        ),
        example,
    )
    assert result.exit_code == 0, result.output
    assert changes(before, example) == {
        "answers/2-definition.reviewed.md": drafted_text.replace("was drafted by", "was written by")
    }
    assert "answers/2-definition.md: warning: changed after the draft was made" in result.stderr
    assert "2-definition.reviewed.md" in result.stderr
    check = CliRunner().invoke(cli, ["check", str(example), "--date", "2026-11-22"])
    assert (
        "2-definition.reviewed.md: warning: reviewers' version of 2-definition.md" in check.stdout
    )
    assert check.exit_code == 0  # a warning: the pack still builds from the lead's version


def test_the_forms_own_answer_edited_becomes_a_file(pack_dir: Path, tmp_path: Path) -> None:
    (pack_dir / "answers" / "6-answer.md").unlink()
    draft = make_draft(pack_dir, tmp_path / "build")
    edited = ed.rewrite(
        draft,
        tmp_path / "reviewed.docx",
        lambda root: ed.track_insert_after(
            ed.paragraph(root, "The full 24-month action plan"),
            "in this document.",
            " It was agreed in March.",
        ),
    )
    result = run_harvest(edited, pack_dir)
    assert result.exit_code == 0, result.output
    created = pack_dir / "answers" / "6-the-24-month-action-plan.md"
    assert (
        created.read_text(encoding="utf-8")
        == "The full 24-month action plan follows the sign-off in this document. It was agreed in March.\n"
    )


def test_dry_run_writes_nothing_and_comments_go_to_a_file(
    drafted: Path, example: Path, tmp_path: Path
) -> None:
    edited = reviewed(
        drafted,
        tmp_path,
        lambda root: ed.untracked_replace(
            ed.paragraph(root, "was drafted by"), "drafted", "written"
        ),
    )
    document = docx.Document(str(edited))
    target = next(p for p in document.paragraphs if "We will review the definition" in p.text)
    document.add_comment(target.runs[0], text="Which month?", author="Hamid Checker")
    document.save(str(edited))
    before = files(example)
    dry = run_harvest(edited, example, "--dry-run", "--comments", str(tmp_path / "c.md"))
    assert dry.exit_code == 0, dry.output
    assert "+The definition was written by" in dry.stdout
    assert dry.stdout.splitlines()[-1] == "1 answer would change, 1 comment"
    assert changes(before, example) == {}
    assert not (tmp_path / "c.md").exists()

    for name in ("c.md", "c.json"):
        result = run_harvest(edited, example, "--comments", str(tmp_path / name))
        assert result.exit_code == 0, result.output
    markdown = (tmp_path / "c.md").read_text(encoding="utf-8")
    assert "## Question 2: How the organisation defines its technicians" in markdown
    assert "- **Hamid Checker**, 2026-" in markdown
    assert "Which month?" in markdown
    (comment,) = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert (comment["question"], comment["author"], comment["text"]) == (
        2,
        "Hamid Checker",
        "Which month?",
    )


def test_a_draft_of_another_institution_is_refused(drafted: Path, tmp_path: Path) -> None:
    pack_dir = write_pack(tmp_path / "other")
    before = files(pack_dir)
    result = run_harvest(drafted, pack_dir)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {drafted}: a draft of 'University of Kelderwick', but {pack_dir} is "
        "'University of Testshire'; give the inputs it was made from\n"
    )
    assert changes(before, pack_dir) == {}


@pytest.mark.parametrize("fixture", CASES, ids=lambda p: p.stem)
def test_every_construct_comes_back_with_only_its_lines_changed(
    fixture: Path, pack_dir: Path, tmp_path: Path
) -> None:
    """Each corpus file as an answer; a word added to every other paragraph; the file must
    change in those paragraphs' lines and nowhere else, and read as the reviewed document does
    (harvest proves that itself, by rendering what it writes)."""
    answer = pack_dir / "answers" / "1-answer.md"
    answer.write_text(fixture.read_text(encoding="utf-8"), encoding="utf-8")
    for picture in fixture.parent.glob("*.png"):
        (pack_dir / "answers" / picture.name).write_bytes(picture.read_bytes())
    draft = make_draft(pack_dir, tmp_path / "build")
    touched: list[str] = []

    def edit(root: Any) -> None:
        start = next(
            b for b in root.iter(ed.q("bookmarkStart")) if b.get(ed.q("name")) == "tc_answer_1"
        )
        body = root.find(ed.q("body"))
        top = start
        while top.getparent() is not body:
            top = top.getparent()
        blocks = []
        for block in [top, *top.itersiblings()]:
            style = block.find(f"{ed.q('pPr')}/{ed.q('pStyle')}")
            if style is not None and style.get(ed.q("val")) == "Heading1":
                break  # the next question
            blocks += [
                p
                for p in ([block] if block.tag == ed.q("p") else block.iter(ed.q("p")))
                if p.find(f".//{ed.q('t')}") is not None
            ]
        for p in blocks[::2]:
            texts = [t for t in p.iter(ed.q("t")) if (t.text or "").strip()]
            texts[-1].text = texts[-1].text + " ZEBRA"
            touched.append(texts[-1].text)

    result = run_harvest(ed.rewrite(draft, tmp_path / "reviewed.docx", edit), pack_dir)
    assert result.exit_code == 0, result.output
    old = fixture.read_text(encoding="utf-8").splitlines()
    new = answer.read_text(encoding="utf-8").splitlines()
    assert sum(line.count("ZEBRA") for line in new) == len(touched)
    # untouched blocks (runs of lines between blank lines) are byte for byte as they were
    chunks = ["\n".join(c) for c in _chunks(new)]
    assert [c for c in chunks if "ZEBRA" not in c] == [
        c
        for c, n in zip(["\n".join(c) for c in _chunks(old)], chunks, strict=True)
        if "ZEBRA" not in n
    ]
    if fixture.stem != "links":  # the source's reference links and <autolinks> are rewritten inline
        assert [line.replace(" ZEBRA", "") for line in new] == old


def _chunks(lines: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            chunks[-1].append(line)
        elif chunks[-1]:
            chunks.append([])
    return [c for c in chunks if c]

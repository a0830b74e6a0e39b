"""`pack import` on the form filled in every way institutions fill it in: prompts as paragraphs,
headings, Word-numbered items, table cells (answer beside or below), reworded or shortened or
only numbered; the fields, a plan table, a signature, tracked changes, what the pack cannot
show; and what it never does (overwrite, write half, trace back)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from helpers import word_forms as wf
from helpers.word_forms import ANSWERS, PROMPTS
from pipeline.cli import cli
from pipeline.form import load_form
from pipeline.plan.read import load_plan

REWORDED = [
    "Give a brief profile of your institution",
    "How does your organisation define a technician?",
    "How many technicians do you have, and how are they structured?",
    "Initiatives for the technical community already in place before becoming a signatory",
    "Initiatives since becoming a signatory to address visibility, recognition, career development and sustainability",
    "Your 24-month action plan",
    "How was the technician voice present in forming the action plan?",
    "Confirm the status and action plan are published on your website, with the URL",
]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["import", *args])


def paragraphs(prompts: list[str], style: str | None = None) -> Callable[[Any], None]:
    def build(document: Any) -> None:
        for prompt, answer in zip(prompts, ANSWERS, strict=True):
            if style == "List Number":
                wf.numbered_prompt(document, prompt)
            elif style:
                document.add_heading(prompt, int(style))
            else:
                document.add_paragraph(prompt)
            document.add_paragraph(answer)

    return build


def two_columns(document: Any) -> None:
    table = document.add_table(rows=8, cols=2)
    for row, prompt, answer in zip(table.rows, PROMPTS, ANSWERS, strict=True):
        row.cells[0].text, row.cells[1].text = prompt, answer


def one_column(document: Any) -> None:
    table = document.add_table(rows=16, cols=1)
    for n, (prompt, answer) in enumerate(zip(PROMPTS, ANSWERS, strict=True)):
        table.rows[2 * n].cells[0].text = prompt
        table.rows[2 * n + 1].cells[0].text = answer


LAYOUTS = {
    "paragraphs": paragraphs(PROMPTS),
    "headings": paragraphs([f"Question {n}" for n in range(1, 9)], "2"),
    "q-numbers": paragraphs([f"Q{n}" for n in range(1, 9)]),
    "typed-numbers": paragraphs([f"{n}." for n in range(1, 9)]),
    "word-numbered": paragraphs([p.split("?")[0].split(".")[0] for p in PROMPTS], "List Number"),
    "word-numbered-titles": paragraphs([q.title for q in load_form().questions], "List Number"),
    "reworded": paragraphs(REWORDED),
    "reworded-headings": paragraphs(REWORDED, "1"),
    "table-two-columns": two_columns,
    "table-one-column": one_column,
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_gives_each_answer(layout: str, tmp_path: Path) -> None:
    document = wf.new()
    wf.fields(document)
    LAYOUTS[layout](document)
    source = wf.save(document, tmp_path / "form.docx")
    result = run(str(source), str(tmp_path / "inputs"))
    assert result.exit_code == 0, result.output
    for n, answer in enumerate(ANSWERS, start=1):
        (path,) = (tmp_path / "inputs" / "answers").glob(f"{n}-*.md")
        assert path.read_text(encoding="utf-8") == answer + "\n", (n, result.output)
    settings = tomllib.loads((tmp_path / "inputs" / "pack.toml").read_text(encoding="utf-8"))
    assert settings["institution"] == "University of Example"
    assert settings["lead"] == {"name": "Dr Ada Lead", "email": "ada@example.ac.uk", "role": ""}
    assert str(settings["date_joined"]) == "2025-03-03"


def test_the_plan_table_signature_and_appendices(tmp_path: Path) -> None:
    document = wf.new()
    wf.fields(document)
    paragraphs(PROMPTS)(document)
    document.add_paragraph("Sign-off")
    wf.signoff(document)
    document.add_heading("24-month action plan", 1)
    wf.plan_table(document)
    document.add_heading("Appendix A: Example activities", 1)
    document.add_paragraph("Visibility: profiles of technicians (the form's own examples)")
    document.add_heading("Appendix B: Survey results", 1)
    document.add_paragraph("Most technicians answered.")
    source = wf.save(document, tmp_path / "form.docx")
    inputs = tmp_path / "inputs"
    result = run(str(source), str(inputs), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["plan"]["actions"] == 5
    assert report["plan"]["problems"] == []
    plan, problems = load_plan(inputs / "action-plan.xlsx", load_form().themes)
    assert plan is not None, problems
    assert [a.text for a in plan.actions][:2] == [
        "Publish team pages",
        "Add skills to the directory",
    ]
    assert [g.code for t in plan.themes for g in t.goals] == ["V1", "R1", "CD1", "S1"]
    settings = tomllib.loads((inputs / "pack.toml").read_text(encoding="utf-8"))
    assert settings["signoff"]["lead_signature"] == "signatures/lead.png"
    assert (inputs / "signatures" / "lead.png").read_bytes().startswith(b"\x89PNG")
    assert settings["leader"] == {"name": "Professor Bo Leader", "role": "Vice-Chancellor"}
    assert str(settings["signoff"]["leader"]) == "2027-01-22"
    appendices = sorted(p.name for p in (inputs / "appendices").glob("*.md"))
    assert appendices == ["01-survey-results.md"]
    assert "Most technicians answered." in (inputs / "appendices" / appendices[0]).read_text()
    assert any("Appendix A" in item for item in report["left_out"])
    check = CliRunner().invoke(cli, ["plan", str(inputs)])
    assert check.exit_code == 0, check.output


def test_a_plan_table_in_question_6_goes_to_the_spreadsheet(tmp_path: Path) -> None:
    document = wf.new()
    for n, (prompt, answer) in enumerate(zip(PROMPTS, ANSWERS, strict=True), start=1):
        document.add_paragraph(prompt)
        document.add_paragraph(answer)
        if n == 6:
            wf.plan_table(document)
    source = wf.save(document, tmp_path / "form.docx")
    result = run(str(source), str(tmp_path / "inputs"))
    assert result.exit_code == 0, result.output
    (six,) = (tmp_path / "inputs" / "answers").glob("6-*.md")
    assert six.read_text() == ANSWERS[5] + "\n"
    assert "action plan's table" in result.output
    plan, _ = load_plan(tmp_path / "inputs" / "action-plan.xlsx", load_form().themes)
    assert plan is not None
    assert len(plan.actions) == 5


def test_what_the_pack_cannot_show_is_named_and_its_text_kept(tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("Most of the answer.")
    wf.text_box(document.add_paragraph(), "Inside the box")
    wf.shape(document.add_paragraph("Before an arrow"))
    wf.equation(document.add_paragraph("Staff ratio: "), "x=12")
    wf.add_picture(document, alt="The org chart")
    source = wf.save(document, tmp_path / "one.docx")
    result = run(str(source), str(tmp_path / "inputs"), "--question", "3", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    (three,) = (tmp_path / "inputs" / "answers").glob("3-*.md")
    text = three.read_text()
    assert "Inside the box" in text
    assert text.count("Inside the box") == 1
    assert "x=12" in text
    assert "Before an arrow" in text
    assert "![The org chart](images/3-number-and-structure-of-technicians-1.png)" in text
    assert (three.parent / "images" / "3-number-and-structure-of-technicians-1.png").is_file()
    said = " | ".join(report["questions"][0]["left_out"])
    for kind in ("a text box (paragraph 2)", "a shape (paragraph 3)", "an equation (paragraph 4)"):
        assert kind in said


def test_tracked_changes_stop_the_import_unless_accepted(tmp_path: Path) -> None:
    document = wf.new()
    wf.tracked_insertion(document.add_paragraph("Kept "), "and inserted")
    source = wf.save(document, tmp_path / "one.docx")
    inputs = tmp_path / "inputs"
    result = run(str(source), str(inputs), "--question", "2")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source}: 1 tracked change not yet accepted or rejected; accept or reject "
        "them in Word (Review > Accept All, or Reject) and run again, or import with "
        "--accept-changes\n"
    )
    assert not inputs.exists()
    result = run(str(source), str(inputs), "--question", "2", "--accept-changes")
    assert result.exit_code == 0, result.output
    (two,) = (inputs / "answers").glob("2-*.md")
    assert two.read_text() == "Kept and inserted\n"


def test_nothing_is_overwritten_without_replace(example: Path, tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("A new answer.")
    source = wf.save(document, tmp_path / "one.docx")
    before = (example / "answers" / "3-numbers.md").read_bytes()
    result = run(str(source), str(example), "--question", "3")
    assert result.exit_code == 0, result.output
    assert (example / "answers" / "3-numbers.md").read_bytes() == before
    assert (example / "answers" / "3-numbers.imported.md").read_text() == "A new answer.\n"
    assert "beside the answer already there" in result.output
    check = CliRunner().invoke(cli, ["check", str(example), "--date", "2026-11-22"])
    assert (
        f"{example / 'answers' / '3-numbers.imported.md'}: warning: the version of 3-numbers.md "
        "that `pack import` read from a Word file, written beside it because 3-numbers.md "
        "already had text: merge it into 3-numbers.md, then delete it"
    ) in check.output
    again = run(str(source), str(example), "--question", "3")
    assert "3-numbers.imported.md" in again.output
    assert sorted(p.name for p in (example / "answers").glob("3-*")) == [
        "3-numbers.imported.md",
        "3-numbers.md",
    ]
    result = run(str(source), str(example), "--question", "3", "--replace")
    assert (example / "answers" / "3-numbers.md").read_text() == "A new answer.\n"


def test_fields_already_in_pack_toml_are_kept(example: Path, tmp_path: Path) -> None:
    document = wf.new()
    wf.fields(document)
    paragraphs(PROMPTS)(document)
    source = wf.save(document, tmp_path / "form.docx")
    before = (example / "pack.toml").read_text()
    result = run(str(source), str(example))
    assert result.exit_code == 0, result.output
    assert (example / "pack.toml").read_text() == before
    assert "institution, lead.name, lead.email, date_joined kept as they were" in result.output


BAD: dict[str, Callable[[Path], str]] = {
    "text": lambda p: (p.write_text("just text"), "not a Word file")[1],
    "pdf": lambda p: (p.write_bytes(b"%PDF-1.7\n"), "a PDF, not a Word file")[1],
    "encrypted": lambda p: (
        p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le")),
        "protected by a password",
    )[1],
    "damaged zip": lambda p: (p.write_bytes(b"PK\x03\x04broken"), "damaged")[1],
    "workbook": lambda p: (_workbook(p), "not a Word document")[1],
}


def _workbook(path: Path) -> None:
    from openpyxl import Workbook

    Workbook().save(path)


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_file_is_named_and_nothing_written(kind: str, tmp_path: Path) -> None:
    source = tmp_path / "form.docx"
    said = BAD[kind](source)
    result = run(str(source), str(tmp_path / "inputs"))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"Error: {source}: ")
    assert said in result.stderr
    assert "internal error" not in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "inputs").exists()


def test_the_blank_form_writes_no_answers(tmp_path: Path) -> None:
    """The official form as sent out: prompts, empty boxes, guidance, Appendix A."""
    document = wf.new()
    table = document.add_table(rows=4, cols=2)
    for row, label in zip(table.rows, ["Organisation", "Name of Institutional Lead", "E-mail",
                                       "Date joined"], strict=True):  # fmt: skip
        row.cells[0].text = label
    table = document.add_table(rows=16, cols=1)
    for n, prompt in enumerate(PROMPTS):
        table.rows[2 * n].cells[0].text = prompt
        table.rows[2 * n + 1].cells[0].text = "Click or tap here to enter text."
    document.add_paragraph("Sign-off")
    wf.signoff(document, picture=False)
    document.add_paragraph("Appendix A: Examples of activities")
    document.add_paragraph("Visibility: technician profiles on web pages")
    source = wf.save(document, tmp_path / "blank.docx")
    result = run(str(source), str(tmp_path / "inputs"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [q["path"] for q in report["questions"]] == [
        p.relative_to(tmp_path / "inputs").as_posix()
        for p in sorted((tmp_path / "inputs" / "answers").glob("*.md"))
    ]
    for question in report["questions"]:
        assert "no text under the prompt: nothing written" in question["left_out"]
    assert report["appendices"] == []
    assert not (tmp_path / "inputs" / "appendices" / "01-examples-of-activities.md").exists()
    settings = tomllib.loads((tmp_path / "inputs" / "pack.toml").read_text(encoding="utf-8"))
    assert settings["institution"] == ""


def test_fields_as_paragraphs_and_labels_above_values(tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("Organisation: Institute of Examples")
    document.add_paragraph("E-mail: lead@examples.org")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Institutional Lead", "Date joined"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Sam Lead", "1st February 2024"
    paragraphs(PROMPTS)(document)
    source = wf.save(document, tmp_path / "form.docx")
    result = run(str(source), str(tmp_path / "inputs"))
    assert result.exit_code == 0, result.output
    settings = tomllib.loads((tmp_path / "inputs" / "pack.toml").read_text(encoding="utf-8"))
    assert settings["institution"] == "Institute of Examples"
    assert settings["lead"]["email"] == "lead@examples.org"
    assert settings["lead"]["name"] == "Sam Lead"
    assert str(settings["date_joined"]) == "2024-02-01"


def test_a_date_that_is_not_one_is_a_note_not_a_value(tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("Date joined: spring 2025")
    paragraphs(PROMPTS)(document)
    source = wf.save(document, tmp_path / "form.docx")
    result = run(str(source), str(tmp_path / "inputs"))
    assert result.exit_code == 0, result.output
    assert (
        "note: pack.toml: date_joined: 'spring 2025' is not a date; fill it in by hand"
        in result.output.splitlines()
    )
    settings = tomllib.loads((tmp_path / "inputs" / "pack.toml").read_text(encoding="utf-8"))
    assert "date_joined" not in settings

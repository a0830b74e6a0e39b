"""`pack import` on files whose package is not whole or holds parts the body only points at:
a picture whose image part is missing. What is missing is named; the rest is imported."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from helpers import word_forms as wf
from helpers.word_forms import ANSWERS, PROMPTS
from pipeline.cli import cli


def without_media(document: object, path: Path) -> Path:
    """The document saved with its pictures' parts left out (their relationships kept), as a
    damaged copy or a careless converter leaves them."""
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            if not item.filename.startswith("word/media/"):
                target.writestr(item, source.read(item))
    return path


def test_a_picture_without_its_image_is_named_and_the_text_kept(tmp_path: Path) -> None:
    document = wf.new()
    document.add_paragraph("Our technicians, pictured below.")
    wf.add_picture(document)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Our workshop"
    wf.add_picture(document, table.rows[0].cells[1].paragraphs[0])
    source = without_media(document, tmp_path / "one.docx")
    result = CliRunner().invoke(
        cli, ["import", str(source), str(tmp_path / "in"), "--question", "1", "--json"]
    )
    assert result.exit_code == 0, result.output
    (answer,) = (tmp_path / "in" / "answers").glob("1-*.md")
    assert answer.read_text(encoding="utf-8").startswith("Our technicians, pictured below.\n\n|")
    (question,) = json.loads(result.output)["questions"][:1]
    missing = [item for item in question["left_out"] if "picture whose image is missing" in item]
    assert len(missing) == 2, question["left_out"]


def test_a_signature_without_its_image_is_a_note(tmp_path: Path) -> None:
    document = wf.new()
    wf.fields(document)
    for prompt, text in zip(PROMPTS, ANSWERS, strict=True):
        document.add_paragraph(prompt)
        document.add_paragraph(text)
    document.add_paragraph("Sign-off")
    wf.signoff(document)
    source = without_media(document, tmp_path / "form.docx")
    result = CliRunner().invoke(cli, ["import", str(source), str(tmp_path / "in"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert "the lead's signature picture is missing from the file" in report["notes"]
    assert not (tmp_path / "in" / "signatures" / "lead.png").exists()

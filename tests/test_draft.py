"""`pack draft`: answers findable after a reviewer's save, sources recorded."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.draft import make_draft, shared
from helpers.packs import write_pack
from pipeline.cli import cli
from pipeline.libreoffice.soffice import convert
from pipeline.review.document import open_reviewed


def answer_texts(path: Path) -> dict[int, str]:
    """The text of each answer, as found again in the document."""
    reviewed = open_reviewed(path)
    return {n: " ".join(b.text for b in reviewed.blocks(n)).strip() for n in reviewed.regions}


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small pack without its sign-off dates, written once for the module."""
    inputs = write_pack(tmp_path_factory.mktemp("draft") / "inputs")
    (inputs / "pack.toml").write_text((inputs / "pack.toml").read_text().split("[signoff]")[0])
    return inputs


@pytest.fixture(scope="module")
def drafted(unsigned: Path) -> Path:
    """Its draft, made once for the module."""
    result = CliRunner().invoke(
        cli, ["draft", str(unsigned), "--out", str(unsigned.parent / "b"), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output  # a draft needs no sign-off
    assert "warning: no sign-off date" in result.stderr
    return shared(Path(result.stdout.splitlines()[-1]))


def test_each_answer_is_found_again(drafted: Path) -> None:
    assert drafted.name == "University-of-Testshire_January_2027.docx"
    texts = answer_texts(drafted)
    assert sorted(texts) == list(range(1, 9))
    assert texts == {
        **{n: f"Answer {n}: our technicians, bold and italic. first second" for n in range(1, 8)},
        8: "Published at https://www.testshire.example/technicians.",
    }


def test_sources_are_recorded_byte_for_byte(drafted: Path, unsigned: Path) -> None:
    record = open_reviewed(drafted).record
    assert record is not None
    assert record.institution == "University of Testshire"
    assert sorted(record.sources) == list(range(1, 9))
    first = unsigned / "answers" / "1-answer.md"
    source = record.sources[1]
    assert source.path == "answers/1-answer.md"
    assert source.sha256 == hashlib.sha256(first.read_bytes()).hexdigest()
    assert source.data == first.read_bytes()


def test_a_question_without_a_file_records_the_forms_text(pack_dir: Path, tmp_path: Path) -> None:
    (pack_dir / "answers" / "6-answer.md").unlink()
    record = open_reviewed(make_draft(pack_dir, tmp_path)).record
    assert record is not None
    assert record.sources[6].path == ""
    assert record.sources[6].text.startswith("The full 24-month action plan follows")


@pytest.mark.libreoffice
def test_answers_and_sources_survive_a_libreoffice_save(drafted: Path, tmp_path: Path) -> None:
    (saved,) = convert([(drafted, tmp_path / "saved.docx")], to="docx")
    assert answer_texts(saved) == answer_texts(drafted)
    assert open_reviewed(saved).record == open_reviewed(drafted).record

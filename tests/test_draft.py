"""`pack draft`: answers findable after a reviewer's save, sources recorded."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.convert import convert
from pipeline.docx_read import paragraph_texts, read_part
from pipeline.mdtext import plain_text


def answer_texts(path: Path) -> dict[int, str]:
    """The text inside each answer's bookmark, as saved."""
    texts = paragraph_texts(read_part(path, "word/document.xml"))
    return {number: " ".join(p for p in parts if p) for number, parts in texts.items()}


def custom_sources(path: Path) -> dict:
    xml = zipfile.ZipFile(path).read("docProps/custom.xml").decode()
    value = re.search(r'name="tc-pack-sources"[^>]*>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>', xml)[1]
    return json.loads(value.replace("&quot;", '"'))


@pytest.fixture
def drafted(pack_dir: Path, tmp_path: Path) -> Path:
    (pack_dir / "pack.toml").write_text((pack_dir / "pack.toml").read_text().split("[signoff]")[0])
    result = CliRunner().invoke(
        cli, ["draft", str(pack_dir), "--out", str(tmp_path / "b"), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output  # a draft needs no sign-off
    assert "warning: no sign-off date" in result.stderr
    return Path(result.stdout.splitlines()[-1])


def test_each_answer_is_bookmarked(drafted: Path, pack_dir: Path) -> None:
    assert drafted.name == "University-of-Testshire_January_2027.docx"
    texts = answer_texts(drafted)
    assert sorted(texts) == list(range(1, 9))
    for number in range(1, 9):
        source = next((pack_dir / "answers").glob(f"{number}-*.md")).read_text()
        assert texts[number].split() == plain_text(source).split()


def test_sources_are_recorded(drafted: Path, pack_dir: Path) -> None:
    record = custom_sources(drafted)
    assert sorted(record, key=int) == [str(n) for n in range(1, 9)]
    first = pack_dir / "answers" / "1-answer.md"
    assert record["1"] == {
        "path": "answers/1-answer.md",
        "sha256": hashlib.sha256(first.read_bytes()).hexdigest(),
    }


@pytest.mark.libreoffice
def test_bookmarks_and_sources_survive_a_libreoffice_save(drafted: Path, tmp_path: Path) -> None:
    (saved,) = convert([(drafted, tmp_path / "saved.docx")], to="docx")
    assert answer_texts(saved) == answer_texts(drafted)
    assert custom_sources(saved) == custom_sources(drafted)

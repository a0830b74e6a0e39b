"""`pack assemble --draft`: a review copy that cannot be taken for the final pack."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from pipeline.cli import cli
from pipeline.incremental.up_to_date import fresh_pack
from pipeline.window import Window


def unsign(root: Path) -> None:
    toml = root / "pack.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text[: text.index("[signoff]")], encoding="utf-8")


def assemble(root: Path, out: Path, *options: str) -> Path:
    result = CliRunner().invoke(
        cli, ["assemble", str(root), "--out", str(out), "--date", "2026-11-22", *options]
    )
    assert result.exit_code == 0, result.output
    return Path(result.stdout.splitlines()[-1])


def inked(pdf: Path, stem: Path) -> float:
    """The share of page 2's pixels that are not white, at 30 dpi."""
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "2", "-l", "2", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    with Image.open(stem.with_suffix(".png")) as image:
        counts = image.convert("L").histogram()
    return sum(counts[:245]) / sum(counts)


def test_a_draft_is_named_and_titled_so() -> None:
    window = Window(2027, 1)
    assert window.file_stem("University of Testshire", draft=True) == (
        "University-of-Testshire_January_2027_DRAFT"
    )
    assert window.title("University of Testshire", draft=True) == (
        "DRAFT: University of Testshire/January/2027"
    )


@pytest.mark.libreoffice
def test_every_page_of_a_draft_says_draft(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    signed = (pack_dir / "pack.toml").read_text(encoding="utf-8")
    unsign(pack_dir)
    draft = assemble(pack_dir, out, "--draft")
    assert draft == out / "University-of-Testshire_January_2027_DRAFT.pdf"
    reader = PdfReader(draft)
    assert reader.metadata is not None
    assert reader.metadata.title == "DRAFT: University of Testshire/January/2027"
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) >= 5
    assert [i for i, text in enumerate(texts) if "DRAFT" not in text] == []
    signoff = next(text for text in texts if "Sign-off" in text and "Signature" in text)
    assert signoff.count("DRAFT: not yet signed") == 2
    drawn = inked(draft, tmp_path / "draft")
    # signed, the final build is another file, with no mark, made afresh
    (pack_dir / "pack.toml").write_text(signed, encoding="utf-8")
    before = draft.read_bytes()
    final = assemble(pack_dir, out)
    assert final == out / "University-of-Testshire_January_2027.pdf"
    reader = PdfReader(final)
    assert reader.metadata is not None
    assert reader.metadata.title == "University of Testshire/January/2027"
    assert [i for i, page in enumerate(reader.pages) if "DRAFT" in page.extract_text()] == []
    assert draft.read_bytes() == before
    # the mark is drawn across the page: the draft's page 2 has far more ink than the final's
    plain = inked(final, tmp_path / "final")
    assert drawn > plain + 0.03, (drawn, plain)


@pytest.mark.libreoffice
def test_a_final_build_never_reuses_a_draft(pack_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assemble(pack_dir, out, "--draft")
    window = Window(2027, 1)
    import datetime as dt

    from pipeline.window import window_for

    today = dt.date(2026, 11, 22)
    assert window_for(today) == window
    assert fresh_pack(pack_dir, out, window, today, draft=True) is not None
    assert fresh_pack(pack_dir, out, window, today, draft=False) is None
    final = assemble(pack_dir, out)
    assert "DRAFT" not in PdfReader(final).pages[1].extract_text()

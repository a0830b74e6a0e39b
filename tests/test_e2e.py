"""End to end: the real LibreOffice builds the example pack, and the real PDF is read back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import EXAMPLE, write_pack
from pipeline.cli import cli
from pipeline.form import load_form
from pipeline.markdown import plain_text
from pipeline.plan import find_plan, load_plan

pytestmark = pytest.mark.libreoffice
STEM = "University-of-Kelderwick_January_2027"


def words(text: str) -> list[str]:
    return re.findall(r"[\w@.&%'’/-]+", text.replace("\u00ad", ""))


def in_order(needle: list[str], haystack: list[str]) -> bool:
    """Every word of `needle`, in order, within `haystack` (layout may put text between)."""
    position = 0
    for word in needle:
        try:
            position = haystack.index(word, position) + 1
        except ValueError:
            return False
    return True


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("e2e")
    inputs = Path(shutil.copytree(EXAMPLE, root / "inputs"))
    out = root / "build"
    result = CliRunner().invoke(
        cli, ["assemble", str(inputs), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    return inputs, out, result.stdout


def test_the_pack_is_named_for_the_window(built: tuple[Path, Path, str]) -> None:
    _, out, stdout = built
    pack = out / f"{STEM}.pdf"
    assert stdout.splitlines()[-1] == str(pack)
    meta = PdfReader(pack).metadata
    assert meta.title == "University of Kelderwick/January/2027"
    assert meta.author == "Dr Morag Fenwick"
    assert "Technician Commitment" in meta.subject


def test_prompts_in_order_and_every_answer(built: tuple[Path, Path, str]) -> None:
    inputs, out, _ = built
    text = pdftotext(out / f"{STEM}.pdf")
    flat = words(text)
    form = load_form("initial")
    positions = []
    for question in form.questions:
        prompt = words(question.prompt)
        assert in_order(prompt, flat), question.prompt
        positions.append(" ".join(flat).index(" ".join(prompt)))
    assert positions == sorted(positions)
    for answer in sorted((inputs / "answers").glob("*.md")):
        assert in_order(words(plain_text(answer.read_text(encoding="utf-8"))), flat), answer.name


def test_plan_rows_and_appendices(built: tuple[Path, Path, str]) -> None:
    inputs, out, _ = built
    reader = PdfReader(out / f"{STEM}.pdf")
    flat = words(pdftotext(out / f"{STEM}.pdf"))
    plan, problems = load_plan(find_plan(inputs), load_form("initial").themes)
    assert plan is not None
    assert not problems
    for action in plan.actions:
        assert in_order(words(action.text), flat), action.text
        assert in_order(words(action.measure), flat), action.measure
    survey = (inputs / "appendices" / "1-technician-survey.md").read_text(encoding="utf-8")
    assert in_order(words(plain_text(survey)), flat)
    terms = PdfReader(inputs / "appendices" / "2-technician-network-terms-of-reference.pdf")
    last = reader.pages[-len(terms.pages) :]
    assert [p.extract_text() for p in last] == [p.extract_text() for p in terms.pages]


def test_outline_lists_questions_plan_and_appendices(built: tuple[Path, Path, str]) -> None:
    _, out, _ = built
    reader = PdfReader(out / f"{STEM}.pdf")
    top = [item for item in reader.outline if not isinstance(item, list)]
    children = next(item for item in reader.outline if isinstance(item, list))
    assert [i.title for i in top] == [
        "Self-assessment form",
        "24-month action plan",
        "Appendix A: Technician survey 2026: summary of results",
        "Appendix B: Technician network terms of reference",
    ]
    assert [c.title for c in children] == [q.heading for q in load_form("initial").questions] + [
        "Sign-off"
    ]
    pages = [reader.get_destination_page_number(i) for i in top]
    assert pages == sorted(pages)
    assert len(set(pages)) == len(pages)
    for item in children[:8]:  # each question's entry points at the page that shows it
        page = reader.pages[reader.get_destination_page_number(item)]
        assert item.title.split(":")[0] in page.extract_text()


def test_plan_is_landscape_with_the_fonts_the_template_names(built: tuple[Path, Path, str]) -> None:
    _, out, _ = built
    pack = out / f"{STEM}.pdf"
    reader = PdfReader(pack)
    plan_page = next(
        reader.get_destination_page_number(i)
        for i in reader.outline
        if not isinstance(i, list) and i.title.endswith("action plan")
    )
    box = reader.pages[plan_page].mediabox
    assert box.width > box.height
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height
    fonts = subprocess.run(
        ["pdffonts", str(pack)], check=True, capture_output=True, text=True
    ).stdout
    assert "Carlito" in fonts
    assert "DejaVu" not in fonts  # no fallback font: the page layout is the one Word would show


def test_literal_template_characters_reach_the_pdf(tmp_path: Path) -> None:
    inputs = write_pack(tmp_path / "inputs")
    nasty = "Tom & Jerry <select> {{ 7*7 }} {% if x %}no{% endif %} café “quoted”"
    (inputs / "answers" / "2-answer.md").write_text(nasty + "\n", encoding="utf-8")
    out = tmp_path / "build"
    result = CliRunner().invoke(
        cli, ["assemble", str(inputs), "--out", str(out), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    text = pdftotext(Path(result.stdout.splitlines()[-1]))
    assert nasty in text
    assert "49" not in text


def test_a_failed_build_keeps_the_previous_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = write_pack(tmp_path / "inputs")
    out = tmp_path / "build"
    args = ["assemble", str(inputs), "--out", str(out), "--date", "2026-11-22"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    pack = out / "University-of-Testshire_January_2027.pdf"
    before = pack.read_bytes()
    sources = {p: p.read_bytes() for p in inputs.rglob("*") if p.is_file()}

    # 1. LibreOffice "succeeds" without writing anything
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PACK_SOFFICE", str(fake))
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "LibreOffice produced no PDF (exit 0)" in result.stderr
    assert "Traceback" not in result.output
    monkeypatch.delenv("PACK_SOFFICE")

    # 2. an appendix that is not what its name says
    (inputs / "appendices" / "2-terms.docx").write_text("not a document")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "2-terms.docx: error: named .docx but is not a Word document" in result.stderr

    assert pack.read_bytes() == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    for path, data in sources.items():
        assert path.read_bytes() == data


def test_docx_and_pdf_appendices_in_name_order(tmp_path: Path) -> None:
    import docx

    inputs = write_pack(tmp_path / "inputs")
    document = docx.Document()
    document.add_heading("Terms of reference", level=1)
    document.add_paragraph("The network meets every term.")
    document.save(str(inputs / "appendices" / "0-terms.docx"))
    shutil.copyfile(
        EXAMPLE / "appendices" / "2-technician-network-terms-of-reference.pdf",
        inputs / "appendices" / "3-network.pdf",
    )
    result = CliRunner().invoke(
        cli, ["assemble", str(inputs), "--out", str(tmp_path / "b"), "--date", "2026-11-22"]
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(result.stdout.splitlines()[-1])
    top = [i.title for i in reader.outline if not isinstance(i, list)]
    assert top[2:] == [
        "Appendix A: Terms",
        "Appendix B: Survey of technicians",
        "Appendix C: Network",
    ]
    text = pdftotext(Path(result.stdout.splitlines()[-1]))
    assert text.index("The network meets every term.") < text.index("Ninety per cent replied.")

"""End to end: the real LibreOffice builds the example pack, and the real PDF is read back."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from helpers.packs import EXAMPLE, PROMPTS, QUESTIONS, built_example, write_pack
from helpers.pdf import blocks, in_order, pdf_text, tokens
from pipeline.cli import cli

pytestmark = pytest.mark.libreoffice
STEM = "University-of-Kelderwick_January_2027"


def pdftotext(path: Path) -> str:
    return pdf_text(path)


def assert_in_order(text: str, shown: list[str], label: str) -> None:
    missing = in_order(tokens(text), shown)
    assert missing is None, f"{label}: {missing!r} is missing or out of order in the PDF"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    return built_example(tmp_path_factory.mktemp("e2e"))


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
    shown = tokens(pdftotext(out / f"{STEM}.pdf"))
    answers = sorted((inputs / "answers").glob("*.md"))
    # the prompts in the form's order, each answer's first words right after its prompt
    sequence = []
    for prompt, answer in zip(PROMPTS, answers, strict=True):
        sequence += tokens(prompt) + tokens(blocks(answer.read_text(encoding="utf-8"))[0])
    assert_in_order(" ".join(sequence), shown, "prompts and answers")
    # and every paragraph, list item and table cell of every answer
    for answer in answers:
        for block in blocks(answer.read_text(encoding="utf-8")):
            assert_in_order(block, shown, answer.name)


def test_plan_rows_and_appendices(built: tuple[Path, Path, str]) -> None:
    inputs, out, _ = built
    pack = out / f"{STEM}.pdf"
    reader = PdfReader(pack)
    shown = tokens(pdftotext(pack))
    # the spreadsheet read cell by cell, not through the code under test: every theme banner,
    # goal, action and measure is in the PDF (cells wrap beside each other: each on its own)
    sheet = load_workbook(inputs / "action-plan.xlsx", read_only=True)["Action plan"]
    rows = list(sheet.iter_rows(min_row=2, max_col=3, values_only=True))
    assert len(rows) == 45
    for row in rows:
        for cell in row:
            if cell:
                assert_in_order(str(cell), shown, str(cell))
    survey = (inputs / "appendices" / "1-technician-survey.md").read_text(encoding="utf-8")
    for block in blocks(survey):
        assert_in_order(block, shown, "appendix A")
    terms = PdfReader(inputs / "appendices" / "2-technician-network-terms-of-reference.pdf")
    start = next(
        reader.get_destination_page_number(i)
        for i in reader.outline
        if not isinstance(i, list) and i.title.startswith("Appendix B")
    )
    pages = reader.pages[start : start + len(terms.pages)]
    total = len(reader.pages)
    # its own text, then what the pack stamps on it: its label and the pack's page number
    assert [p.extract_text() for p in pages] == [
        f"{p.extract_text()}\nAppendix B: Technician network terms of reference\n"
        f"Page {start + 1 + index} of {total}"
        for index, p in enumerate(terms.pages)
    ]
    methods = (inputs / "appendices" / "3-data-sources-and-methods.md").read_text(encoding="utf-8")
    for block in blocks(methods):
        assert_in_order(block, shown, "appendix C")


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
        "Appendix C: Data sources and methods",
    ]
    assert [c.title for c in children] == [*QUESTIONS, "Sign-off"]
    pages = [reader.get_destination_page_number(i) for i in top]
    assert pages == sorted(pages)
    assert len(set(pages)) == len(pages)
    for item in children[:8]:  # each question's entry points at the page that shows it
        page = reader.pages[reader.get_destination_page_number(item)]
        assert item.title.split(":")[0] in page.extract_text()


def test_plan_is_landscape_with_the_fonts_the_template_names(built: tuple[Path, Path, str]) -> None:
    _, out, _ = built
    reader = PdfReader(out / f"{STEM}.pdf")
    plan_page = next(
        reader.get_destination_page_number(i)
        for i in reader.outline
        if not isinstance(i, list) and i.title.endswith("action plan")
    )
    box = reader.pages[plan_page].mediabox
    assert box.width > box.height
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height
    # the form's pages draw text only in the template's font (Carlito for Calibri): nothing
    # substituted with wider fonts that would reflow the pages (✓ in the plan may fall back)
    for page in reader.pages[:plan_page]:
        fonts = page["/Resources"]["/Font"]
        content = page.get_contents().get_data()
        used = {
            str(fonts[key]["/BaseFont"]).split("+")[-1]
            for key in fonts
            if f"{key} ".encode() in content
        }
        assert used, "no text drawn"
        assert all(name.startswith("Carlito") for name in used), used


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

    # 1. LibreOffice "succeeds" without doing anything, driven through UNO and not
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PACK_SOFFICE", str(fake))
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("Error: LibreOffice did not start through UNO")
    assert "Traceback" not in result.output
    monkeypatch.setenv(
        "PACK_UNO_PYTHON", sys.executable
    )  # a Python without uno: soffice --convert-to
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "LibreOffice produced no PDF (exit 0)" in result.stderr
    monkeypatch.delenv("PACK_SOFFICE")
    monkeypatch.delenv("PACK_UNO_PYTHON")

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


def test_links_are_clickable_in_the_pack(built: tuple[Path, Path, str]) -> None:
    _, out, _ = built
    reader = PdfReader(out / f"{STEM}.pdf")
    targets = set()
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                targets.add(str(action["/URI"]))
    assert "https://www.kelderwick.example/technicians/network" in targets  # [text](url)
    assert "https://www.kelderwick.example/technicians/commitment" in targets  # a bare URL

"""The converter: LibreOffice's silent failures and hangs become clear errors."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from pipeline.errors import ConversionError
from pipeline.libreoffice.soffice import convert


def fake_soffice(tmp_path: Path, body: str) -> str:
    """A stand-in for soffice (a unit-test double; the real one is tested below and end to end)."""
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


@pytest.fixture
def small_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("A small document & <its> {{ text }}.")
    path = tmp_path / "small.docx"
    document.save(str(path))
    return path


def test_exit_zero_without_pdf_is_an_error(tmp_path: Path, small_docx: Path) -> None:
    soffice = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 0")
    target = tmp_path / "out.pdf"
    with pytest.raises(
        ConversionError,
        match=r"small\.docx: LibreOffice produced no PDF \(exit 0\): Error: source file could not be loaded",
    ):
        convert([(small_docx, target)], soffice=soffice)
    assert not target.exists()


def test_something_not_a_pdf_is_an_error(tmp_path: Path, small_docx: Path) -> None:
    soffice = fake_soffice(
        tmp_path,
        'while [ "$1" != --outdir ]; do shift; done; mkdir -p "$2"; echo junk > "$2/000.pdf"',
    )
    with pytest.raises(ConversionError, match="not a PDF"):
        convert([(small_docx, tmp_path / "out.pdf")], soffice=soffice)


def test_a_hang_is_stopped_with_its_children(tmp_path: Path, small_docx: Path) -> None:
    pidfile = tmp_path / "child.pid"
    soffice = fake_soffice(tmp_path, f"sleep 300 & echo $! > {pidfile}; wait")
    started = time.monotonic()
    with pytest.raises(
        ConversionError,
        match=r"did not finish within 1 s converting 1 document\(s\); it was stopped",
    ):
        convert([(small_docx, tmp_path / "out.pdf")], timeout=1, soffice=soffice)
    assert time.monotonic() - started < 30
    child = int(pidfile.read_text())
    assert not alive(child)  # the grandchild died with the process group


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for whoever adopted it."""
    for _ in range(50):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.1)
    return True


def test_a_text_file_named_docx_is_refused_before_libreoffice(tmp_path: Path) -> None:
    fake = tmp_path / "notes.docx"
    fake.write_text("just text", encoding="utf-8")
    with pytest.raises(ConversionError, match=r"notes\.docx: not an Office file"):
        convert([(fake, tmp_path / "notes.pdf")], soffice="/nonexistent")


@pytest.mark.libreoffice
def test_real_libreoffice_converts_several_documents_in_one_run(
    tmp_path: Path, small_docx: Path
) -> None:
    second = tmp_path / "sub" / "small.docx"  # the same name in another folder must not collide
    second.parent.mkdir()
    document = docx.Document()
    document.add_paragraph("The second document.")
    document.save(str(second))
    written = convert([(small_docx, tmp_path / "a.pdf"), (second, tmp_path / "b.pdf")])
    assert written == [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    assert "A small document & <its> {{ text }}." in PdfReader(written[0]).pages[0].extract_text()
    assert "The second document." in PdfReader(written[1]).pages[0].extract_text()


@pytest.mark.libreoffice
def test_a_document_converted_on_its_own_has_its_contents_placeholders_blanked(
    tmp_path: Path,
) -> None:
    """When a pack cannot be numbered as one, its documents are converted one at a time: with
    no pack to count, the contents page's numbers are left blank, never shown as ⟦A⟧."""
    from pipeline.libreoffice.jobs import Job
    from pipeline.libreoffice.pool import Converters

    document = docx.Document()
    document.add_paragraph("Appendix A: Survey\t⟦A⟧")
    document.add_paragraph("Appendix B: Terms\t⟦B⟧")
    source = tmp_path / "form.docx"
    document.save(str(source))
    with Converters(1) as converters:
        converters.convert(Job(source, tmp_path / "form.pdf", {"⟦A⟧": "", "⟦B⟧": ""}))
    text = PdfReader(tmp_path / "form.pdf").pages[0].extract_text()
    assert "Appendix A: Survey" in text
    assert "Appendix B: Terms" in text
    assert "⟦" not in text

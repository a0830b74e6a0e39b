"""Appendix PDFs from elsewhere: encrypted ones that open without a password are included,
filled forms keep what was filled in, and no active content, hidden or orphaned, reaches the
pack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from helpers.images import body, differing, png
from helpers.packs import TODAY
from helpers.pdf import pdf_text
from helpers.pdf_make import blank_pdf, encrypted, filled_form, hidden_actions
from pipeline.cli import cli
from pipeline.finish.combine import combine
from pipeline.finish.sanitize import ACTIVE_KEYS, BAD_ACTIONS
from pipeline.incremental.manifest import Manifest, Part
from pipeline.inputs.check import check


def pack_check(pack_dir: Path) -> subprocess.CompletedProcess[str]:
    """`pack check` as a user runs it: its own process, so that anything a library prints on
    the way (pypdf's log) shows."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "check", str(pack_dir), "--date", str(TODAY)],
        capture_output=True,
        text=True,
        check=False,
    )


def manifest(*paths: Path) -> Manifest:
    parts = [
        Part("Form" if i == 0 else f"Appendix {i}", str(p), str(p)) for i, p in enumerate(paths)
    ]
    return Manifest("Pack", "University/January/2027", "Lead", "Subject", "Keys", tuple(parts))


def every_object(path: Path) -> list[object]:
    """Every object in the file, referenced or not (by number, up to the trailer's /Size)."""
    reader = PdfReader(path)
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry
            continue
        if obj is not None:
            found.append(obj)
    return found


def assert_inert(path: Path) -> None:
    """No object of the file, reachable or not, is or holds active content."""
    data = path.read_bytes()
    for needle in (b"/Launch", b"/JavaScript", b"/EmbeddedFile", b"/Widget", b"MZ ", b"app."):
        assert needle not in data, needle
    for obj in every_object(path):
        if isinstance(obj, DictionaryObject):
            assert not set(obj.keys()) & ACTIVE_KEYS
            kind = obj.raw_get("/S") if "/S" in obj else None
            if isinstance(kind, IndirectObject):
                kind = kind.get_object()
            assert kind not in BAD_ACTIONS


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_encrypted_pdf_that_opens_without_a_password_is_included(
    tmp_path: Path, algorithm: str
) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    locked = encrypted(tmp_path / "report.pdf", algorithm, text="Survey results 2026")
    out = combine(manifest(form, locked), tmp_path / "pack.pdf")
    assert len(PdfReader(out).pages) == 2
    assert "Survey results 2026" in PdfReader(out).pages[1].extract_text()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_that_needs_a_password_is_refused_by_name(pack_dir: Path, algorithm: str) -> None:
    encrypted(pack_dir / "appendices" / "2-locked.pdf", algorithm, user_password="secret")
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", str(TODAY)])
    assert result.exit_code == 1
    assert (
        f"{pack_dir / 'appendices' / '2-locked.pdf'}: error: password-protected; "
        "remove the password or export it again" in result.output
    )
    assert "Traceback" not in result.output


def test_aes_appendix_passes_check(pack_dir: Path) -> None:
    encrypted(pack_dir / "appendices" / "2-acrobat.pdf", "AES-256")
    _, problems = check(pack_dir, TODAY)
    assert [p for p in problems if p.level == "error"] == []


REPAIRABLE = {
    "an annotation that does not exist": (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Annots [7 0 R] >> endobj\n"
        b"xref\n0 1\n0000000000 65535 f \ntrailer << /Root 1 0 R /Size 4 >>\nstartxref\n0\n%%EOF\n"
    ),
}
"""Damaged PDFs that readers repair (as viewers show them): they go into the pack."""
BROKEN = {
    "pages that are not pages": (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj (hello) endobj\n"
        b"trailer << /Root 1 0 R /Size 4 >>\n%%EOF\n"
    ),
    "a page tree that loops": (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [2 0 R 4 0 R] /Count 2 >> endobj\n"
        b"4 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] >> endobj\n"
        b"trailer << /Root 1 0 R /Size 5 >>\n%%EOF\n"
    ),
    "no catalogue": b"%PDF-1.4\n1 0 obj << /Type /Pages /Count 0 >> endobj\n%%EOF\n",
}
"""Damaged past repair: refused by name, by check as by combine."""


@pytest.mark.parametrize("damage", sorted(REPAIRABLE))
def test_repairable_damage_builds_and_passes_check(
    pack_dir: Path, tmp_path: Path, damage: str
) -> None:
    repaired = pack_dir / "appendices" / "2-repaired.pdf"
    repaired.write_bytes(REPAIRABLE[damage])
    result = pack_check(pack_dir)
    assert f"{repaired}: error" not in result.stdout
    assert result.stderr == ""  # pypdf's own log ("incorrect startxref pointer") kept away
    form = blank_pdf(tmp_path / "form.pdf")
    out = combine(manifest(form, repaired), tmp_path / "pack.pdf")
    assert len(PdfReader(out).pages) == 2


@pytest.mark.parametrize("damage", sorted(BROKEN))
def test_damage_past_repair_is_refused_by_check_and_combine(
    pack_dir: Path, tmp_path: Path, damage: str
) -> None:
    from pipeline.errors import CombineError

    broken = pack_dir / "appendices" / "2-broken.pdf"
    broken.write_bytes(BROKEN[damage])
    result = pack_check(pack_dir)
    assert result.returncode == 1
    assert f"{broken}: error: " in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    form = blank_pdf(tmp_path / "form.pdf")
    with pytest.raises(CombineError, match=r"broken\.pdf: (cannot read|the PDF has no)"):
        combine(manifest(form, broken), tmp_path / "pack.pdf")
    assert not (tmp_path / "pack.pdf").exists()


def test_hidden_actions_and_orphans_are_removed(tmp_path: Path) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    hostile = hidden_actions(tmp_path / "hostile.pdf")
    data = hostile.read_bytes()
    assert b"/Launch" in data
    assert b"MZ attached" in data
    out = combine(manifest(form, hostile), tmp_path / "pack.pdf")
    assert_inert(out)
    assert "Appendix with hidden actions" in PdfReader(out).pages[1].extract_text()


def test_filled_form_is_flattened_with_its_visible_values(tmp_path: Path) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    filled = filled_form(tmp_path / "filled.pdf")
    out = combine(manifest(form, filled), tmp_path / "pack.pdf")
    assert_inert(out)
    before = png(filled, 1, tmp_path / "before")
    after = png(out, 2, tmp_path / "after")
    blank = png(form, 1, tmp_path / "blank")
    assert differing(before, blank) > 500  # the filled-in values show on the original page
    # and look the same in the pack, above and below the page furniture the pack stamps on it
    assert differing(body(before), body(after)) < 20
    text = pdf_text(out, 2, 2)
    assert "Alice" in text
    assert "Blue" in text
    assert "Hidden" not in text


def test_stripping_the_fields_alone_would_lose_the_values(tmp_path: Path) -> None:
    """The comparison above can fail: the page without its widgets differs from the original."""
    from pypdf import PdfWriter

    filled = filled_form(tmp_path / "filled.pdf")
    writer = PdfWriter(clone_from=filled)
    del writer.pages[0]["/Annots"]
    stripped = tmp_path / "stripped.pdf"
    with stripped.open("wb") as handle:
        writer.write(handle)
    assert differing(png(filled, 1, tmp_path / "a"), png(stripped, 1, tmp_path / "b")) > 500


def test_a_pdf_is_read_again_only_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--watch` checks at every save: an appendix that passed is not read again until it
    changes, and one that changed into a damaged file is refused."""
    from pipeline import limits, pdf
    from pipeline.errors import UnsafeFile

    reads = []
    bounded = limits.bounded
    monkeypatch.setattr(limits, "bounded", lambda *a, **k: reads.append(a) or bounded(*a, **k))
    appendix = blank_pdf(tmp_path / "appendix.pdf")
    pdf.check_pdf(appendix)
    pdf.check_pdf(appendix)
    assert len(reads) == 1
    appendix.write_bytes(BROKEN["a page tree that loops"])
    with pytest.raises(UnsafeFile, match=r"appendix\.pdf: "):
        pdf.check_pdf(appendix)
    with pytest.raises(UnsafeFile):
        pdf.check_pdf(appendix)  # a refusal is never remembered as a pass
    assert len(reads) == 3


def undecodable(path: Path) -> Path:
    """One page whose content stream says Flate and holds something else."""
    import pikepdf

    made = pikepdf.new()
    page = made.add_blank_page(page_size=(300, 200))
    page.obj.Contents = made.make_stream(b"this is not deflated data")
    page.obj.Contents.Filter = pikepdf.Name.FlateDecode
    made.save(path)
    return path


def test_a_page_whose_content_cannot_be_read_is_refused(pack_dir: Path, tmp_path: Path) -> None:
    from pipeline.errors import CombineError

    broken = undecodable(pack_dir / "appendices" / "2-garbled.pdf")
    result = CliRunner().invoke(cli, ["check", str(pack_dir), "--date", str(TODAY)])
    assert result.exit_code == 1
    assert f"{broken}: error: damaged; what page 1 shows cannot be read (" in result.output
    assert "export or print it to PDF again" in result.output
    form = blank_pdf(tmp_path / "form.pdf")
    with pytest.raises(CombineError, match="page 2 of the pack: what it shows cannot be read"):
        combine(manifest(form, broken), tmp_path / "pack.pdf")
    assert not (tmp_path / "pack.pdf").exists()


def test_a_trailer_that_is_not_a_dictionary_is_a_clear_refusal(pack_dir: Path) -> None:
    """pypdf (the reader `pack verify` uses) meets something it does not expect: a number
    where the trailer's dictionary should be. No traceback, a line naming the file."""
    body = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] >> endobj\n"
    )
    broken = pack_dir / "appendices" / "2-odd.pdf"
    broken.write_bytes(
        body + b"xref\n0 1\n0000000000 65535 f \ntrailer 5\nstartxref\n%d\n%%%%EOF\n" % len(body)
    )
    result = pack_check(pack_dir)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1
    assert f"{broken}: error: cannot read the PDF (" in result.stdout
    assert "export or print it to PDF again" in result.stdout


def test_qpdf_s_refusal_names_the_file_once(pack_dir: Path) -> None:
    """A cross-reference table whose trailer's /Size is below its objects' numbers: pypdf and
    viewers read it, qpdf finds no catalogue. qpdf starts its message with the file's path;
    the line names the file once, then says what is wrong."""
    objects = {
        900: b"<< /Type /Catalog /Pages 901 0 R >>",
        901: b"<< /Type /Pages /Kids [902 0 R] /Count 1 >>",
        902: b"<< /Type /Page /Parent 901 0 R /MediaBox [0 0 300 200] >>",
    }
    data, offsets = b"%PDF-1.4\n", {}
    for number, value in objects.items():
        offsets[number] = len(data)
        data += b"%d 0 obj %s endobj\n" % (number, value)
    xref = len(data)
    data += b"xref\n0 1\n0000000000 65535 f \n"
    data += b"".join(b"%d 1\n%010d 00000 n \n" % item for item in offsets.items())
    data += b"trailer << /Root 900 0 R /Size 4 >>\nstartxref\n%d\n%%%%EOF\n" % xref
    small = pack_dir / "appendices" / "2-small-size.pdf"
    small.write_bytes(data)
    result = pack_check(pack_dir)
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith(f"{small}: error: "))
    assert line.count(str(small)) == 1
    assert "cannot read the PDF (unable to find /Root dictionary)" in line

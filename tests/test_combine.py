"""Combining: order, outline, metadata; hostile and protected PDFs handled, never skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from helpers.packs import encrypted_pdf
from helpers.pdf_make import blank_pdf
from pipeline.errors import CombineError
from pipeline.finish.combine import combine
from pipeline.incremental.manifest import Manifest, Part


def hostile_pdf(path: Path) -> Path:
    """A PDF with every kind of active content the pack must not carry."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(js)
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(js)})
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)]
            ),
            NameObject("/A"): launch,
        }
    )
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(0), NumberObject(0), NumberObject(10), NumberObject(10)]
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject(
        [writer._add_object(link), writer._add_object(widget)]
    )
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject()}
    )
    writer.add_attachment("payload.exe", b"MZ not really")
    names = writer._root_object["/Names"]  # made by add_attachment
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("doc"), writer._add_object(js)])}
    )
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def manifest(*parts: Part) -> Manifest:
    return Manifest(
        "Pack", "University of Example/January/2027", "Dr Lead", "Subject", "Keys", parts
    )


def every_object(reader: PdfReader):
    size = int(reader.trailer["/Size"])
    for number in range(1, size):
        try:
            obj = reader.get_object(number)
        except Exception:  # free entries
            continue
        if obj is not None:
            yield obj
    yield reader.trailer["/Root"]


ACTIVE = {
    "/OpenAction", "/AA", "/JavaScript", "/JS", "/EmbeddedFiles", "/EmbeddedFile", "/AcroForm",
    "/XFA", "/Launch", "/RichMedia",
}  # fmt: skip
"""Keys that make a PDF do things when opened, written out here rather than taken from the
code under test."""


def test_active_content_is_stripped(tmp_path: Path) -> None:
    form, bad = blank_pdf(tmp_path / "form.pdf"), hostile_pdf(tmp_path / "bad.pdf")
    reader = PdfReader(bad)
    assert "/OpenAction" in reader.trailer["/Root"]  # the fixture really is hostile
    out = combine(
        manifest(Part("Form", str(form), str(form)), Part("Appendix A: Bad", str(bad), str(bad))),
        tmp_path / "pack.pdf",
    )
    reader = PdfReader(out)
    found = set()
    for obj in every_object(reader):
        if isinstance(obj, DictionaryObject):
            found |= set(obj.keys()) & ACTIVE
            assert obj.get("/S") not in ("/JavaScript", "/Launch")
            assert obj.get("/Subtype") not in ("/Widget", "/FileAttachment")
    assert found == set()
    assert len(reader.pages) == 2


def test_order_outline_and_metadata(tmp_path: Path) -> None:
    a, b, c = (
        blank_pdf(tmp_path / f"{n}.pdf", pages) for n, pages in (("a", 3), ("b", 2), ("c", 1))
    )
    parts = (
        Part("Self-assessment form", str(a), str(a)),
        Part("Appendix A: One", str(b), str(b)),
        Part("Appendix B: Two", str(c), str(c)),
    )
    reader = PdfReader(combine(manifest(*parts), tmp_path / "pack.pdf"))
    assert len(reader.pages) == 6
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline == [("Self-assessment form", 0), ("Appendix A: One", 3), ("Appendix B: Two", 5)]
    meta = reader.metadata
    assert (meta.title, meta.author, meta.subject) == (
        "University of Example/January/2027",
        "Dr Lead",
        "Subject",
    )
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    xmp = reader.xmp_metadata  # what accessibility checkers read the title from
    assert xmp is not None
    assert xmp.dc_title == {"x-default": "University of Example/January/2027"}
    assert xmp.dc_creator == ["Dr Lead"]
    assert b"xmp:MetadataDate" not in reader.trailer["/Root"]["/Metadata"].get_data()


def test_password_protected_appendix_is_refused_by_name(tmp_path: Path) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    locked = encrypted_pdf(tmp_path / "locked.pdf", "secret")
    with pytest.raises(
        CombineError,
        match=r"locked\.pdf: password-protected; remove the password or export it again",
    ):
        combine(
            manifest(Part("Form", str(form), str(form)), Part("A", str(locked), str(locked))),
            tmp_path / "pack.pdf",
        )
    assert not (tmp_path / "pack.pdf").exists()


def test_empty_user_password_is_opened(tmp_path: Path) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    opened = encrypted_pdf(tmp_path / "opened.pdf", "")
    out = combine(
        manifest(Part("Form", str(form), str(form)), Part("A", str(opened), str(opened))),
        tmp_path / "pack.pdf",
    )
    assert len(PdfReader(out).pages) == 2


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\ngarbage",
        b"",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ],
)
def test_broken_pdf_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(content)
    with pytest.raises(CombineError, match=r"broken\.pdf: "):
        combine(
            manifest(Part("Form", str(form), str(form)), Part("A", str(broken), str(broken))),
            tmp_path / "pack.pdf",
        )


def test_failed_combine_keeps_the_previous_pack(tmp_path: Path) -> None:
    form = blank_pdf(tmp_path / "form.pdf")
    target = tmp_path / "pack.pdf"
    combine(manifest(Part("Form", str(form), str(form))), target)
    before = target.read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\ngarbage")
    with pytest.raises(CombineError):
        combine(
            manifest(Part("Form", str(form), str(form)), Part("A", str(broken), str(broken))),
            target,
        )
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def linked_pdf(path: Path) -> Path:
    """Three pages; the first links to the third by a named destination and to the second by
    an explicit one, as word processors and LaTeX write them."""
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(300, 200)
    writer.add_named_destination("results", 2)
    rect = ArrayObject([NumberObject(v) for v in (0, 0, 10, 10)])
    links = ArrayObject()
    for dest in (
        TextStringObject("results"),
        ArrayObject([writer.pages[1].indirect_reference, NameObject("/Fit")]),
    ):
        link = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): rect,
                NameObject("/Dest"): dest,
            }
        )
        links.append(writer._add_object(link))
    writer.pages[0][NameObject("/Annots")] = links
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_links_inside_an_appendix_lead_to_its_pages_in_the_pack(tmp_path: Path) -> None:
    form = blank_pdf(tmp_path / "form.pdf", 2)
    linked = linked_pdf(tmp_path / "linked.pdf")
    parts = (Part("Form", str(form), str(form)), Part("Appendix A", str(linked), str(linked)))
    reader = PdfReader(combine(manifest(*parts), tmp_path / "pack.pdf"))
    links = [a.get_object() for a in reader.pages[2]["/Annots"]]
    named, explicit = (link["/Dest"] for link in links)
    assert reader.get_page_number(explicit[0].get_object()) == 3
    target = reader.named_destinations[str(named)]
    assert reader.get_destination_page_number(target) == 4


def test_the_first_parts_own_catalogue_and_trailer_stay_behind(tmp_path: Path) -> None:
    """The pack is written from the form's own file (its structure tree is not copied), but
    the form's outline, metadata, actions and trailer entries are not the pack's."""
    import pikepdf

    form = tmp_path / "form.pdf"
    with pikepdf.new() as made:
        made.add_blank_page(page_size=(300, 200))
        with made.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("The form's own bookmark", 0))
        made.Root.Metadata = made.make_stream(b"<x:xmpmeta>written at 10:42</x:xmpmeta>")
        made.Root.OpenAction = pikepdf.Array([made.pages[0].obj, pikepdf.Name.Fit])
        made.trailer.DocChecksum = pikepdf.Name("/0123456789ABCDEF")
        made.save(form)
    appendix = blank_pdf(tmp_path / "appendix.pdf")
    parts = (Part("Form", "form.docx", str(form)), Part("Appendix A", str(appendix), str(appendix)))
    out = combine(manifest(*parts), tmp_path / "pack.pdf")
    reader = PdfReader(out)
    assert [item.title for item in reader.outline] == ["Form", "Appendix A"]
    catalog = reader.trailer["/Root"]
    assert b"written at 10:42" not in catalog["/Metadata"].get_data()  # the pack's own
    assert "/OpenAction" not in catalog
    assert "/DocChecksum" not in reader.trailer
    assert len(reader.pages) == 2
